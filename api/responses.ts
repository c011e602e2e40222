/**
 * TypeBox schemas of the API's answers. They document every route in the OpenAPI document and are what
 * the schema-driven fuzz run (test/api/openapi-fuzz.test.ts) checks real answers against. Answers are
 * serialized with plain JSON.stringify (see app.ts), so a schema never silently reshapes an answer:
 * a mismatch is a failing test, not a dropped field.
 */
import { type TSchema, Type } from 'typebox';
import { CLAIM_STATUSES } from '../domain/claim-status.js';
import { AGING_BUCKETS, KPI_DEFINITIONS } from '../domain/kpi.js';

const strict = { additionalProperties: false } as const;

/** `T | null`. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const Cents = Type.Integer({ description: 'integer cents' });
const DateTime = Type.String({ format: 'date-time' });
const IsoDate = Type.String({ format: 'date' });
const Uuid = Type.String({ format: 'uuid' });

/** RFC 9457 problem details, with field paths for validation errors. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }, strict))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details (application/problem+json)' },
);

/** The error answers every authenticated route may give. */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  429: ProblemSchema,
  500: ProblemSchema,
} as const;

export const claimSummaryProperties = {
  id: Uuid,
  practiceId: Type.String(),
  claimId: Type.String(),
  payerId: Type.String(),
  status: Type.Enum(CLAIM_STATUSES),
  workflowId: Type.String(),
  temporalUiUrl: Type.String({ description: 'the claim workflow in the Temporal Web UI' }),
  dateOfService: IsoDate,
  totalChargeCents: Cents,
  paidCents: Cents,
  adjustmentCents: Cents,
  patientResponsibilityCents: Cents,
  patientPaidCents: Cents,
  writtenOffCents: Cents,
  openBalanceCents: Cents,
  denialCategory: Nullable(Type.String()),
  recommendedAction: Nullable(Type.String()),
  assignedTo: Nullable(Type.String()),
  escalated: Type.Boolean(),
  priority: Type.Integer({ description: 'priority stored by the workflow at the claim’s last change' }),
  nextDeadline: Nullable(DateTime),
  payerClaimNumber: Nullable(Type.String()),
  submittedAt: Nullable(DateTime),
  firstDeniedAt: Nullable(DateTime),
  firstActionAt: Nullable(DateTime),
  lastActivityAt: DateTime,
  createdAt: DateTime,
};

export const ClaimSummary = Type.Object(claimSummaryProperties, strict);

const Coded = Type.Object({ code: Type.String(), text: Type.String() }, strict);

export const Posting = Type.Object(
  {
    id: Uuid,
    payerId: Type.String(),
    traceNumber: Type.String(),
    paymentDate: IsoDate,
    payerClaimNumber: Type.String(),
    statusCode: Type.String(),
    isReversal: Type.Boolean(),
    chargeCents: Cents,
    paidCents: Cents,
    patientResponsibilityCents: Cents,
    remarks: Type.Array(Coded),
    postedAt: DateTime,
    adjustments: Type.Array(
      Type.Object(
        {
          lineNumber: Nullable(Type.Integer()),
          procedureCode: Nullable(Type.String()),
          group: Type.String(),
          reason: Coded,
          amountCents: Cents,
          remarks: Type.Array(Coded),
        },
        strict,
      ),
    ),
  },
  strict,
);

/** The live `state` query answer (workflows/messages.ts ClaimView); documented loosely, it is the workflow's. */
export const LiveState = Type.Object(
  { status: Type.String(), workflowId: Type.String() },
  { additionalProperties: true, description: 'the claim workflow’s `state` query (ClaimView)' },
);

export const ClaimDetail = Type.Object(
  {
    ...claimSummaryProperties,
    lines: Type.Array(
      Type.Object(
        {
          lineNumber: Type.Integer(),
          procedureCode: Type.String(),
          modifiers: Type.Array(Type.String()),
          units: Type.Integer(),
          chargeCents: Cents,
          serviceDate: IsoDate,
        },
        strict,
      ),
    ),
    postings: Type.Array(Posting),
    live: Nullable(LiveState),
    liveError: Type.Optional(Type.String()),
  },
  strict,
);

export const CreatedClaim = Type.Object({ ...claimSummaryProperties, created: Type.Boolean() }, strict);

