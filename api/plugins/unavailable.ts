/**
 * Telling "a dependency is down, try again shortly" apart from a bug. A request that fails because
 * Postgres is stopped, restarting, read-only or out of connections, or because Temporal does not answer,
 * is not an internal error: the API answers 503 with Retry-After, and clients (and the idempotency
 * store, which keeps no 5xx) retry it. Anything else stays a 500.
 */

/** Seconds a client should wait before retrying after a 503 (readiness and dependency failures). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * SQLSTATEs of a database that cannot serve the request right now: the connection-exception class
 * (08), shutdown and start-up (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now),
 * a read-only transaction (25006: a failover replica or a disk-full guard), too many connections
 * (53300) and a full disk (53100).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '25006', '53300', '53100']);

/** Socket errors of a dependency that is not there. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** node-postgres reports a lost or refused connection by message only. */
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

/** gRPC status codes of a Temporal frontend that is not answering: UNAVAILABLE (14), DEADLINE_EXCEEDED (4). */
const UNAVAILABLE_GRPC_CODES = new Set([14, 4]);

/** True when `err` (or an error it wraps) says a dependency is unavailable rather than that we have a bug. */
export function isDependencyUnavailable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const e = current as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof e.code === 'string') {
      if (
        UNAVAILABLE_SQLSTATES.has(e.code) ||
        e.code.startsWith('08') ||
        UNAVAILABLE_SOCKET_CODES.has(e.code)
      )
        return true;
    }
    if (typeof e.code === 'number' && UNAVAILABLE_GRPC_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && PG_CONNECTION_MESSAGES.test(e.message)) return true;
    // Node's AggregateError (e.g. every address of a host refused the connection).
    if (Array.isArray(e.errors) && e.errors.some((x) => isDependencyUnavailable(x))) return true;
    current = e.cause;
  }
  return false;
}
