/**
 * Claim rules (versioned; the newest version of each key is in force), the miner's proposals, and the
 * first adjudications the miner learns from (docs/claim-rules.md). `saveClaimRule` is the only writer of
 * claim_rules: an edit never changes a version, it adds the next one.
 */
import { type Selectable, sql } from 'kysely';
import type { AdjudicatedLine, ClaimRule, RuleProposal } from '../domain/claim-scrubber.js';
import type { Db } from './pool.js';
import type { ClaimRuleProposalsTable } from './schema.js';
import { isDenialAdjustment } from './sql-fragments.js';

/** A stored rule version as the API shows it. */
export interface StoredClaimRule extends ClaimRule {
  id: string;
  practiceId: string;
  active: boolean;
  source: 'MANUAL' | 'LEARNED';
  proposalId: string | null;
  createdBy: string;
  createdAt: string;
}

type RuleRow = {
  id: string;
  practice_id: string;
  rule_key: string;
  version: number;
  payer_id: string | null;
  kind: string;
  action: string;
  params: unknown;
  description: string;
  active: boolean;
  source: 'MANUAL' | 'LEARNED';
  proposal_id: string | null;
  created_by: string;
  created_at: Date;
};

function ruleOf(r: RuleRow): StoredClaimRule {
  const params = (r.params ?? {}) as Pick<
    ClaimRule,
    'procedureCode' | 'modifier' | 'diagnosisPrefixes' | 'withinDays'
  >;
  return {
    id: r.id,
    practiceId: r.practice_id,
    ruleKey: r.rule_key,
    version: r.version,
    ...(r.payer_id === null ? {} : { payerId: r.payer_id }),
    kind: r.kind as ClaimRule['kind'],
    action: r.action as ClaimRule['action'],
    ...params,
    description: r.description,
    active: r.active,
    source: r.source,
    proposalId: r.proposal_id,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

/** The newest version of every rule key of the practice (inactive ones too, unless `activeOnly`). */
export async function latestClaimRules(
  db: Db,
  practiceId: string,
  opts: { activeOnly?: boolean } = {},
): Promise<StoredClaimRule[]> {
  const rows = await db
    .selectFrom('claim_rules as r')
    .selectAll('r')
    .where('r.practice_id', '=', practiceId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('claim_rules as n')
            .select('n.id')
            .whereRef('n.practice_id', '=', 'r.practice_id')
            .whereRef('n.rule_key', '=', 'r.rule_key')
            .whereRef('n.version', '>', 'r.version'),
        ),
      ),
    )
    .orderBy('r.created_at')
    .orderBy('r.rule_key')
    .execute();
  const rules = rows.map(ruleOf);
  return opts.activeOnly ? rules.filter((r) => r.active) : rules;
}

/** Every version of one rule, newest first. */
export async function claimRuleVersions(db: Db, practiceId: string, ruleKey: string) {
  const rows = await db
    .selectFrom('claim_rules')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('rule_key', '=', ruleKey)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(ruleOf);
}

