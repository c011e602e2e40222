/** Webhook deliveries an admin reviews: the failed ones, and a redelivery request. */
import { Type } from 'typebox';
import { DateTime, Nullable, PracticeId, strict, Uuid } from './common.js';

export const FailedQuery = Type.Object(
  {
    practiceId: Type.Optional(PracticeId('only this practice (one of the key’s)')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  strict,
);

export const FailedNotification = Type.Object(
  {
    id: Uuid,
    practiceId: Type.String(),
    claimId: Nullable(Uuid),
    channel: Type.String(),
    kind: Type.String(),
    attempts: Type.Integer(),
    lastError: Nullable(Type.String()),
    lastAttemptAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  strict,
);

export const FailedList = Type.Object({ items: Type.Array(FailedNotification) }, strict);

export const NotificationParams = Type.Object({ id: Uuid }, strict);

export const RedeliveryAccepted = Type.Object(
  { accepted: Type.Literal(true), workflowId: Type.String() },
  strict,
);
