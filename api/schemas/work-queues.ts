/** The biller's work queue (GET /worklist) and the supervisor's stuck list (GET /claims/stuck). */
import { Type } from 'typebox';
import { DENIAL_CATEGORIES } from '../../domain/carc.js';
import { CLAIM_SUMMARY_EXAMPLE, claimSummaryProperties } from './claims.js';
import { Cursor, Limit, PayerId, PracticeId, strict } from './common.js';

export const WorklistQuery = Type.Object(
  {
    practiceId: Type.Optional(PracticeId()),
    assignedTo: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    unassigned: Type.Optional(Type.Boolean()),
    denialCategory: Type.Optional(Type.Array(Type.Enum(DENIAL_CATEGORIES), { maxItems: 20 })),
    payerId: Type.Optional(Type.Array(PayerId, { maxItems: 20 })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit(200, 50)),
  },
  strict,
);

/** Days without activity after which an open claim counts as stuck, unless the request says otherwise. */
export const DEFAULT_UNTOUCHED_DAYS = 45;

export const StuckQuery = Type.Object(
  {
    practiceId: Type.Optional(PracticeId()),
    nearDeadlineDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 90, default: 7 })),
    untouchedDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3650,
        default: DEFAULT_UNTOUCHED_DAYS,
        description: 'an open claim with no activity for this many days is stuck work',
      }),
    ),
    minActivityAttempts: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, default: 3 })),
    checkActivities: Type.Optional(Type.Boolean({ default: true })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  strict,
);

export const WorklistItem = Type.Object(
  {
    ...claimSummaryProperties,
    livePriority: Type.Integer({
      description:
        'the claim’s priority: open balance x recoverability / days to the next deadline, computed now',
    }),
  },
  strict,
);

export const STUCK_REASONS = [
  'ESCALATED',
  'DEADLINE_PASSED',
  'DEADLINE_NEAR',
  'REVIEW_SLA_EXCEEDED',
  'UNTOUCHED',
  'ACTIVITY_FAILING',
] as const;

export const StuckItem = Type.Object(
  {
    ...claimSummaryProperties,
    reasons: Type.Array(Type.Object({ code: Type.Enum(STUCK_REASONS), detail: Type.String() }, strict), {
      minItems: 1,
    }),
  },
  strict,
);

export const StuckList = Type.Object(
  {
    items: Type.Array(StuckItem),
    activityCheck: Type.Object(
      {
        described: Type.Integer({ description: 'claim workflows whose pending activities were inspected' }),
        failed: Type.Integer({
          description: 'workflows that could not be described (left out of the check)',
        }),
      },
      strict,
    ),
  },
  strict,
);

/** A page of the work queue (shown in the OpenAPI document). */
export const WORKLIST_PAGE_EXAMPLE = {
  items: [{ ...CLAIM_SUMMARY_EXAMPLE, livePriority: 8_000 }],
  nextCursor: null,
};
