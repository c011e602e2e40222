/**
 * The practice scope of a database transaction, which the row-level security policies read
 * (migration 2026-12-02-006): the API runs each caller's queries inside `withPracticeScope` on a role
 * that RLS binds, so a query that forgot its `where practice_id` still sees only the caller's rows.
 * The settings are transaction-local (`set_config(..., true)`): a pooled connection never carries one
 * caller's scope into the next caller's transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
// Installs the type parsers (bigint cents as numbers, dates as strings) on pg for this pool too.
import './pool.js';
import type { Database } from './schema.js';

/** A Postgres text[] literal of the ids, quoted so no id can break out of its element. */
function textArrayLiteral(ids: readonly string[]): string {
  return `{${ids.map((id) => `"${id.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** Runs `fn` in a transaction that sees (and may write) the rows of `practiceIds` only. */
export async function withPracticeScope<T>(
  db: Kysely<Database>,
  practiceIds: readonly string[],
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('app.practice_ids', ${textArrayLiteral(practiceIds)}, true)`.execute(trx);
    return fn(trx);
  });
}

/**
 * Runs `fn` in a transaction with the installation operator's scope: every practice, payer defaults
 * and practice-less remittances. Only for callers whose role is `operator`.
 */
export async function withOperatorScope<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('app.operator', 'on', true)`.execute(trx);
    return fn(trx);
  });
}

/**
 * Grants a login role what the API needs on every table, sequence and function of the schema (run by
 * the owner after migrating; tests create their API role with it). The role must not be a superuser,
 * nor own the tables, nor have BYPASSRLS: then row-level security binds it.
 */
export async function grantApiRole(db: Kysely<Database>, role: string): Promise<void> {
  const r = sql.id(role);
  await sql`grant usage on schema public to ${r}`.execute(db);
  await sql`grant select, insert, update on all tables in schema public to ${r}`.execute(db);
  // The API never deletes audit or money rows; idempotency keys expire, so it may delete those.
  await sql`grant delete on idempotency_keys to ${r}`.execute(db);
  await sql`grant usage, select on all sequences in schema public to ${r}`.execute(db);
  await sql`grant execute on all functions in schema public to ${r}`.execute(db);
}

/** Whose rows a connection may see: some practices, or the installation operator (every practice). */
export type PracticeScope = { practiceIds: readonly string[] } | { operator: true };

/**
 * A kysely instance for the API's own role, on which row-level security binds: every time a query or
 * transaction takes a connection from the pool, the connection is set to the scope `currentScope()`
 * answers at that moment (the caller of the request being served), or to no practice at all when
 * there is none. So a query issued outside any request, or one that forgot its `where practice_id`,
 * sees nothing beyond the caller's practices. The caller owns the instance and must `destroy()` it.
 */
export function createScopedDb(
  connectionString: string,
  currentScope: () => PracticeScope | undefined,
  opts: { max?: number; onIdleError?: (err: Error) => void } = {},
): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  pool.on('error', (err) => opts.onIdleError?.(err));
  return new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      onReserveConnection: async (connection) => {
        const scope = currentScope();
        const practiceIds = scope && 'practiceIds' in scope ? textArrayLiteral(scope.practiceIds) : '{}';
        const operator = scope && 'operator' in scope ? 'on' : '';
        // Session-level (not transaction-local): it must also cover single statements outside a
        // transaction, and it is rewritten at every reservation, so no caller inherits another's scope.
        await connection.executeQuery(
          CompiledQuery.raw(
            "select set_config('app.practice_ids', $1, false), set_config('app.operator', $2, false)",
            [practiceIds, operator],
          ),
        );
      },
    }),
  });
}

/**
 * The practice scope of the request being served, carried through its async work: the API enters it
 * once the caller is known, and `createScopedDb` reads it whenever a query takes a connection.
 */
export class RequestScope {
  private readonly store = new AsyncLocalStorage<PracticeScope>();

  /** Runs `fn` (and everything it awaits) in `scope`. */
  run<T>(scope: PracticeScope, fn: () => T): T {
    return this.store.run(scope, fn);
  }

  /** The scope of the current request; undefined outside any request. */
  current(): PracticeScope | undefined {
    return this.store.getStore();
  }
}
