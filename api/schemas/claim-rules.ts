/** Claim rules (versioned), the miner's proposals, and what an adopted rule changed. */
import { Type } from 'typebox';
import { CLAIM_RULE_ACTIONS, CLAIM_RULE_KINDS } from '../../domain/claim-scrubber.js';
import { Cents, DateTime, Nullable, PayerId, PracticeId, strict, Uuid } from './common.js';

export const RuleParams = Type.Object(
  { practiceId: PracticeId(), ruleKey: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,79}$' }) },
  strict,
);
export const PracticeParams = Type.Object({ practiceId: PracticeId() }, strict);
export const ProposalParams = Type.Object({ practiceId: PracticeId(), id: Uuid }, strict);

const Procedure = Type.String({ pattern: '^[A-Z0-9]{5}$' });
const Modifier = Type.String({ pattern: '^[A-Z0-9]{2}$' });

export const RuleBody = Type.Object(
  {
    payerId: Type.Optional(PayerId),
    kind: Type.Enum(CLAIM_RULE_KINDS),
    action: Type.Enum(CLAIM_RULE_ACTIONS),
    procedureCode: Type.Optional(Procedure),
    modifier: Type.Optional(Modifier),
    diagnosisPrefixes: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Z][0-9A-Z.]{0,7}$' }), { minItems: 1, maxItems: 50 }),
    ),
    withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    description: Type.String({ minLength: 1, maxLength: 500 }),
    active: Type.Boolean({ default: true }),
  },
  strict,
);

export const RuleView = Type.Object(
  {
    id: Uuid,
    practiceId: Type.String(),
    ruleKey: Type.String(),
    version: Type.Integer(),
    payerId: Type.Optional(Type.String()),
    kind: Type.Enum(CLAIM_RULE_KINDS),
    action: Type.Enum(CLAIM_RULE_ACTIONS),
    procedureCode: Type.Optional(Type.String()),
    modifier: Type.Optional(Type.String()),
    diagnosisPrefixes: Type.Optional(Type.Array(Type.String())),
    withinDays: Type.Optional(Type.Integer()),
    description: Type.String(),
    active: Type.Boolean(),
    source: Type.Union([Type.Literal('MANUAL'), Type.Literal('LEARNED')]),
    proposalId: Nullable(Uuid),
    createdBy: Type.String(),
    createdAt: DateTime,
  },
  strict,
);
export const RuleList = Type.Object({ rules: Type.Array(RuleView) }, strict);

const ProposalStatus = Type.Union([
  Type.Literal('PROPOSED'),
  Type.Literal('ACCEPTED'),
  Type.Literal('REJECTED'),
]);
export const ProposalQuery = Type.Object({ status: Type.Optional(ProposalStatus) }, strict);
export const ProposalView = Type.Object(
  {
    id: Uuid,
    payerId: Type.String(),
    procedureCode: Type.String(),
    modifier: Type.String(),
    carc: Type.String(),
    deniedLines: Type.Integer(),
    lines: Type.Integer(),
    deniedCents: Cents,
    withModifier: Type.Object({ lines: Type.Integer(), denied: Type.Integer() }, strict),
    exampleClaimIds: Type.Array(Uuid),
    status: ProposalStatus,
    decidedBy: Nullable(Type.String()),
    decidedAt: Nullable(DateTime),
    decisionReason: Nullable(Type.String()),
    ruleKey: Nullable(Type.String()),
    proposedAt: DateTime,
  },
  strict,
);
export const ProposalList = Type.Object({ proposals: Type.Array(ProposalView) }, strict);
export const AcceptBody = Type.Object(
  {
    action: Type.Optional(Type.Enum(CLAIM_RULE_ACTIONS, { default: 'HOLD' })),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  strict,
);
export const RejectBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, strict);
export const ProposalDecision = Type.Object(
  { proposal: ProposalView, rule: Type.Optional(RuleView) },
  strict,
);
export const MiningResult = Type.Object(
  { practices: Type.Integer(), proposals: Type.Integer(), workflowId: Type.String() },
  strict,
);

const Side = Type.Object(
  {
    lines: Type.Integer(),
    denied: Type.Integer(),
    held: Type.Integer(),
    denialRate: Nullable(Type.Number()),
  },
  strict,
);
export const RuleEffect = Type.Object(
  { ruleKey: Type.String(), adoptedAt: DateTime, before: Side, after: Side },
  strict,
);
