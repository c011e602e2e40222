/**
 * Console sessions on the API side: the cookie that carries a session, the CSRF rule, and the lookup
 * that turns a valid session into the same `Principal` an API key gives (same roles, same practices).
 * Browsers never hold API keys; integrations never need a cookie.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../db/api-keys.js';
import type { Db } from '../../db/pool.js';
import { hashSessionToken, type SessionLimits, touchSession } from '../../db/sessions.js';
import { findUserById, principalOfUser } from '../../db/users.js';
import { Problem } from '../plugins/problems.js';

export const SESSION_COOKIE = 'dd_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Idle 30 minutes, absolute 12 hours: a working day, and an unattended screen signs itself out. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 };

/** Methods that change nothing: the only ones allowed without the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session token of a request's cookie, if any. */
export function sessionToken(req: FastifyRequest): string | undefined {
  const v = req.cookies?.[SESSION_COOKIE];
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined;
}

/** The rate-limit key of a request's session cookie (its hash: the token itself is never kept). */
export function sessionRateKey(req: FastifyRequest): string | undefined {
  const token = sessionToken(req);
  return token ? `session:${hashSessionToken(token)}` : undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The principal of a request's session cookie, or undefined without a live session. A state-changing
 * request must also carry the session's CSRF token in `x-csrf-token` (synchronizer token: a cross-site
 * page can make the browser send the cookie, never read the token), else 403.
 */
export async function sessionPrincipal(
  db: Db,
  req: FastifyRequest,
  limits: SessionLimits,
): Promise<Principal | undefined> {
  const token = sessionToken(req);
  if (!token) return undefined;
  const session = await touchSession(db, token, limits);
  if (!session) return undefined;
  if (!SAFE_METHODS.has(req.method)) {
    const given = req.headers[CSRF_HEADER];
    if (typeof given !== 'string' || !sameToken(given, session.csrfToken)) {
      throw new Problem(
        403,
        'Forbidden',
        `a state-changing request needs the session's ${CSRF_HEADER} header`,
      );
    }
  }
  const user = await findUserById(db, session.userId);
  return user ? principalOfUser(user) : undefined;
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure when the request came over TLS. */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
    expires: expiresAt,
  });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
  });
}
