/**
 * Authentication and fault injection for the /v1 API, as Fastify hooks. Faults are what real
 * clearinghouses do to clients: outages (503), quotas (429 with Retry-After), slow answers, hangs, 500s,
 * and the nastiest one, a 500 after the request was processed (the client cannot know the claim went
 * through; only the Idempotency-Key saves it from filing twice).
 *
 * Order per request: outage, authentication, rate limit, latency, hang, error, then the handler and,
 * for `failAfterProcessingRate`, a 500 replacing its answer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimControls } from './config.js';

/** What the fault hooks need: the API key, the live controls, a clock, a random source, a shutdown signal. */
export interface FaultDeps {
  apiKey: string;
  /** The live controls; PUT /sim/config changes them between requests. */
  controls: SimControls;
  now: () => number;
  /** Uniform [0, 1) source for the fault probabilities. */
  random: () => number;
  /** Aborted when the app closes, so hanging requests end instead of holding the server open. */
  shutdown: AbortSignal;
}

/** Handle to reset the fault bookkeeping (the rate-limit window) on POST /sim/reset. */
export interface FaultState {
  reset(): void;
}

/** A small seeded PRNG (mulberry32), so a fault mix can be replayed exactly with `faultSeed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of the bearer token (hashes first, so lengths never leak). */
function authorized(header: string | undefined, apiKey: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return false;
  return timingSafeEqual(digest(m[1]), digest(apiKey));
}

/** Waits `ms` unless the client goes away or the app shuts down; true when the full time passed. */
async function wait(ms: number, reply: FastifyReply, shutdown: AbortSignal): Promise<boolean> {
  const gone = new AbortController();
  const onClose = () => gone.abort();
  reply.raw.once('close', onClose);
  try {
    await sleep(ms, undefined, { signal: AbortSignal.any([gone.signal, shutdown]) });
    return true;
  } catch {
    return false;
  } finally {
    reply.raw.off('close', onClose);
  }
}

function retryAfterValue(waitMs: number, now: number, format: 'seconds' | 'http-date' | undefined): string {
  if (format === 'http-date') {
    // An HTTP date has whole seconds: round up, so a client that honours it never comes back early.
    return new Date(Math.ceil((now + Math.max(1000, waitMs)) / 1000) * 1000).toUTCString();
  }
  return String(Math.max(1, Math.ceil(waitMs / 1000)));
}

/** Registers authentication and the fault hooks on the /v1 scope. */
export function registerFaults(scope: FastifyInstance, deps: FaultDeps): FaultState {
  const window = { start: Number.NEGATIVE_INFINITY, count: 0 };
  const failAfterProcessing = new WeakSet<FastifyRequest>();

  scope.addHook('onRequest', async (request, reply) => {
    const c = deps.controls;
    const now = deps.now();
    if (c.outage) {
      const from = Date.parse(c.outage.from);
      const until = Date.parse(c.outage.until);
      if (now >= from && now < until) {
        reply.header('retry-after', retryAfterValue(until - now, now, 'seconds'));
        return reply.code(503).send({ message: 'The payer system is unavailable (simulated outage).' });
      }
    }
    if (!authorized(request.headers.authorization, deps.apiKey)) {
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send({ message: 'Missing or invalid bearer token.' });
    }
    if (c.rateLimit) {
      if (now - window.start >= c.rateLimit.windowMs) {
        window.start = now;
        window.count = 0;
      }
      window.count += 1;
      if (window.count > c.rateLimit.limit) {
        const waitMs = window.start + c.rateLimit.windowMs - now;
        reply.header('retry-after', retryAfterValue(waitMs, now, c.rateLimit.retryAfter));
        return reply.code(429).send({ message: 'Rate limit exceeded.' });
      }
    }
    if (c.latencyMs > 0 && !(await wait(c.latencyMs, reply, deps.shutdown))) {
      return abandon(reply);
    }
    if (c.hang && deps.random() < c.hang.probability) {
      // A hung payer does nothing: the client times out, or after the hang gets a gateway timeout.
      if (!(await wait(c.hang.durationMs, reply, deps.shutdown))) return abandon(reply);
      return reply.code(504).send({ message: 'The payer did not answer in time (simulated hang).' });
    }
    if (deps.random() < c.errorRate) {
      return reply.code(500).send({ message: 'Simulated payer error.' });
    }
    if (c.failAfterProcessingRate > 0 && deps.random() < c.failAfterProcessingRate) {
      failAfterProcessing.add(request);
    }
    return undefined;
  });

  scope.addHook('onSend', async (request, reply, payload) => {
    if (!failAfterProcessing.has(request) || reply.statusCode >= 400) return payload;
    reply.code(500);
    reply.header('content-type', 'application/json; charset=utf-8');
    reply.removeHeader('idempotent-replayed');
    return JSON.stringify({ message: 'Simulated payer error after the request was processed.' });
  });

  return {
    reset() {
      window.start = Number.NEGATIVE_INFINITY;
      window.count = 0;
    },
  };
}

/** The client left (or the app is closing) while we waited: answer nobody, run nothing further. */
function abandon(reply: FastifyReply): FastifyReply {
  reply.hijack();
  reply.raw.destroy();
  return reply;
}
