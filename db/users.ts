/**
 * Console users: people who sign in to the web console (systems use API keys). A user has one role and
 * the practices they may act for, exactly like an API key, so both give the same `Principal`.
 */
import { randomBytes } from 'node:crypto';
import { type Generated, sql } from 'kysely';
import type { Principal } from './api-keys.js';
import type { Db } from './pool.js';

/** Roles a person can hold in the console (`integration` is for API keys only). */
export const USER_ROLES = ['biller', 'supervisor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The tables of this aggregate, added to the shared schema with `db.withTables`. */
export type UserTables = {
  users: {
    id: string;
    email: string;
    display_name: string;
    role: UserRole;
    password_hash: string;
    totp_secret: string | null;
    created_at: Generated<Date>;
    disabled_at: Date | null;
  };
  user_practices: { user_id: string; practice_id: string };
  login_attempts: {
    id: Generated<number>;
    email: string;
    at: Generated<Date>;
    succeeded: boolean;
    reason: string;
  };
};

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
  totpSecret: string | null;
  practiceIds: string[];
  /** True when this user must give a TOTP code: supervisors and admins always, billers per practice. */
  totpRequired: boolean;
}

const users = (db: Db) => db.withTables<UserTables & PracticeTotpColumn>();

type PracticeTotpColumn = {
  practices: { id: string; biller_totp_required: boolean };
};

/** A new random 160-bit TOTP secret (RFC 4226's recommended length), base32 as authenticator apps expect. */
export function generateTotpSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of randomBytes(20)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** The user with this email (case-insensitive), active or not. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | undefined> {
  const row = await users(db)
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? toRecord(db, row) : undefined;
}

export async function findUserById(db: Db, id: string): Promise<UserRecord | undefined> {
  const row = await users(db)
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? toRecord(db, row) : undefined;
}

async function toRecord(
  db: Db,
  row: {
    id: string;
    email: string;
    display_name: string;
    role: UserRole;
    password_hash: string;
    totp_secret: string | null;
  },
): Promise<UserRecord> {
  const practices = await users(db)
    .selectFrom('user_practices')
    .innerJoin('practices', 'practices.id', 'user_practices.practice_id')
    .select(['user_practices.practice_id', 'practices.biller_totp_required'])
    .where('user_practices.user_id', '=', row.id)
    .orderBy('user_practices.practice_id')
    .execute();
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    practiceIds: practices.map((p) => p.practice_id),
    totpRequired: row.role !== 'biller' || practices.some((p) => p.biller_totp_required),
  };
}

/** The principal a signed-in user acts as: the same shape an API key gives. */
export function principalOfUser(user: UserRecord): Principal {
  return { userId: user.id, role: user.role, practiceIds: user.practiceIds };
}

/** Creates or replaces a user (demo seed and tests); the practices are set to exactly `practiceIds`. */
export async function upsertUser(
  db: Db,
  input: {
    id: string;
    email: string;
    displayName: string;
    role: UserRole;
    passwordHash: string;
    totpSecret: string | null;
    practiceIds: string[];
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const t = trx.withTables<UserTables>();
    await t
      .insertInto('users')
      .values({
        id: input.id,
        email: input.email.toLowerCase(),
        display_name: input.displayName,
        role: input.role,
        password_hash: input.passwordHash,
        totp_secret: input.totpSecret,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          email: input.email.toLowerCase(),
          display_name: input.displayName,
          role: input.role,
          password_hash: input.passwordHash,
          totp_secret: input.totpSecret,
          disabled_at: null,
        }),
      )
      .execute();
    await t.deleteFrom('user_practices').where('user_id', '=', input.id).execute();
    if (input.practiceIds.length > 0) {
      await t
        .insertInto('user_practices')
        .values(input.practiceIds.map((p) => ({ user_id: input.id, practice_id: p })))
        .execute();
    }
  });
}

/** Records one sign-in attempt (never the password or code, only the outcome). */
export async function recordLoginAttempt(
  db: Db,
  email: string,
  succeeded: boolean,
  reason: string,
): Promise<void> {
  await users(db)
    .insertInto('login_attempts')
    .values({ email: email.trim().toLowerCase(), succeeded, reason })
    .execute();
}

/**
 * Failed attempts for `email` within the window and since its last success, with the newest one's time:
 * the lockout rule counts these.
 */
export async function recentFailures(
  db: Db,
  email: string,
  windowMs: number,
): Promise<{ count: number; lastAt: Date | null }> {
  const key = email.trim().toLowerCase();
  const since = new Date(Date.now() - windowMs);
  const row = await users(db)
    .selectFrom('login_attempts')
    .select([sql<number>`count(*)::int`.as('count'), sql<Date | null>`max(at)`.as('last_at')])
    .where('email', '=', key)
    .where('succeeded', '=', false)
    .where('at', '>', since)
    .where(({ eb, selectFrom }) =>
      eb(
        'at',
        '>',
        selectFrom('login_attempts as s')
          .select(sql<Date>`coalesce(max(s.at), '-infinity'::timestamptz)`.as('m'))
          .where('s.email', '=', key)
          .where('s.succeeded', '=', true),
      ),
    )
    .executeTakeFirstOrThrow();
  return { count: row.count, lastAt: row.last_at ? new Date(row.last_at) : null };
}

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  practiceIds: string[];
  totpEnrolled: boolean;
  disabled: boolean;
}

/** Users all of whose practices lie within `practiceIds` (an admin never sees another practice's people). */
export async function listUsers(db: Db, practiceIds: readonly string[]): Promise<UserView[]> {
  const rows = await users(db)
    .selectFrom('users')
    .leftJoin('user_practices', 'user_practices.user_id', 'users.id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.role',
      'users.totp_secret',
      'users.disabled_at',
      sql<
        string[]
      >`coalesce(array_agg(user_practices.practice_id order by user_practices.practice_id) filter (where user_practices.practice_id is not null), '{}')`.as(
        'practice_ids',
      ),
    ])
    .groupBy('users.id')
    .orderBy('users.email')
    .execute();
  return rows
    .filter((r) => r.practice_ids.length > 0 && r.practice_ids.every((p) => practiceIds.includes(p)))
    .map((r) => ({
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      role: r.role,
      practiceIds: r.practice_ids,
      totpEnrolled: r.totp_secret !== null,
      disabled: r.disabled_at !== null,
    }));
}

/** Disables a user (they cannot sign in; their sessions are ended by the caller). */
export async function disableUser(db: Db, id: string): Promise<void> {
  await users(db)
    .updateTable('users')
    .set({ disabled_at: sql`coalesce(disabled_at, now())` })
    .where('id', '=', id)
    .execute();
}
