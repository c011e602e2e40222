/**
 * The HTTP API as a Fastify app built by a factory (`buildApp(deps)`), so tests use `app.inject()` on the
 * very app production listens with. Bearer API keys, one role per key, practice isolation on every
 * lookup and filter, Idempotency-Key on POSTs that create or decide, RFC 9457 errors, and TypeBox
 * schemas on every route, from which the OpenAPI document (GET /openapi.json, /docs) is generated.
 */
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Type } from 'typebox';
import type { AppConfig } from '../config/index.js';
import { type Principal, principalForKey, type Role } from '../db/api-keys.js';
import type { Db } from '../db/pool.js';
import { badRequest, Problem, sendProblem } from './errors.js';
import { IdempotencyHeaders, registerIdempotency } from './idempotency.js';
import { ProblemSchema } from './responses.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { claimRoutes } from './routes/claims.js';
import { type DocumentDeps, documentRoutes } from './routes/documents.js';
import { exportRoutes } from './routes/exports.js';
import { healthRoutes } from './routes/health.js';
import { kpiRoutes } from './routes/kpis.js';
import { payerRuleRoutes } from './routes/payer-rules.js';
import { remittanceRoutes } from './routes/remittances.js';
import { workQueueRoutes } from './routes/work-queues.js';
import type { Waits } from './waits.js';

export interface AppDeps {
  db: Db;
  temporal: Client;
  log: Logger;
  config: Pick<AppConfig, 'temporal' | 'api'>;
  /** How long requests wait on Temporal before answering 202 (defaults in api/waits.ts). */
  waits?: Partial<Waits>;
  /** The attachment store and upload limit; without it the document routes are not served. */
  documents?: DocumentDeps;
}

/** Who may call a route: roles, or `public` (health checks and the API description only). */
export type RouteRoles = readonly Role[] | 'public';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Required on every route: `buildApp` refuses to start with a route that does not declare it. */
    roles?: RouteRoles;
  }
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

const API_DESCRIPTION = [
  'Claims, decisions, work queues, remittances, payer rules, KPIs and exports of a denial desk.',
  '',
  'Authenticate with `Authorization: Bearer <api key>`. A key has one role (biller, supervisor, admin,',
  'integration) and the practices it may act for; each operation lists the roles it admits. A claim of',
  'another practice answers 404; a filter naming another practice answers 403.',
  '',
  'Errors are RFC 9457 problem details (application/problem+json); validation errors list',
  '`errors: [{ field, message }]` with JSON-pointer-like paths (`body/lines/0/chargeCents`).',
  'POSTs that create or decide honour `Idempotency-Key`: the same key and request get the stored answer',
  '(`Idempotent-Replayed: true`); the same key with a different request is refused with 422.',
  'Lists are cursor-paginated: pass `nextCursor` back as `cursor`.',
].join('\n');

