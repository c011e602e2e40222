/**
 * Console users of the caller's practices: supervisors and admins list them; admins add one (with a
 * first password and a TOTP secret shown once) or disable one, which also ends every session.
 */
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { Type } from 'typebox';
import { revokeUserSessions } from '../../db/sessions.js';
import {
  disableUser,
  findUserByEmail,
  generateTotpSecret,
  listUsers,
  USER_ROLES,
  upsertUser,
} from '../../db/users.js';
import type { App, AppDeps } from '../app.js';
import { conflict, notFound } from '../errors.js';
import * as r from '../responses.js';
import { otpauthUri } from '../sessions/totp.js';
import { forbiddenPractice } from '../views.js';

const Role = Type.Union([Type.Literal('biller'), Type.Literal('supervisor'), Type.Literal('admin')], {
  description: `one of ${USER_ROLES.join(', ')}`,
});
const UserView = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    role: Role,
    practiceIds: Type.Array(Type.String()),
    totpEnrolled: Type.Boolean(),
    disabled: Type.Boolean(),
  },
  { additionalProperties: false },
);

const CreateUser = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 200 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    role: Role,
    practiceIds: Type.Array(Type.String({ pattern: '^[a-z0-9-]{1,20}$' }), { minItems: 1, maxItems: 50 }),
    totp: Type.Optional(
      Type.Boolean({ description: 'enrol TOTP now (always for supervisors and admins)', default: true }),
    ),
  },
  { additionalProperties: false },
);

export function userRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          operationId: 'listUsers',
          summary: 'Console users whose practices are all among the caller’s',
          response: {
            200: Type.Object({ items: Type.Array(UserView) }, { additionalProperties: false }),
            ...r.problemResponses,
          },
        },
        config: { roles: ['supervisor', 'admin'] },
      },
      async (req) => ({ items: await listUsers(deps.db, req.principal!.practiceIds) }),
    );

    app.post(
      '/users',
      {
        schema: {
          body: CreateUser,
          tags: ['users'],
          operationId: 'createUser',
          summary: 'Add a console user: the first password and TOTP secret are in this answer only',
          response: {
            201: Type.Object(
              {
                user: UserView,
                password: Type.String(),
                totpSecret: Type.Union([Type.String(), Type.Null()]),
                otpauthUri: Type.Union([Type.String(), Type.Null()]),
              },
              { additionalProperties: false },
            ),
            409: r.ProblemSchema,
            ...r.problemResponses,
          },
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
          params: Type.Object(
            { id: Type.String({ minLength: 1, maxLength: 100 }) },
            { additionalProperties: false },
          ),
          tags: ['users'],
          operationId: 'disableUser',
          summary: 'Disable a console user and end all their sessions',
          response: {
            200: Type.Object(
              { user: UserView, sessionsEnded: Type.Integer() },
              { additionalProperties: false },
            ),
            ...r.problemResponses,
          },
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
