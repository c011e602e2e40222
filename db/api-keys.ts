/**
 * API keys: the bearer keys systems and people authenticate with, stored only as their SHA-256 hash.
 * A practice admin lists and revokes keys only when every practice they hold is one of the admin's, so
 * an admin never sees or touches another practice's users.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './pool.js';

export const ROLES = ['biller', 'supervisor', 'admin', 'integration'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: string;
  role: Role;
  practiceIds: string[];
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new random bearer key (shown once, stored only as its hash). */
export function generateApiKey(): string {
  return `dd_${randomBytes(24).toString('base64url')}`;
}

/** The api_keys row of a key: only its SHA-256 hash is stored. */
function apiKeyValues(key: string, input: { userId: string; role: Role; practiceIds: string[] }) {
  return { key_hash: hashKey(key), user_id: input.userId, role: input.role, practice_ids: input.practiceIds };
}

/** Creates a key and returns it in clear text: the only time it is ever visible. */
export async function createApiKey(
  db: Db,
  input: { userId: string; role: Role; practiceIds: string[]; key?: string },
): Promise<string> {
  const key = input.key ?? generateApiKey();
  await db
    .insertInto('api_keys')
    .values(apiKeyValues(key, input))
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
  return key;
}

export async function principalForKey(db: Db, key: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['user_id', 'role', 'practice_ids'])
    .where('key_hash', '=', hashKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { userId: row.user_id, role: row.role as Role, practiceIds: row.practice_ids } : undefined;
}

export interface ApiKeyView {
  id: string;
  userId: string;
  role: Role;
  practiceIds: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

const columns = ['id', 'user_id', 'role', 'practice_ids', 'created_at', 'revoked_at'] as const;

function view(r: {
  id: string;
  user_id: string;
  role: string;
  practice_ids: string[];
  created_at: Date;
  revoked_at: Date | null;
}): ApiKeyView {
  return {
    id: r.id,
    userId: r.user_id,
    role: r.role as Role,
    practiceIds: r.practice_ids,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

/** Creates a key and returns it in clear text with its record: the only time the key is ever visible. */
export async function issueApiKey(
  db: Db,
  input: { userId: string; role: Role; practiceIds: string[] },
): Promise<ApiKeyView & { key: string }> {
  const key = generateApiKey();
  const row = await db
    .insertInto('api_keys')
    .values(apiKeyValues(key, input))
    .returning(columns)
    .executeTakeFirstOrThrow();
  return { ...view(row), key };
}

/** Keys whose practices all lie within `practiceIds`, newest first. */
export async function listApiKeys(
  db: Db,
  practiceIds: readonly string[],
  includeRevoked: boolean,
): Promise<ApiKeyView[]> {
  let q = db
    .selectFrom('api_keys')
    .select(columns)
    .where(sql<boolean>`practice_ids <@ ${sql.val([...practiceIds])}::text[]`);
  if (!includeRevoked) q = q.where('revoked_at', 'is', null);
  return (await q.orderBy('created_at', 'desc').orderBy('id').execute()).map(view);
}

/** Revokes a key within `practiceIds`; undefined when there is no such key in scope. Revoking twice is a no-op. */
export async function revokeApiKey(
  db: Db,
  id: string,
  practiceIds: readonly string[],
): Promise<ApiKeyView | undefined> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .where(sql<boolean>`practice_ids <@ ${sql.val([...practiceIds])}::text[]`)
    .returning(columns)
    .executeTakeFirst();
  return row ? view(row) : undefined;
}
