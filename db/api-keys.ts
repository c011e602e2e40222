import { createHash, randomBytes } from 'node:crypto';
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
export function apiKeyValues(key: string, input: { userId: string; role: Role; practiceIds: string[] }) {
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
