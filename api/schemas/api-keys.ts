/** API keys: issue, list, revoke. */
import { Type } from 'typebox';
import { ROLES } from '../../db/api-keys.js';
import { DateTime, Nullable, PracticeId, strict, Uuid } from './common.js';

export const ApiKeyItem = Type.Object(
  {
    id: Uuid,
    userId: Type.String(),
    role: Type.Enum(ROLES),
    practiceIds: Type.Array(Type.String()),
    createdAt: DateTime,
    revokedAt: Nullable(DateTime),
  },
  strict,
);

/** The issued key: shown in this answer only. */
export const IssuedApiKey = Type.Object({ ...ApiKeyItem.properties, key: Type.String() }, strict);

export const IssueBody = Type.Object(
  {
    userId: Type.String({
      pattern: '^[A-Za-z0-9._@-]{1,100}$',
      description: 'who uses the key (recorded as the actor of every decision)',
    }),
    role: Type.Enum(ROLES),
    practiceIds: Type.Array(PracticeId(), { minItems: 1, maxItems: 100, uniqueItems: true }),
  },
  strict,
);

export const ApiKeyListQuery = Type.Object(
  { includeRevoked: Type.Optional(Type.Boolean({ default: false })) },
  strict,
);

export const ApiKeyList = Type.Object({ items: Type.Array(ApiKeyItem) }, strict);

export const ApiKeyParams = Type.Object({ id: Uuid }, strict);
