/**
 * The Idempotency-Key header on POSTs that create or decide (routes with `config.idempotent`). The first
 * request with a key claims it and its answer is stored; a repeat with the same key and the same request
 * (method, URL, canonical JSON body) gets the stored answer back with `Idempotent-Replayed: true`; the same
 * key with a different request is refused with 422; a repeat while the first is still running gets 409.
 * A 5xx answer is not stored, so the client may retry with the same key. Keys are per user and kept 24 h.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../../db/idempotency.js';
import type { Db } from '../../db/pool.js';
import type { App } from '../types.js';
import { badRequest, conflict, unprocessable } from './problems.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The header as the OpenAPI document shows it on every idempotent route (other headers pass). */
export const IdempotencyHeaders = Type.Object(
  {
    [IDEMPOTENCY_HEADER]: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description:
          'repeat a request safely: the same key and request get the stored answer; another request with it, 422',
      }),
    ),
  },
  { additionalProperties: true },
);

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fingerprintOf(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n${canonicalJson(req.body)}`)
    .digest('hex');
}

/**
 * A Temporal update id derived from the idempotency key and the request, so a decision retried after the
 * API lost its answer (a crash between the update and storing it) is deduplicated by Temporal too, while
 * a key reused for another request after it expired never collides with the old update.
 */
export function updateIdFor(req: FastifyRequest): string | undefined {
  const i = req.idempotency;
  if (!i) return undefined;
  return `idem-${createHash('sha256').update(`${i.userId}\n${i.key}\n${i.fingerprint}`).digest('hex').slice(0, 32)}`;
}

/**
 * Leaves this request's answer out of the store (the key is released instead): for answers that only say
 * "still running", so a retry with the same key reaches the work again rather than this snapshot.
 */
export function skipIdempotencyStore(req: FastifyRequest): void {
  if (req.idempotency) req.idempotency.store = false;
}

export function registerIdempotency(app: App, db: Db): void {
  // preHandler: after authentication (onRequest) and schema validation, so a key is never spent on a
  // request that was going to be refused anyway.
  app.addHook('preHandler', async (req, reply) => {
    if (!req.routeOptions.config.idempotent) return;
    const raw = req.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return;
    if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(raw)) {
      throw badRequest('the Idempotency-Key header is malformed', [
        { field: `header/${IDEMPOTENCY_HEADER}`, message: 'must be 1-255 visible ASCII characters' },
      ]);
    }
    const userId = req.principal!.userId;
    const fingerprint = fingerprintOf(req);
    const route = `${req.method} ${req.routeOptions.url}`;
    const claim = await claimIdempotencyKey(db, { userId, key: raw, route, fingerprint });
    if (claim.claimed) {
      req.idempotency = { userId, key: raw, fingerprint };
      return;
    }
    const stored = claim.record;
    if (stored.fingerprint !== fingerprint) {
      throw unprocessable('this Idempotency-Key was already used for a different request', [
        {
          field: `header/${IDEMPOTENCY_HEADER}`,
          message: `was used for another request (${stored.route}); use a new key`,
        },
      ]);
    }
    if (stored.status !== 'DONE' || stored.response_status === null) {
      throw conflict('a request with this Idempotency-Key is still being processed; retry later');
    }
    reply.header('idempotent-replayed', 'true');
    reply.code(stored.response_status);
    if (stored.response_type) reply.type(stored.response_type);
    return reply.send(stored.response_body ?? '');
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const held = req.idempotency;
    if (!held) return payload;
    req.idempotency = undefined;
    if (reply.statusCode >= 500 || held.store === false) {
      await releaseIdempotencyKey(db, held);
      return payload;
    }
    const contentType = reply.getHeader('content-type');
    await completeIdempotencyKey(db, {
      ...held,
      status: reply.statusCode,
      contentType: typeof contentType === 'string' ? contentType : null,
      body: typeof payload === 'string' ? payload : payload == null ? '' : String(payload),
    });
    return payload;
  });
}