export const BatchResult = Type.Object(
  {
    accepted: Type.Integer({ description: 'items stored (new or already known)' }),
    refused: Type.Integer(),
    results: Type.Array(
      Type.Object(
        {
          index: Type.Integer({ minimum: 0 }),
          outcome: Type.Union([
            Type.Literal('created'),
            Type.Literal('exists'),
            Type.Literal('invalid'),
            Type.Literal('forbidden'),
          ]),
          claim: Type.Optional(ClaimSummary),
          errors: Type.Optional(
            Type.Array(Type.Object({ field: Type.String(), message: Type.String() }, strict)),
          ),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const DecisionResult = Type.Object({ claim: ClaimSummary, state: LiveState }, strict);

/** A decision the workflow accepted and is still applying when the request stopped waiting. */
export const PendingDecision = Type.Object(
  {
    accepted: Type.Literal(true),
    updateId: Type.String({ description: 'the Temporal update id' }),
    claim: ClaimSummary,
    detail: Type.String(),
  },
  strict,
);

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Nullable(
        Type.String({ description: 'pass as `cursor` for the next page; null on the last page' }),
      ),
    },
    strict,
  );

export const ClaimEvent = Type.Object(
  {
    id: Type.String({ description: 'event sequence id (ascending)' }),
    at: DateTime,
    actor: Type.String(),
    kind: Type.String(),
    fromStatus: Nullable(Type.String()),
    toStatus: Nullable(Type.String()),
    reason: Nullable(Type.String()),
    data: Type.Unknown(),
    requestId: Nullable(Type.String()),
  },
  strict,
);

export const WorklistItem = Type.Object(
  {
    ...claimSummaryProperties,
    livePriority: Type.Integer({
      description: 'open balance x recoverability / days to the next deadline, computed now',
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

export const RemittanceItem = Type.Object(
  {
    id: Uuid,
    eraFileId: Uuid,
    practiceId: Nullable(Type.String()),
    payerId: Type.String(),
    traceNumber: Type.String(),
    paymentCents: Cents,
    paymentMethod: Type.String(),
    paymentDate: IsoDate,
    receivedAt: DateTime,
    postedClaims: Type.Integer(),
    unmatchedClaims: Type.Integer(),
  },
  strict,
);

export const UnmatchedItem = Type.Object(
  {
    id: Uuid,
    remittanceId: Uuid,
    claimIndex: Type.Integer(),
    practiceId: Nullable(Type.String()),
    payerId: Type.String(),
    traceNumber: Type.String(),
    paymentDate: IsoDate,
    patientControlNumber: Type.String(),
    payerClaimNumber: Type.String(),
    paidCents: Cents,
    reason: Type.String({ description: 'UNKNOWN_CLAIM, AMBIGUOUS_CLAIM, CLOSED_CLAIM or AMOUNT_MISMATCH' }),
    status: Type.Union([Type.Literal('OPEN'), Type.Literal('MATCHED')]),
    matchedClaimId: Nullable(Uuid),
    matchedBy: Nullable(Type.String()),
    matchedAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  strict,
);

export const MatchResult = Type.Object(
  { unmatched: UnmatchedItem, claim: ClaimSummary, paymentId: Uuid, signalled: Type.Boolean() },
  strict,
);

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

const Rate = Nullable(
  Type.Number({ minimum: 0, description: 'a fraction (0.25 = 25 %); null when nothing was counted' }),
);

export const KpiReport = Type.Object(
  {
    practiceId: Type.String(),
    from: IsoDate,
    to: IsoDate,
    asOf: DateTime,
    denialRate: Type.Object(
      {
        adjudicatedClaims: Type.Integer(),
        deniedClaims: Type.Integer(),
        byCount: Rate,
        chargesCents: Cents,
        deniedCents: Cents,
        byDollars: Rate,
        duplicateOnlyClaimsExcluded: Type.Integer(),
      },
      { ...strict, description: KPI_DEFINITIONS.denialRate },
    ),
    cleanClaimRate: Type.Object(
      {
        claims: Type.Integer(),
        cleanClaims: Type.Integer(),
        byCount: Rate,
        chargesCents: Cents,
        cleanChargesCents: Cents,
        byDollars: Rate,
      },
      { ...strict, description: KPI_DEFINITIONS.cleanClaimRate },
    ),
    daysInAr: Type.Object(
      {
        openArCents: Cents,
        periodChargesCents: Cents,
        periodDays: Type.Integer(),
        days: Nullable(Type.Number()),
      },
      { ...strict, description: KPI_DEFINITIONS.daysInAr },
    ),
    arAging: Type.Object(
      {
        basis: Type.Literal('date_of_service'),
        buckets: Type.Array(
          Type.Object(
            {
              label: Type.Enum(AGING_BUCKETS.map((b) => b.label)),
              claims: Type.Integer(),
              cents: Cents,
              shareOfDollars: Rate,
            },
            strict,
          ),
        ),
        over90DaysShareOfDollars: Rate,
      },
      { ...strict, description: KPI_DEFINITIONS.arAging },
    ),
    appealOverturnRate: Type.Object(
      {
        decided: Type.Integer(),
        overturned: Type.Integer(),
        byCount: Rate,
        decidedCents: Cents,
        overturnedCents: Cents,
        byDollars: Rate,
      },
      { ...strict, description: KPI_DEFINITIONS.appealOverturnRate },
    ),
    netCollectionRate: Type.Object(
      { collectedCents: Cents, chargesCents: Cents, contractualCents: Cents, rate: Rate },
      { ...strict, description: KPI_DEFINITIONS.netCollectionRate },
    ),
    denialsByCategory: Type.Array(
      Type.Object({ category: Type.String(), claims: Type.Integer(), deniedCents: Cents }, strict),
      {
        description: KPI_DEFINITIONS.denialsByCategory,
      },
    ),
    denialsByPayer: Type.Array(
      Type.Object(
        {
          payerId: Type.String(),
          adjudicatedClaims: Type.Integer(),
          deniedClaims: Type.Integer(),
          byCount: Rate,
          chargesCents: Cents,
          deniedCents: Cents,
          byDollars: Rate,
        },
        strict,
      ),
      { description: KPI_DEFINITIONS.denialsByPayer },
    ),
    timeToFirstAction: Type.Object(
      {
        denials: Type.Integer(),
        acted: Type.Integer(),
        averageDays: Nullable(Type.Number()),
        medianDays: Nullable(Type.Number()),
        targetBusinessDays: Type.Integer(),
        due: Type.Integer(),
        withinTarget: Type.Integer(),
        withinTargetByCount: Rate,
        dueCents: Cents,
        withinTargetCents: Cents,
        withinTargetByDollars: Rate,
      },
      { ...strict, description: KPI_DEFINITIONS.timeToFirstAction },
    ),
  },
  strict,
);
