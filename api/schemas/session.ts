/** Console sign-in and sessions. */
import { Type } from 'typebox';
import { strict } from './common.js';

/** The header a state-changing request of a console session carries its CSRF token in. */
export const CSRF_HEADER_NAME = 'x-csrf-token';

export const UserRole = Type.Union([
  Type.Literal('biller'),
  Type.Literal('supervisor'),
  Type.Literal('admin'),
]);

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    totp: Type.Optional(
      Type.String({ pattern: '^\\d{6}$', description: 'the 6-digit code of the authenticator app' }),
    ),
  },
  strict,
);

export const SessionView = Type.Object(
  {
    user: Type.Object(
      {
        id: Type.String(),
        email: Type.String(),
        displayName: Type.String(),
        role: UserRole,
        practiceIds: Type.Array(Type.String()),
        totpRequired: Type.Boolean(),
      },
      strict,
    ),
    csrfToken: Type.String({
      description: `send it as \`${CSRF_HEADER_NAME}\` on every state-changing request`,
    }),
    expiresAt: Type.String({ format: 'date-time', description: 'the absolute end of the session' }),
    idleTimeoutSeconds: Type.Integer(),
  },
  strict,
);

export const SignedOut = Type.Object({ signedOut: Type.Boolean() }, strict);
export const SignedOutEverywhere = Type.Object({ revoked: Type.Integer() }, strict);
