import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// int8 (bigint) -> number: money is integer cents, far below 2^53 for any claim. date -> ISO string,
// so a date of service never shifts a day through the process time zone.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** A kysely instance over a pg pool. The caller owns it and must `destroy()` it. */
export function createDb(
  connectionString: string,
  opts: { max?: number; onIdleError?: (err: Error) => void } = {},
): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  // An idle connection dropped by the server (restart, shutdown) must not crash the process: the pool
  // discards it and the next query opens a new one.
  pool.on('error', (err) => opts.onIdleError?.(err));
  // The pool listens for errors of idle clients only. A client checked out by a transaction that is
  // between two statements (awaiting other work) has no listener, and a server that goes away then
  // emits an 'error' nobody handles: the process dies. With this listener the transaction's next
  // statement fails instead, and the pool throws the broken client away.
  pool.on('connect', (client) => {
    client.on('error', (err) => opts.onIdleError?.(err));
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export type Db = Kysely<Database>;