/** Writes the next version of `ruleKey` (version 1 of a new key). Serialised per practice and key. */
export async function saveClaimRule(
  db: Db,
  input: Omit<ClaimRule, 'version'> & {
    practiceId: string;
    active: boolean;
    source: 'MANUAL' | 'LEARNED';
    proposalId?: string;
    createdBy: string;
  },
): Promise<StoredClaimRule> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`claim-rule:${input.practiceId}:${input.ruleKey}`}))`.execute(
      trx,
    );
    const last = await trx
      .selectFrom('claim_rules')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('practice_id', '=', input.practiceId)
      .where('rule_key', '=', input.ruleKey)
      .executeTakeFirst();
    const params: Record<string, unknown> = {};
    if (input.procedureCode !== undefined) params.procedureCode = input.procedureCode;
    if (input.modifier !== undefined) params.modifier = input.modifier;
    if (input.diagnosisPrefixes !== undefined) params.diagnosisPrefixes = input.diagnosisPrefixes;
    if (input.withinDays !== undefined) params.withinDays = input.withinDays;
    const row = await trx
      .insertInto('claim_rules')
      .values({
        practice_id: input.practiceId,
        rule_key: input.ruleKey,
        version: Number(last?.v ?? 0) + 1,
        payer_id: input.payerId ?? null,
        kind: input.kind,
        action: input.action,
        params: JSON.stringify(params),
        description: input.description,
        active: input.active,
        source: input.source,
        proposal_id: input.proposalId ?? null,
        created_by: input.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return ruleOf(row);
  });
}

/**
 * Every service line of each claim's first adjudication (its earliest posting that is not a reversal),
 * with whether the payer denied it: a denial adjustment on the line, or on the claim as a whole.
 */
export async function firstAdjudicatedLines(db: Db, practiceId: string): Promise<AdjudicatedLine[]> {
  const rows = await sql<{
    claim_id: string;
    payer_id: string;
    procedure_code: string;
    modifiers: string[];
    charge_cents: number;
    carcs: string[] | null;
  }>`
    with first as (
      select distinct on (p.claim_id) p.id, p.claim_id
      from claim_payments p join claims c on c.id = p.claim_id
      where c.practice_id = ${practiceId} and not p.is_reversal and p.status_code not in ('23', '25')
      order by p.claim_id, p.posted_at, p.id
    )
    select c.id as claim_id, c.payer_id, l.procedure_code, l.modifiers, l.charge_cents,
      (select array_agg(distinct a.reason_code) from claim_adjustments a
        where a.claim_payment_id = f.id and ${isDenialAdjustment('a')}
          and (a.line_number = l.line_number or a.line_number is null)) as carcs
    from first f
    join claims c on c.id = f.claim_id
    join claim_lines l on l.claim_id = c.id
    order by c.id, l.line_number`.execute(db);
  return rows.rows.map((r) => ({
    claimId: r.claim_id,
    payerId: r.payer_id,
    procedureCode: r.procedure_code,
    modifiers: r.modifiers,
    chargeCents: Number(r.charge_cents),
    denied: (r.carcs?.length ?? 0) > 0,
    carcs: r.carcs ?? [],
  }));
}

/**
 * Stores the miner's proposals: a new combination is PROPOSED; one already proposed gets the fresh
 * evidence; an accepted or rejected one is left as decided (a rejected rule is not proposed again).
 */
export async function upsertProposals(db: Db, practiceId: string, proposals: readonly RuleProposal[]) {
  let written = 0;
  for (const p of proposals) {
    const evidence = {
      carc: p.carc,
      denied_lines: p.deniedLines,
      lines: p.lines,
      denied_cents: p.deniedCents,
      with_modifier_lines: p.withModifier.lines,
      with_modifier_denied: p.withModifier.denied,
      example_claim_ids: p.exampleClaimIds,
    };
    const r = await db
      .insertInto('claim_rule_proposals')
      .values({
        practice_id: practiceId,
        payer_id: p.payerId,
        procedure_code: p.procedureCode,
        modifier: p.modifier,
        status: 'PROPOSED',
        ...evidence,
      })
      .onConflict((oc) =>
        oc
          .columns(['practice_id', 'payer_id', 'procedure_code', 'modifier'])
          .doUpdateSet({ ...evidence, updated_at: new Date() })
          .where('claim_rule_proposals.status', '=', 'PROPOSED'),
      )
      .executeTakeFirst();
    written += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return written;
}

export interface ProposalView {
  id: string;
  payerId: string;
  procedureCode: string;
  modifier: string;
  carc: string;
  deniedLines: number;
  lines: number;
  deniedCents: number;
  withModifier: { lines: number; denied: number };
  exampleClaimIds: string[];
  status: 'PROPOSED' | 'ACCEPTED' | 'REJECTED';
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  ruleKey: string | null;
  proposedAt: string;
}

type ProposalRow = Selectable<ClaimRuleProposalsTable>;

function proposalOf(r: ProposalRow): ProposalView {
  return {
    id: r.id,
    payerId: r.payer_id,
    procedureCode: r.procedure_code,
    modifier: r.modifier,
    carc: r.carc,
    deniedLines: r.denied_lines,
    lines: r.lines,
    deniedCents: Number(r.denied_cents),
    withModifier: { lines: r.with_modifier_lines, denied: r.with_modifier_denied },
    exampleClaimIds: r.example_claim_ids,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    decisionReason: r.decision_reason,
    ruleKey: r.rule_key,
    proposedAt: r.created_at.toISOString(),
  };
}

export async function listProposals(
  db: Db,
  practiceId: string,
  status?: ProposalView['status'],
): Promise<ProposalView[]> {
  let q = db.selectFrom('claim_rule_proposals').selectAll().where('practice_id', '=', practiceId);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('denied_cents', 'desc').orderBy('id').execute();
  return rows.map(proposalOf);
}

async function proposalById(db: Db, practiceId: string, id: string): Promise<ProposalView | undefined> {
  const row = await db
    .selectFrom('claim_rule_proposals')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && proposalOf(row);
}

/**
 * Accepts (the proposal becomes version 1 of a LEARNED rule that holds claims) or rejects a proposal.
 * Undefined when there is no such proposal; 'decided' when it was decided before.
 */
export async function decideProposal(
  db: Db,
  input: {
    practiceId: string;
    proposalId: string;
    accept: boolean;
    actor: string;
    reason?: string;
    action?: 'WARN' | 'HOLD';
  },
): Promise<{ proposal: ProposalView; rule?: StoredClaimRule } | 'decided' | undefined> {
  const found = await proposalById(db, input.practiceId, input.proposalId);
  if (!found) return undefined;
  const claimed = await db
    .updateTable('claim_rule_proposals')
    .set({
      status: input.accept ? 'ACCEPTED' : 'REJECTED',
      decided_by: input.actor,
      decided_at: new Date(),
      decision_reason: input.reason ?? null,
      updated_at: new Date(),
    })
    .where('id', '=', input.proposalId)
    .where('status', '=', 'PROPOSED')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return 'decided';
  let rule: StoredClaimRule | undefined;
  if (input.accept) {
    rule = await saveClaimRule(db, {
      practiceId: input.practiceId,
      ruleKey: `learned-${found.payerId}-${found.procedureCode}-${found.modifier}`.toLowerCase(),
      payerId: found.payerId,
      kind: 'MODIFIER_REQUIRED',
      action: input.action ?? 'HOLD',
      procedureCode: found.procedureCode,
      modifier: found.modifier,
      description:
        `${found.payerId} denied ${found.deniedLines} of ${found.lines} ${found.procedureCode} lines ` +
        `without modifier ${found.modifier} (CARC ${found.carc})`,
      active: true,
      source: 'LEARNED',
      proposalId: found.id,
      createdBy: input.actor,
    });
    await db
      .updateTable('claim_rule_proposals')
      .set({ rule_key: rule.ruleKey })
      .where('id', '=', found.id)
      .execute();
  }
  const proposal = (await proposalById(db, input.practiceId, input.proposalId))!;
  return rule ? { proposal, rule } : { proposal };
}

/**
 * What an accepted MODIFIER_REQUIRED rule changed: the combination's first-adjudication denial rate
 * over claims created before the rule's first version, and over claims created since (a claim the
 * scrubber held never reached the payer, so it counts as a line not denied: the denial was prevented).
 */
export async function ruleEffect(db: Db, practiceId: string, rule: StoredClaimRule) {
  const adopted = await db
    .selectFrom('claim_rules')
    .select('created_at')
    .where('practice_id', '=', practiceId)
    .where('rule_key', '=', rule.ruleKey)
    .where('version', '=', 1)
    .executeTakeFirstOrThrow();
  const rows = await sql<{ after: boolean; lines: number; denied: number; held: number }>`
    with first as (
      select distinct on (p.claim_id) p.id, p.claim_id
      from claim_payments p join claims c on c.id = p.claim_id
      where c.practice_id = ${practiceId} and not p.is_reversal
      order by p.claim_id, p.posted_at, p.id
    )
    select c.created_at >= ${adopted.created_at} as after,
      count(*)::int as lines,
      count(*) filter (where exists (select 1 from claim_adjustments a
        where a.claim_payment_id = f.id and ${isDenialAdjustment('a')}
          and (a.line_number = l.line_number or a.line_number is null)))::int as denied,
      count(*) filter (where exists (select 1 from claim_events e
        where e.claim_id = c.id and e.kind = 'STATUS_CHANGED' and e.to_status = 'HOLD'))::int as held
    from claims c
    join claim_lines l on l.claim_id = c.id
    left join first f on f.claim_id = c.id
    where c.practice_id = ${practiceId}
      and c.payer_id = ${rule.payerId ?? sql`c.payer_id`}
      and l.procedure_code = ${rule.procedureCode ?? ''}
      and not (${rule.modifier ?? ''} = any(l.modifiers))
      and (f.id is not null or exists (select 1 from claim_events e
        where e.claim_id = c.id and e.kind = 'STATUS_CHANGED' and e.to_status = 'HOLD'))
    group by 1`.execute(db);
  const side = (after: boolean) => {
    const r = rows.rows.find((x) => x.after === after);
    const lines = r?.lines ?? 0;
    const denied = r?.denied ?? 0;
    return { lines, denied, held: r?.held ?? 0, denialRate: lines === 0 ? null : denied / lines };
  };
  return {
    ruleKey: rule.ruleKey,
    adoptedAt: adopted.created_at.toISOString(),
    before: side(false),
    after: side(true),
  };
}
