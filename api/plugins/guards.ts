/**
 * Request guards that hold for every route: security headers, the per-token rate limit, the body parsers
 * (JSON, X12 text, one multipart file), the request id echoed on every answer, no NUL characters in any
 * string, and inclusive ranges (`config.ranges`) that are not inverted.
 */
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { App, AppDeps } from '../types.js';
import { badRequest, type FieldError, Problem } from './problems.js';

/** Content types an X12 file may be sent as (besides a multipart/form-data file). */
export const X12_CONTENT_TYPES = ['text/plain', 'application/edi-x12', 'application/x12'] as const;

/** A request id a client may choose (`X-Request-Id`); anything else gets a generated one. */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
}

export async function registerGuards(app: App, deps: Pick<AppDeps, 'config'>): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(rateLimit, {
    max: deps.config.api.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => req.headers.authorization ?? req.ip,
    errorResponseBuilder: (_req, ctx) =>
      new Problem(429, 'Too Many Requests', `rate limit of ${ctx.max} requests per minute exceeded`),
  });

  // ERA files may also come as a form upload (one file part); the route reads it into the body.
  await app.register(multipart, { limits: { files: 1, fileSize: deps.config.api.bodyLimitBytes } });
  app.addContentTypeParser([...X12_CONTENT_TYPES], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // Postgres text cannot hold NUL: a string carrying one is the client's error (400), not a 500 from the
  // driver. Registered before the idempotency hook so such a request never claims a key.
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
    const ranges = req.routeOptions.config.ranges;
    if (ranges) checkRanges(req.query as Record<string, unknown>, ranges);
  });
}

/**
 * Checks that inclusive ranges of a query are not inverted (dates as YYYY-MM-DD strings, amounts as
 * numbers); a bad pair names its lower bound. (Calendar validity is the schema's `format: date`.)
 */
export function checkRanges(
  query: Record<string, unknown>,
  pairs: readonly (readonly [string, string])[],
): void {
  const errors: FieldError[] = [];
  for (const [from, to] of pairs) {
    const a = query[from];
    const b = query[to];
    if (typeof a === 'string' && typeof b === 'string' && a > b)
      errors.push({ field: `querystring/${from}`, message: `is after ${to}` });
    if (typeof a === 'number' && typeof b === 'number' && a > b)
      errors.push({ field: `querystring/${from}`, message: `is above ${to}` });
  }
  if (errors.length > 0) throw badRequest('the query is not consistent', errors);
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
