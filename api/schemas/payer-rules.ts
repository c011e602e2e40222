/** Payer rules: the versions, the rules in force, the change log, and adding a version. */
import { Type } from 'typebox';
import { DateParam, DateTime, IsoDate, Nullable, PayerId, PracticeId, strict } from './common.js';

export const PayerParams = Type.Object({ id: PayerId }, strict);

export const PayerRulesSchema = Type.Object(
  {
    followUpDays: Type.Integer({ minimum: 1, maximum: 365 }),
    maxFollowUps: Type.Integer({ minimum: 1, maximum: 50 }),
    timelyFilingDays: Type.Integer({ minimum: 1, maximum: 3650 }),
    appealWindowDays: Type.Array(Type.Integer({ minimum: 1, maximum: 3650 }), { minItems: 1, maxItems: 10 }),
    appealDecisionFollowUpDays: Type.Integer({ minimum: 1, maximum: 365 }),
    reviewSlaDays: Type.Integer({ minimum: 1, maximum: 365 }),
    reminderOffsetsDays: Type.Array(Type.Integer({ minimum: 0, maximum: 365 }), { maxItems: 20 }),
    dunningCadenceDays: Type.Array(Type.Integer({ minimum: 0, maximum: 3650 }), {
      minItems: 1,
      maxItems: 20,
    }),
    finalNoticeDays: Type.Integer({ minimum: 1, maximum: 365 }),
    collectionsAfterDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    receiptPresumptionDays: Type.Integer({ minimum: 0, maximum: 30 }),
  },
  strict,
);

export const RuleChangeBody = Type.Object(
  {
    practiceId: Nullable(PracticeId('null changes the payer default (admin only)')),
    effectiveFrom: DateParam('the first day the rules apply'),
    rules: PayerRulesSchema,
  },
  strict,
);

export const RuleVersion = Type.Object(
  {
    id: Type.String(),
    practiceId: Nullable(Type.String({ description: 'null: the payer default' })),
    effectiveFrom: IsoDate,
    rules: PayerRulesSchema,
    createdBy: Type.String(),
    createdAt: DateTime,
  },
  strict,
);

export const RuleChange = Type.Object(
  {
    id: Type.String(),
    practiceId: Nullable(Type.String()),
    effectiveFrom: IsoDate,
    actor: Type.String(),
    requestId: Nullable(Type.String()),
    previous: Type.Unknown({ description: 'the version in force for that scope before, or null' }),
    rules: PayerRulesSchema,
    signalledClaims: Type.Integer(),
    at: DateTime,
  },
  strict,
);

export const PayerRulesView = Type.Object(
  {
    payerId: Type.String(),
    inForce: Type.Array(
      Type.Object(
        {
          practiceId: Type.String(),
          source: Type.Union([Type.Literal('practice'), Type.Literal('payer'), Type.Literal('default')]),
          rules: PayerRulesSchema,
        },
        strict,
      ),
      { description: 'the rules each of the caller’s practices follows today' },
    ),
    versions: Type.Array(RuleVersion),
    changes: Type.Array(RuleChange),
  },
  strict,
);

export const RuleChangeResult = Type.Object(
  {
    version: RuleVersion,
    changeId: Type.String(),
    signalledClaims: Nullable(
      Type.Integer({
        description:
          'running claims told to reload their rules: 0 for a future version (its rollout waits for the date), ' +
          'null while a large rollout is still going on',
      }),
    ),
    rolloutWorkflowId: Type.String({
      description: 'the Temporal workflow that brings the version to waiting claims',
    }),
  },
  strict,
);
