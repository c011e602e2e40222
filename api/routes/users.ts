/**
 * Console users of the caller's practices: supervisors and admins list them; admins add one (with a
 * first password and a TOTP secret shown once) or disable one, which also ends every session.
 */
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { revokeUserSessions } from '../../db/sessions.js';
import { disableUser, findUserByEmail, generateTotpSecret, listUsers, upsertUser } from '../../db/users.js';
import { forbiddenPractice } from '../plugins/auth.js';
import { conflict, notFound } from '../plugins/problems.js';
import { problemResponse } from '../schemas/common.js';
import * as s from '../schemas/users.js';
import { otpauthUri } from '../sessions/totp.js';
import type { App, AppDeps } from '../types.js';

export function userRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          operationId: 'listUsers',
          summary: 'Console users whose practices are all among the caller’s',
          response: { 200: s.UserList },
        },
        config: { roles: ['supervisor', 'admin'] },
      },
      async (req) => ({ items: await listUsers(deps.db, req.principal!.practiceIds) }),
    );

    app.post(
      '/users',
      {
        schema: {
          body: s.CreateUserBody,
          tags: ['users'],
          operationId: 'createUser',
          summary: 'Add a console user: the first password and TOTP secret are in this answer only',
          response: { 201: s.CreatedUser, 409: problemResponse('a user with this email exists') },
        },
        config: { roles: ['admin'], idempotent: true },
      },
      async (req, reply) => {
        const b = req.body;
        const outside = b.practiceIds.find((p) => !req.principal!.practiceIds.includes(p));
        if (outside) throw forbiddenPractice(outside);
        if (await findUserByEmail(deps.db, b.email)) throw conflict(`a user with email ${b.email} exists`);
        const password = randomBytes(12).toString('base64url');
        const totpSecret = b.role !== 'biller' || (b.totp ?? true) ? generateTotpSecret() : null;
        const id = `u-${randomBytes(6).toString('hex')}`;
        await upsertUser(deps.db, {
          id,
          email: b.email,
          displayName: b.displayName,
          role: b.role,
          passwordHash: await hash(password),
          totpSecret,
          practiceIds: [...new Set(b.practiceIds)].sort(),
        });
        const user = (await listUsers(deps.db, req.principal!.practiceIds)).find((u) => u.id === id)!;
        return reply.status(201).send({
          user,
          password,
          totpSecret,
          otpauthUri: totpSecret ? otpauthUri(totpSecret, b.email) : null,
        });
      },
    );

    app.delete(
      '/users/:id',
      {
        schema: {
          params: s.UserParams,
          tags: ['users'],
          operationId: 'disableUser',
          summary: 'Disable a console user and end all their sessions',
          response: { 200: s.DisabledUser },
        },
        config: { roles: ['admin'] },
      },
      async (req) => {
        const inScope = (await listUsers(deps.db, req.principal!.practiceIds)).find(
          (u) => u.id === req.params.id,
        );
        if (!inScope) throw notFound(`user ${req.params.id}`);
        await disableUser(deps.db, inScope.id);
        const sessionsEnded = await revokeUserSessions(deps.db, inScope.id);
        return { user: { ...inScope, disabled: true }, sessionsEnded };
      },
    );
  };
}
