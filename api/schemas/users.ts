/** Console users of the caller's practices. */
import { Type } from 'typebox';
import { Nullable, PracticeId, strict } from './common.js';
import { UserRole } from './session.js';

export const UserView = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    role: UserRole,
    practiceIds: Type.Array(Type.String()),
    totpEnrolled: Type.Boolean(),
    disabled: Type.Boolean(),
  },
  strict,
);

export const UserList = Type.Object({ items: Type.Array(UserView) }, strict);

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 200 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    role: UserRole,
    practiceIds: Type.Array(PracticeId(), { minItems: 1, maxItems: 50, uniqueItems: true }),
    totp: Type.Optional(
      Type.Boolean({ description: 'enrol TOTP now (always for supervisors and admins)', default: true }),
    ),
  },
  strict,
);

export const CreatedUser = Type.Object(
  {
    user: UserView,
    password: Type.String({ description: 'the first password: shown in this answer only' }),
    totpSecret: Nullable(Type.String({ description: 'base32; shown in this answer only' })),
    otpauthUri: Nullable(Type.String()),
  },
  strict,
);

export const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, strict);

export const DisabledUser = Type.Object({ user: UserView, sessionsEnded: Type.Integer() }, strict);
