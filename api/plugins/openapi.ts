/**
 * The OpenAPI 3.1 document, generated from the route schemas (GET /openapi.json, browsable at /docs).
 * What the plugins enforce from route config (roles, Idempotency-Key, date ranges) is written into each
 * operation from that same config here, so the document cannot drift from what the hooks do.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from 'typebox';
import { ProblemSchema } from '../schemas/common.js';
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
  'Lists are cursor-paginated: pass `nextCursor` back as `cursor`.',
].join('\n');

export async function registerOpenApi(app: App): Promise<void> {
  app.addHook('onRoute', (route) => {
    const roles = route.config?.roles;
    if (roles === undefined || route.url === '/docs' || route.url.startsWith('/docs/')) return;
    const who = roles === 'public' ? 'Public.' : `Roles: ${roles.join(', ')}.`;
    const ranges = route.config?.ranges ?? [];
    const rangeNote =
      ranges.length > 0
        ? `Date ranges are inclusive; ${ranges.map(([f, t]) => `\`${f}\` after \`${t}\``).join(', ')} answers 400.`
        : undefined;
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    route.schema = {
      ...schema,
      description: [who, schema.description, rangeNote].filter(Boolean).join(' '),
      // An Idempotency-Key can be refused on any route that honours it: 409 still running, 422 reused.
      ...(route.config?.idempotent
        ? {
            headers: schema.headers ?? IdempotencyHeaders,
            response: { 409: ProblemSchema, 422: ProblemSchema, ...(schema.response as object) },
          }
        : {}),
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