/** Builds the API. The caller owns `db` and `temporal` and closes them after `app.close()`. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.config.api.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
    },
    // Unknown fields are an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // Answers are plain JSON.stringify: response schemas document and are tested (the fuzz run checks
  // every answer against them), but never reshape an answer silently.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Every route states who may call it, and the OpenAPI description says so (from the same config, so
  // the document cannot drift from what the onRequest hook enforces). Swagger UI's own routes (/docs/*)
  // are the API description itself.
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) {
      route.config = { ...route.config, roles: route.config?.roles ?? 'public' };
      return;
    }
    const roles = route.config?.roles;
    if (roles === undefined)
      throw new Error(`route ${route.method} ${route.url} declares no roles (config.roles)`);
    const who = roles === 'public' ? 'Public.' : `Roles: ${roles.join(', ')}.`;
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    route.schema = {
      ...schema,
      description: [who, schema.description].filter(Boolean).join(' '),
      // An Idempotency-Key can be refused on any route that honours it: 409 still running, 422 reused.
      ...(route.config?.idempotent
        ? {
            headers: schema.headers ?? IdempotencyHeaders,
            response: { 409: ProblemSchema, 422: ProblemSchema, ...(schema.response as object) },
          }
        : {}),
    };
  });

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Denial desk API', version: '0.2.0', description: API_DESCRIPTION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, {
    max: deps.config.api.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => req.headers.authorization ?? req.ip,
    errorResponseBuilder: (_req, ctx) =>
      new Problem(429, 'Too Many Requests', `rate limit of ${ctx.max} requests per minute exceeded`),
  });

  // ERA files may also come as a form upload (one file part); the route reads it into the body.
  await app.register(multipart, { limits: { files: 1, fileSize: deps.config.api.bodyLimitBytes } });
  app.addContentTypeParser(
    ['text/plain', 'application/edi-x12', 'application/x12'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.addHook('onRequest', async (req) => {
    const roles = req.routeOptions.config.roles;
    // Unmatched URLs (the 404 handler) have no route config: nothing to authorize.
    if (roles === undefined || roles === 'public') return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const principal = token ? await principalForKey(deps.db, token) : undefined;
    if (!principal) throw new Problem(401, 'Unauthorized', 'a valid bearer API key is required');
    if (!roles.includes(principal.role)) {
      throw new Problem(403, 'Forbidden', `the ${principal.role} role may not use this endpoint`);
    }
    req.principal = principal;
  });

  // Postgres text cannot hold NUL: a string carrying one is the client's error (400), not a 500 from the
  // driver. Checked before the idempotency hook so such a request never claims a key.
  app.addHook('preHandler', async (req) => {
    for (const [context, value] of [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
    ] as const) {
      const at = nulPath(value);
      if (at !== undefined) {
        throw badRequest('the request contains a NUL character', [
          { field: `${context}${at ? `/${at}` : ''}`, message: 'must not contain NUL characters' },
        ]);
      }
    }
  });

  registerIdempotency(app, deps.db);

  app.setErrorHandler((err: FastifyError | Problem, req, reply) => {
    if (err instanceof Problem) return sendProblem(reply, err, req.url);
    if ('validation' in err && err.validation) {
      const errors = err.validation.map((v) => {
        const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
        const extra = (v.params as { additionalProperty?: string } | undefined)?.additionalProperty;
        const base = v.instancePath.replace(/^\//, '');
        const field = [base, missing ?? extra].filter(Boolean).join('/');
        return {
          field: `${err.validationContext ?? 'body'}${field ? `/${field}` : ''}`,
          message: extra ? 'is not an allowed field' : (v.message ?? 'is invalid'),
        };
      });
      return sendProblem(
        reply,
        new Problem(400, 'Bad Request', 'the request does not match the schema', { errors }),
        req.url,
      );
    }
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500
        ? err.statusCode
        : 500;
    if (status < 500)
      return sendProblem(reply, new Problem(status, err.code ?? 'Bad Request', err.message), req.url);
    // Only the error's name, code, message and stack: driver errors carry the offending values in other
    // fields (pg's `detail`), and those may be PHI.
    const code = (err as { code?: unknown }).code;
    req.log.error(
      { err: { type: err.name, code, message: err.message, stack: err.stack } },
      'request failed',
    );
    return sendProblem(
      reply,
      new Problem(500, 'Internal Server Error', `an unexpected error occurred (request ${req.id})`),
      req.url,
    );
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      reply,
      new Problem(404, 'Not Found', `no route ${req.method} ${req.url.split('?')[0]}`),
      req.url,
    ),
  );

  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['operations'],
        summary: 'This API’s OpenAPI 3.1 document',
        security: [],
        response: {
          200: Type.Object(
            {
              openapi: Type.String(),
              info: Type.Object({}, { additionalProperties: true }),
              paths: Type.Object({}, { additionalProperties: true }),
            },
            { additionalProperties: true },
          ),
        },
      },
      config: { roles: 'public' },
    },
    async () => app.swagger() as unknown as { openapi: string; info: object; paths: object },
  );
  await app.register(healthRoutes(deps));
  await app.register(claimRoutes(deps));
  await app.register(workQueueRoutes(deps));
  await app.register(remittanceRoutes(deps));
  await app.register(payerRuleRoutes(deps));
  await app.register(kpiRoutes(deps));
  await app.register(exportRoutes(deps));
  await app.register(apiKeyRoutes(deps));
  if (deps.documents) await app.register(documentRoutes({ ...deps, documents: deps.documents }));
  return app;
}

/** The path (`a/0/b`) of the first string holding a NUL character in a parsed request part, if any. */
function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const at = nulPath(v, path ? `${path}/${i}` : String(i));
      if (at !== undefined) return at;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = nulPath(v, path ? `${path}/${k}` : k);
      if (at !== undefined) return at;
    }
  }
  return undefined;
}
