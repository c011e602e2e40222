/**
 * The HTTP API as a Fastify app built by a factory (`buildApp(deps)`), so tests use `app.inject()` on the
 * very app production listens with. Bearer API keys, one role per key, practice isolation on every claim
 * lookup, RFC 9457 errors, and TypeBox schemas on every route.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/index.js';
import { type Principal, principalForKey, type Role } from '../db/api-keys.js';
import type { Db } from '../db/pool.js';
import { Problem, sendProblem } from './errors.js';
import { claimRoutes } from './routes/claims.js';
import { healthRoutes } from './routes/health.js';
import { remittanceRoutes } from './routes/remittances.js';

export interface AppDeps {
  db: Db;
  temporal: Client;
  log: Logger;
  config: Pick<AppConfig, 'temporal' | 'api'>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent means public (health checks only). */
    roles?: readonly Role[];
  }
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

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

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Denial desk API',
        version: '0.1.0',
        description: 'Claims, decisions, remittances and work queues.',
      },
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
    if (!roles) return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const principal = token ? await principalForKey(deps.db, token) : undefined;
    if (!principal) throw new Problem(401, 'Unauthorized', 'a valid bearer API key is required');
    if (!roles.includes(principal.role)) {
      throw new Problem(403, 'Forbidden', `the ${principal.role} role may not use this endpoint`);
    }
    req.principal = principal;
  });

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
    req.log.error({ err }, 'request failed');
    return sendProblem(
      reply,
      new Problem(500, 'Internal Server Error', `an unexpected error occurred (request ${req.id})`),
      req.url,
    );
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, new Problem(404, 'Not Found', `no route ${req.method} ${req.url}`), req.url),
  );

  await app.register(healthRoutes(deps));
  await app.register(claimRoutes(deps));
  await app.register(remittanceRoutes(deps));
  return app;
}
