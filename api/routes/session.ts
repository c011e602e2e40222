/**
 * Console sign-in: password (argon2id) plus a TOTP code where required, a session cookie, its CSRF
 * token, sign-out and sign-out everywhere. Repeated failures lock the account for a while; the answer
 * never says whether the email exists.
 */
import { hash, verify } from '@node-rs/argon2';
import {
  openSession,
  revokeSession,
  revokeUserSessions,
  type SessionLimits,
  touchSession,
} from '../../db/sessions.js';
import { findUserByEmail, findUserById, recentFailures, recordLoginAttempt } from '../../db/users.js';
import { Problem } from '../plugins/problems.js';
import { problemResponse } from '../schemas/common.js';
import * as s from '../schemas/session.js';
import {
  clearSessionCookie,
  DEFAULT_SESSION_LIMITS,
  sessionPrincipal,
  sessionToken,
  setSessionCookie,
} from '../sessions/plugin.js';
import { verifyTotp } from '../sessions/totp.js';
import type { App, AppDeps } from '../types.js';

/** Failed sign-ins within `LOCKOUT_WINDOW_MS` that lock the account until the window passes. */
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;

// A real argon2id hash to verify against when the email is unknown, so both cases take the same time.
const decoyHash = hash('not-a-password-anyone-has');

export function sessionRoutes(deps: AppDeps) {
  const limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS, ...deps.sessions };
  const viewOf = async (userId: string, csrfToken: string, expiresAt: Date) => {
    const user = await findUserById(deps.db, userId);
    if (!user) throw new Problem(401, 'Unauthorized', 'no signed-in user');
    return {
      user: {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        role: user.role,
        practiceIds: user.practiceIds,
        totpRequired: user.totpRequired,
      },
      csrfToken,
      expiresAt: expiresAt.toISOString(),
      idleTimeoutSeconds: Math.round(limits.idleMs / 1000),
    };
  };

  return async function routes(app: App): Promise<void> {
    app.post(
      '/session',
      {
        schema: {
          body: s.LoginBody,
          tags: ['session'],
          operationId: 'signIn',
          summary: 'Sign in to the console: email, password and (where required) a TOTP code',
          description:
            'Sets an HttpOnly, SameSite=Strict session cookie and answers the CSRF token. 401 when the ' +
            'credentials are wrong (`totpRequired: true` when only the code is missing or wrong); 429 ' +
            `after ${LOCKOUT_FAILURES} failures within ${LOCKOUT_WINDOW_MS / 60_000} minutes.`,
          security: [],
          response: {
            200: s.SessionView,
            401: problemResponse('wrong credentials, or the TOTP code is missing or wrong (`totpRequired`)'),
          },
        },
        config: { roles: 'public' },
      },
      async (req, reply) => {
        const { email, password, totp } = req.body;
        const failures = await recentFailures(deps.db, email, LOCKOUT_WINDOW_MS);
        if (failures.count >= LOCKOUT_FAILURES && failures.lastAt) {
          await recordLoginAttempt(deps.db, email, false, 'locked');
          const retryAfter = Math.max(
            1,
            Math.ceil((failures.lastAt.getTime() + LOCKOUT_WINDOW_MS - Date.now()) / 1000),
          );
          reply.header('retry-after', String(retryAfter));
          throw new Problem(
            429,
            'Too Many Requests',
            `too many failed sign-ins: the account is locked for ${Math.ceil(retryAfter / 60)} minutes`,
          );
        }
        const user = await findUserByEmail(deps.db, email);
        const passwordOk = await verify(user?.passwordHash ?? (await decoyHash), password).catch(() => false);
        if (!user || !passwordOk) {
          await recordLoginAttempt(deps.db, email, false, 'password');
          throw new Problem(401, 'Unauthorized', 'the email or password is wrong');
        }
        if (user.totpRequired || user.totpSecret) {
          if (!user.totpSecret) {
            await recordLoginAttempt(deps.db, email, false, 'totp-not-enrolled');
            throw new Problem(401, 'Unauthorized', 'this account needs an authenticator app: ask an admin', {
              totpRequired: true,
            });
          }
          if (!totp || !verifyTotp(user.totpSecret, totp)) {
            await recordLoginAttempt(deps.db, email, false, totp ? 'totp' : 'totp-missing');
            throw new Problem(
              401,
              'Unauthorized',
              totp ? 'the authentication code is wrong' : 'enter the code of your authenticator app',
              {
                totpRequired: true,
                errors: [{ field: 'body/totp', message: totp ? 'is wrong' : 'is required' }],
              },
            );
          }
        }
        await recordLoginAttempt(deps.db, email, true, 'ok');
        const session = await openSession(deps.db, user.id, limits);
        setSessionCookie(req, reply, session.token, session.expiresAt);
        req.log.info({ userId: user.id }, 'console sign-in');
        return viewOf(user.id, session.csrfToken, session.expiresAt);
      },
    );

    app.get(
      '/session',
      {
        schema: {
          tags: ['session'],
          operationId: 'getSession',
          summary: 'The signed-in user, their practices and the session’s CSRF token',
          security: [],
          response: { 200: s.SessionView, 401: problemResponse('not signed in, or the session has expired') },
        },
        config: { roles: 'public' },
      },
      async (req) => {
        const token = sessionToken(req);
        const session = token ? await touchSession(deps.db, token, limits) : undefined;
        if (!session) throw new Problem(401, 'Unauthorized', 'not signed in, or the session has expired');
        return viewOf(session.userId, session.csrfToken, session.expiresAt);
      },
    );

    app.delete(
      '/session',
      {
        schema: {
          tags: ['session'],
          operationId: 'signOut',
          summary: 'Sign out: ends this session',
          security: [],
          response: {
            200: s.SignedOut,
            403: problemResponse('the session’s CSRF token is missing or wrong'),
          },
        },
        config: { roles: 'public' },
      },
      async (req, reply) => {
        const principal = await sessionPrincipal(deps.db, req, limits);
        const token = sessionToken(req);
        if (principal && token) await revokeSession(deps.db, token);
        clearSessionCookie(req, reply);
        return { signedOut: Boolean(principal) };
      },
    );

    app.post(
      '/session/sign-out-everywhere',
      {
        schema: {
          tags: ['session'],
          operationId: 'signOutEverywhere',
          summary: 'End every session of the signed-in user, on every device',
          security: [],
          response: {
            200: s.SignedOutEverywhere,
            401: problemResponse('not signed in, or the session has expired'),
            403: problemResponse('the session’s CSRF token is missing or wrong'),
          },
        },
        config: { roles: 'public' },
      },
      async (req, reply) => {
        const principal = await sessionPrincipal(deps.db, req, limits);
        if (!principal) throw new Problem(401, 'Unauthorized', 'not signed in, or the session has expired');
        const revoked = await revokeUserSessions(deps.db, principal.userId);
        clearSessionCookie(req, reply);
        return { revoked };
      },
    );
  };
}
