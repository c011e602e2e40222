/**
 * Console sessions in Postgres. The browser holds a random token in an HttpOnly cookie; only its SHA-256
 * hash is stored, so a database read never yields a usable session. Each session carries its own CSRF
 * token (synchronizer token), handed to the page and required on every state-changing request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './pool.js';

export type SessionTables = {
  sessions: {
    token_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
  };
};

export interface SessionLimits {
  /** A session not used for this long is over. */
  idleMs: number;
  /** A session is over this long after sign-in, however busy. */
  absoluteMs: number;
}

export interface LiveSession {
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

const sessions = (db: Db) => db.withTables<SessionTables>();

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opens a session; returns the clear token (for the cookie) and its CSRF token. */
export async function openSession(
  db: Db,
  userId: string,
  limits: SessionLimits,
  now = new Date(),
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + limits.absoluteMs);
  await sessions(db)
    .insertInto('sessions')
    .values({
      token_hash: hashSessionToken(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/**
 * The session of a token if it is neither revoked, past its absolute expiry, nor idle too long; using
 * it moves its idle clock (one UPDATE, so a concurrent request cannot revive an expired session).
 */
export async function touchSession(
  db: Db,
  token: string,
  limits: SessionLimits,
  now = new Date(),
): Promise<LiveSession | undefined> {
  const row = await sessions(db)
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('token_hash', '=', hashSessionToken(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', new Date(now.getTime() - limits.idleMs))
    .returning(['user_id', 'csrf_token', 'expires_at'])
    .executeTakeFirst();
  return row ? { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at } : undefined;
}

/** Ends one session (sign out). */
export async function revokeSession(db: Db, token: string): Promise<void> {
  await sessions(db)
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('token_hash', '=', hashSessionToken(token))
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of a user (sign out everywhere); returns how many were open. */
export async function revokeUserSessions(db: Db, userId: string): Promise<number> {
  const rows = await sessions(db)
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('token_hash')
    .execute();
  return rows.length;
}
