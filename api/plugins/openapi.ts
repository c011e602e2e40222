/**
 * The OpenAPI 3.1 document, generated from the route schemas (GET /openapi.json, browsable at /docs).
 * What the plugins enforce from route config (roles, Idempotency-Key, date ranges) is written into each
 * operation from that same config here, so the document cannot drift from what the hooks do.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from 'typebox';
import { ProblemSchema, problemResponse } from '../schemas/common.js';
import type { App } from '../types.js';
import { IdempotencyHeaders } from './idempotency.js';

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
  'Lists are cursor-paginated: pass `nextCursor` back as `cursor`. Date and amount ranges are inclusive',
  '(`from <= to`); an inverted one is 400. A method a known path does not have answers 405 with `Allow`.',
].join('\n');

/** Methods whose requests may carry a body Fastify parses (so 413 and 415 are possible). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What each error status means when a route does not say more. */
const DEFAULT_ERRORS: Record<number, string> = {
  400: 'the request does not match the schema or is not consistent; `errors` names each field',
  401: 'no valid bearer API key',
  403: 'the key’s role may not use this operation, or the request names a practice the key does not hold',
  404: 'not found (another practice’s resource is not found too)',
  409: 'a request with this Idempotency-Key is still being processed; retry later',
  413: 'the body is larger than the API’s body limit',
  415: 'the body’s content type is not one this operation accepts',
  422: 'this Idempotency-Key was already used for a different request',
  429: 'the key’s rate limit is exceeded',
  500: 'an unexpected error (the answer names the request id, never internals)',
};

/** The error statuses a route can answer from what it declares and what the plugins do to it. */
function errorStatuses(
  method: string,
  schema: Record<string, unknown>,
  config: { roles?: unknown; idempotent?: boolean; ranges?: unknown },
) {
  const statuses = [429, 500];
  if (config.roles !== 'public') statuses.push(401, 403, 404);
  if (schema.body || schema.querystring || schema.params || schema.headers || config.idempotent)
    statuses.push(400);
  if (BODY_METHODS.has(method)) statuses.push(400, 413, 415);
  if (config.idempotent) statuses.push(409, 422);
  return [...new Set(statuses)];
}

/** The 400 answer's description, with the ranges the route refuses when inverted. */
function badRequestDescription(base: string, ranges: readonly (readonly [string, string])[]): string {
  if (ranges.length === 0) return base;
  return `${base}; also when ${ranges.map(([f, t]) => `\`${f}\` exceeds \`${t}\``).join(', or ')} (ranges are inclusive)`;
}

/**
 * The query schema with each range's lower bound saying it must not exceed the upper one (a copy: the
 * schema objects are shared). Validation is unchanged: the guards hook enforces the pairs.
 */
function withRangeNotes(querystring: unknown, ranges: readonly (readonly [string, string])[]): unknown {
  const q = querystring as { properties?: Record<string, { description?: string }> } | undefined;
  if (!q?.properties) return querystring;
  const properties = { ...q.properties };
  for (const [from, to] of ranges) {
    const p = properties[from];
    if (!p) continue;
    const note = `must not exceed \`${to}\``;
    properties[from] = { ...p, description: p.description ? `${p.description}; ${note}` : note };
  }
  return { ...q, properties };
}

export async function registerOpenApi(app: App): Promise<void> {
  app.addHook('onRoute', (route) => {
    const config = route.config ?? {};
    const roles = config.roles;
    if (roles === undefined || route.url === '/docs' || route.url.startsWith('/docs/')) return;
    const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
    if (method === 'HEAD') return;
    const who = roles === 'public' ? 'Public.' : `Roles: ${roles.join(', ')}.`;
    const ranges = config.ranges ?? [];
    const rangeNote =
      ranges.length > 0
        ? `Ranges are inclusive and must not be inverted: ${ranges.map(([f, t]) => `\`${f}\` <= \`${t}\``).join(', ')} (else 400).`
        : undefined;
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    const response: Record<string, unknown> = { ...((schema.response as object | undefined) ?? {}) };
    // Every error the route can give is documented as problem+json: the ones it declares (a bare
    // ProblemSchema gets the default description) and the ones the plugins add.
    for (const [status, value] of Object.entries(response)) {
      if (value === ProblemSchema)
        response[status] = problemResponse(DEFAULT_ERRORS[Number(status)] ?? 'see the problem details');
    }
    for (const status of errorStatuses(method, schema, config)) {
      response[status] ??= problemResponse(DEFAULT_ERRORS[status]!);
    }
    const badRequest = response['400'] as { description: string } | undefined;
    if (badRequest && ranges.length > 0) {
      response['400'] = problemResponse(badRequestDescription(badRequest.description, ranges));
    }
    route.schema = {
      ...schema,
      ...(ranges.length > 0 ? { querystring: withRangeNotes(schema.querystring, ranges) } : {}),
      description: [who, schema.description, rangeNote].filter(Boolean).join(' '),
      ...(config.idempotent ? { headers: schema.headers ?? IdempotencyHeaders } : {}),
      response,
    };
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Denial desk API', version: '0.2.0', description: API_DESCRIPTION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['operations'],
        operationId: 'getOpenApiDocument',
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
}
