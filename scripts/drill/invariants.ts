/**
 * The invariants every drill checks after recovery, each from the system of record that owns the fact:
 * Postgres (claims, postings, the audit trail), Temporal (open workflows, their search attributes) and
 * payer-sim's own ledger (what the payer received and what it paid in its 835 files).
 */
import { sql } from 'kysely';
import { checksumOf, payerIdOf } from '../../db/remittances.js';
import { type ClaimStatus, isTerminal } from '../../domain/claim-status.js';
import { parse835, type Remittance835 } from '../../domain/x12/index.js';
import type { SimLedger } from '../../payer-sim/simulator.js';
import type { CreatedClaim } from './load.js';
import type { DrillStack } from './stack.js';
import { mapLimit, n, until } from './util.js';

/** One checked rule with its counts; `ok` false fails the drill. */
export interface Invariant {
  name: string;
  ok: boolean;
  /** e.g. "500 claims: 500 settled, 0 missing, 0 unsettled". */
  detail: string;
  /** A few examples of violations, for the report. */
  examples?: string[];
}

type Ledger = SimLedger & { requestsByIdempotencyKey: Record<string, number> };

export async function simLedger(stack: DrillStack): Promise<Ledger> {
  const res = await fetch(`${stack.simUrl}/sim/ledger`, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`payer-sim ledger answered ${res.status}`);
  return (await res.json()) as Ledger;
}

/** Every 835 file payer-sim produced, fetched over its /v1 API and parsed. */
export async function simRemittances(
  stack: DrillStack,
  ledger: Ledger,
): Promise<{ id: string; raw: string; parsed: Remittance835[] }[]> {
  return mapLimit(ledger.remittances, 4, async (f) => {
    const res = await fetch(`${stack.simUrl}/v1/remittances/${f.id}`, {
      headers: { authorization: 'Bearer sim-key' },
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`payer-sim remittance ${f.id} answered ${res.status}`);
    const raw = await res.text();
    return { id: f.id, raw, parsed: parse835(raw) };
  });
}

/**
 * What "settled" means for the wait: every claim in its story's state, every 835 file stored (pulled,
 * or uploaded by the drill: `uploaded` are payer file ids the drill uploaded itself) and every posting
 * signalled to its claim.
 */
export async function settledCounts(
  stack: DrillStack,
  claims: readonly CreatedClaim[],
  uploaded: ReadonlySet<string> = new Set(),
): Promise<{ settled: number; unsettled: CreatedClaim[]; filesPending: number; unsignalled: number }> {
  const rows = await stack.db.selectFrom('claims').select(['id', 'status']).execute();
  const status = new Map(rows.map((r) => [r.id, r.status as ClaimStatus]));
  const unsettled = claims.filter((c) => !c.story.settled.includes(status.get(c.id) as ClaimStatus));
  const ledger = await simLedger(stack);
  const stored = await stack.db.selectFrom('era_files').select(['source_ref']).execute();
  const refs = new Set(stored.map((r) => r.source_ref));
  const filesPending = ledger.remittances.filter((f) => !refs.has(f.id) && !uploaded.has(f.id)).length;
  const unsignalled = Number(
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from claim_payments where signalled_at is null`.execute(stack.db)
    ).rows[0]?.n ?? 0,
  );
  return { settled: claims.length - unsettled.length, unsettled, filesPending, unsignalled };
}

/**
 * Waits until every claim is in its story's state, every 835 file was pulled and every posting was
 * signalled; answers how long that took. Bounded by `timeoutMs`.
 */
export async function waitSettled(
  stack: DrillStack,
  claims: readonly CreatedClaim[],
  timeoutMs: number,
  log: (msg: string) => void,
  uploaded: ReadonlySet<string> = new Set(),
): Promise<number> {
  const started = Date.now();
  let lastLog = 0;
  await until(
    async () => {
      const c = await settledCounts(stack, claims, uploaded);
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(
          `  settling: ${c.settled}/${claims.length} claims settled, ${c.filesPending} 835 files not pulled, ${c.unsignalled} postings not signalled`,
        );
      }
      return c.unsettled.length === 0 && c.filesPending === 0 && c.unsignalled === 0 ? true : undefined;
    },
    'every claim to settle',
    timeoutMs,
    1000,
  );
  return Date.now() - started;
}

/** Claims: none missing, each in its story's state, one open workflow per open claim, none for closed. */
export async function checkClaims(stack: DrillStack, claims: readonly CreatedClaim[]): Promise<Invariant[]> {
  const rows = await stack.db
    .selectFrom('claims')
    .select(['id', 'claim_id', 'status', 'workflow_id'])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = claims.filter((c) => !byId.has(c.id));
  const unsettled = claims.filter((c) => {
    const r = byId.get(c.id);
    return r && !c.story.settled.includes(r.status as ClaimStatus);
  });
  const byState: Record<string, number> = {};
  for (const c of claims) {
    const s = byId.get(c.id)?.status ?? 'MISSING';
    byState[s] = (byState[s] ?? 0) + 1;
  }
  const out: Invariant[] = [
    {
      name: 'claims settled',
      ok: missing.length === 0 && unsettled.length === 0,
      detail: `${n(claims.length)} created: ${Object.entries(byState)
        .map(([s, k]) => `${n(k)} ${s}`)
        .join(', ')}; ${n(missing.length)} missing, ${n(unsettled.length)} not in their story's state`,
      examples: [
        ...missing.slice(0, 3).map((c) => `missing ${c.claimId}`),
        ...unsettled
          .slice(0, 5)
          .map((c) => `${c.claimId} is ${byId.get(c.id)?.status}, expected ${c.story.settled.join('|')}`),
      ],
    },
  ];

  // Temporal: the running claim workflows of this stack's task queue, from visibility.
  const running = new Map<string, { count: number; status: string | undefined }>();
  const query = `TaskQueue = '${stack.taskQueue}' AND WorkflowType = 'claimWorkflow' AND ExecutionStatus = 'Running'`;
  for await (const wf of stack.client.workflow.list({ query })) {
    const prev = running.get(wf.workflowId);
    const sa = wf.searchAttributes?.ClaimStatus;
    running.set(wf.workflowId, {
      count: (prev?.count ?? 0) + 1,
      status: Array.isArray(sa) ? String(sa[0]) : undefined,
    });
  }
  const twoOpen = [...running.entries()].filter(([, v]) => v.count > 1);
  const openWithout: string[] = [];
  const closedWith: string[] = [];
  const saDisagrees: string[] = [];
  for (const c of claims) {
    const r = byId.get(c.id);
    if (!r) continue;
    const wf = running.get(r.workflow_id);
    if (isTerminal(r.status as ClaimStatus)) {
      if (wf) closedWith.push(`${c.claimId} is ${r.status} but its workflow is running`);
    } else if (!wf) openWithout.push(`${c.claimId} is ${r.status} but has no running workflow`);
    else if (wf.status !== r.status)
      saDisagrees.push(`${c.claimId}: Postgres ${r.status}, ClaimStatus ${wf.status}`);
  }
  const open = claims.filter((c) => {
    const r = byId.get(c.id);
    return r && !isTerminal(r.status as ClaimStatus);
  }).length;
  out.push({
    name: 'one workflow per open claim',
    ok: twoOpen.length === 0 && openWithout.length === 0 && closedWith.length === 0,
    detail: `${n(open)} open claims, ${n(running.size)} running claim workflows; ${n(twoOpen.length)} with two open runs, ${n(openWithout.length)} open without a workflow, ${n(closedWith.length)} closed with one still running`,
    examples: [
      ...twoOpen.slice(0, 3).map(([id]) => `${id} has two open runs`),
      ...openWithout.slice(0, 3),
      ...closedWith.slice(0, 3),
    ],
  });
  out.push({
    name: 'search attribute ClaimStatus = Postgres status',
    ok: saDisagrees.length === 0,
    detail: `${n(open - openWithout.length)} running claims compared, ${n(saDisagrees.length)} disagree`,
    examples: saDisagrees.slice(0, 5),
  });
  return out;
}

/**
 * payer-sim's side: every claim submitted exactly once (one Idempotency-Key, no second original), every
 * appeal filed once per key and level; retries of a key are counted and shown, never a second filing.
 */
export async function checkPayer(
  stack: DrillStack,
  claims: readonly CreatedClaim[],
  opts: { expectedSubmissions?: (c: CreatedClaim) => number } = {},
): Promise<Invariant[]> {
  const ledger = await simLedger(stack);
  const rows = await stack.db.selectFrom('claims').select(['id', 'patient_control_number']).execute();
  const pcnOf = new Map(rows.map((r) => [r.id, r.patient_control_number]));
  const simClaim = new Map(ledger.claims.map((c) => [c.patientControlNumber, c]));
  const keysByClaim = new Map<string, string[]>();
  for (const k of ledger.idempotencyKeys) {
    if (k.operation !== 'submitClaim') continue;
    const uuid = k.key.split(':')[0]!;
    keysByClaim.set(uuid, [...(keysByClaim.get(uuid) ?? []), k.key]);
  }
  const wrong: string[] = [];
  let once = 0;
  let duplicates = 0;
  for (const c of claims) {
    const pcn = pcnOf.get(c.id);
    const sim = pcn ? simClaim.get(pcn) : undefined;
    const expected = opts.expectedSubmissions?.(c) ?? 1;
    const keys = keysByClaim.get(c.id) ?? [];
    duplicates += sim?.duplicateSubmissions ?? 0;
    if (!sim) wrong.push(`${c.claimId}: the payer never received it`);
    else if (sim.submissions !== expected || keys.length !== expected || sim.duplicateSubmissions > 0)
      wrong.push(
        `${c.claimId}: ${sim.submissions} submissions under ${keys.length} keys (${sim.duplicateSubmissions} duplicate originals), expected ${expected}`,
      );
    else once++;
  }
  const requests = ledger.requestsByIdempotencyKey;
  const retried = Object.values(requests).filter((v) => v > 1);
  const appealKeys = ledger.idempotencyKeys.filter((k) => k.operation === 'submitAppeal').length;
  const perLevel = new Map<string, number>();
  for (const a of ledger.appeals) {
    const k = `${a.patientControlNumber}#${a.level}`;
    perLevel.set(k, (perLevel.get(k) ?? 0) + 1);
  }
  const twiceAppealed = [...perLevel.entries()].filter(([, v]) => v > 1);
  return [
    {
      name: 'payer received each claim once per key',
      ok: wrong.length === 0 && duplicates === 0,
      detail: `${n(claims.length)} claims: ${n(once)} filed exactly as often as intended, ${n(wrong.length)} not, ${n(duplicates)} second originals; ${n(retried.length)} keys arrived more than once (${n(retried.reduce((a, b) => a + b - 1, 0))} retries, each answered from the stored result)`,
      examples: wrong.slice(0, 5),
    },
    {
      name: 'payer received each appeal once',
      ok: twiceAppealed.length === 0 && appealKeys === ledger.appeals.length,
      detail: `${n(ledger.appeals.length)} appeals under ${n(appealKeys)} keys, ${n(twiceAppealed.length)} claim levels appealed twice`,
      examples: twiceAppealed.slice(0, 3).map(([k, v]) => `${k} appealed ${v} times`),
    },
  ];
}

/**
 * Money: every CLP loop of every 835 the payer wrote is posted exactly once or queued as unmatched; the
 * paid and adjusted totals in Postgres equal those in the files; no payment or adjustment row twice.
 * `extraFiles` are files the drill uploaded itself (they must be posted like pulled ones).
 */
export async function checkRemittances(
  stack: DrillStack,
  opts: { extraFiles?: string[] } = {},
): Promise<Invariant[]> {
  const ledger = await simLedger(stack);
  const files = await simRemittances(stack, ledger);
  const stored = await stack.db.selectFrom('era_files').select(['checksum', 'status']).execute();
  const storedSums = new Set(stored.map((s) => s.checksum));
  const notStored = files.filter((f) => !storedSums.has(checksumOf(f.raw)));
  for (const raw of opts.extraFiles ?? []) files.push({ id: 'uploaded', raw, parsed: parse835(raw) });

  const payments = await stack.db
    .selectFrom('claim_payments')
    .select([
      'id',
      'payer_id',
      'trace_number',
      'patient_control_number',
      'payer_claim_number',
      'is_reversal',
      'paid_cents',
    ])
    .execute();
  const unmatched = await stack.db
    .selectFrom('unmatched_claim_payments')
    .innerJoin('remittances', 'remittances.id', 'unmatched_claim_payments.remittance_id')
    .select([
      'unmatched_claim_payments.payer_id',
      'remittances.trace_number',
      'unmatched_claim_payments.patient_control_number',
      'unmatched_claim_payments.payer_claim_number',
      'unmatched_claim_payments.paid_cents',
    ])
    .execute();
  const adjustments = await stack.db
    .selectFrom('claim_adjustments')
    .select(['claim_payment_id', 'amount_cents'])
    .execute();
  const key = (payer: string, trn: string, pcn: string, icn: string, rev: boolean) =>
    `${payer}|${trn}|${pcn}|${icn}|${rev}`;
  const postedBy = new Map<string, { id: string; paid: number }[]>();
  for (const p of payments) {
    const k = key(p.payer_id, p.trace_number, p.patient_control_number, p.payer_claim_number, p.is_reversal);
    postedBy.set(k, [...(postedBy.get(k) ?? []), { id: p.id, paid: p.paid_cents }]);
  }
  const unmatchedBy = new Map<string, number>();
  for (const u of unmatched) {
    const k = key(u.payer_id, u.trace_number, u.patient_control_number, u.payer_claim_number, false);
    unmatchedBy.set(k, (unmatchedBy.get(k) ?? 0) + 1);
  }
  const adjByPayment = new Map<string, { count: number; cents: number }>();
  for (const a of adjustments) {
    const v = adjByPayment.get(a.claim_payment_id) ?? { count: 0, cents: 0 };
    v.count++;
    v.cents += a.amount_cents;
    adjByPayment.set(a.claim_payment_id, v);
  }

  // Distinct loops across the files (an uploaded copy of a pulled file carries the same loops).
  const loops = new Map<string, { paid: number; casCount: number; casCents: number }>();
  for (const f of files)
    for (const r of f.parsed)
      for (const clp of r.claims) {
        const cas = [...clp.adjustments, ...clp.serviceLines.flatMap((l) => l.adjustments)];
        loops.set(
          key(
            payerIdOf(r),
            r.traceNumber,
            clp.patientControlNumber,
            clp.payerClaimNumber,
            clp.statusCode === '22',
          ),
          {
            paid: clp.paidCents,
            casCount: cas.length,
            casCents: cas.reduce((s, a) => s + a.amountCents, 0),
          },
        );
      }
  let postedOnce = 0;
  let duplicated = 0;
  let unmatchedCount = 0;
  let missing = 0;
  let filePaid = 0;
  let pgPaid = 0;
  let fileAdj = 0;
  let pgAdj = 0;
  let adjRowsWrong = 0;
  const examples: string[] = [];
  for (const [k, loop] of loops) {
    const posted = postedBy.get(k) ?? [];
    const queued = unmatchedBy.get(k) ?? 0;
    filePaid += loop.paid;
    if (posted.length === 1 && queued === 0) {
      postedOnce++;
      pgPaid += posted[0]!.paid;
      fileAdj += loop.casCents;
      const adj = adjByPayment.get(posted[0]!.id) ?? { count: 0, cents: 0 };
      pgAdj += adj.cents;
      if (adj.count !== loop.casCount) {
        adjRowsWrong++;
        if (examples.length < 5) examples.push(`${k}: ${adj.count} adjustment rows for ${loop.casCount} CAS`);
      }
    } else if (posted.length === 0 && queued === 1) {
      unmatchedCount++;
      pgPaid += loop.paid;
    } else if (posted.length + queued === 0) {
      missing++;
      if (examples.length < 5) examples.push(`${k}: never posted`);
    } else {
      duplicated++;
      pgPaid += posted.reduce((s, p) => s + p.paid, 0);
      if (examples.length < 5) examples.push(`${k}: posted ${posted.length}x, queued ${queued}x`);
    }
  }
  const strayPostings = [...postedBy.keys()].filter((k) => !loops.has(k)).length;
  const fileCount = ledger.remittances.length + (opts.extraFiles?.length ?? 0);
  return [
    {
      name: '835 files stored',
      ok: notStored.length === 0,
      detail: `${n(fileCount)} files from the payer${opts.extraFiles?.length ? ' and uploads' : ''}: ${n(files.length - (opts.extraFiles?.length ?? 0) - notStored.length)} stored, ${n(notStored.length)} never stored; ${n(stored.length)} era_files rows`,
      examples: notStored.slice(0, 3).map((f) => `${f.id} never stored`),
    },
    {
      name: '835 loops posted once',
      ok: duplicated === 0 && missing === 0 && strayPostings === 0,
      detail: `${n(loops.size)} loops: ${n(postedOnce)} posted once, ${n(duplicated)} duplicated, ${n(unmatchedCount)} unmatched, ${n(missing)} missing; ${n(strayPostings)} postings no file explains`,
      examples,
    },
    {
      name: 'money totals match the 835s',
      ok: filePaid === pgPaid && fileAdj === pgAdj && adjRowsWrong === 0,
      detail: `paid: files ${n(filePaid)} c, Postgres ${n(pgPaid)} c; adjustments: files ${n(fileAdj)} c, Postgres ${n(pgAdj)} c; ${n(adjRowsWrong)} postings with a wrong number of adjustment rows`,
    },
  ];
}

/**
 * The audit trail: per claim, event keys unique and in sequence (gaps only where a closed claim was
 * reopened as a new run), and the status changes a chain: each from-state is the previous to-state,
 * and the last to-state is the claim's status.
 */
export async function checkEvents(stack: DrillStack, claims: readonly CreatedClaim[]): Promise<Invariant[]> {
  const ids = claims.map((c) => c.id);
  if (ids.length === 0) return [];
  const events = await stack.db
    .selectFrom('claim_events')
    .select(['id', 'claim_id', 'event_key', 'kind', 'from_status', 'to_status'])
    .where('claim_id', 'in', ids)
    .orderBy('id')
    .execute();
  const statuses = new Map(
    (await stack.db.selectFrom('claims').select(['id', 'status']).where('id', 'in', ids).execute()).map(
      (r) => [r.id, r.status],
    ),
  );
  const byClaim = new Map<string, typeof events>();
  for (const e of events) byClaim.set(e.claim_id, [...(byClaim.get(e.claim_id) ?? []), e]);
  const bad: string[] = [];
  let consistent = 0;
  let total = 0;
  for (const c of claims) {
    const list = byClaim.get(c.id) ?? [];
    total += list.length;
    const problems: string[] = [];
    // The workflow's own events are `<claim uuid>:<seq>`; statements of the patient balance have their
    // own keys (`<claim uuid>:statement:<key>`) and no place in the sequence.
    const seqs = list
      .filter((e) => /^[^:]+:\d+$/.test(e.event_key))
      .map((e) => Number(e.event_key.split(':')[1]));
    if (new Set(list.map((e) => e.event_key)).size !== list.length) problems.push('duplicate event key');
    for (let i = 1; i < seqs.length; i++) {
      const step = seqs[i]! - seqs[i - 1]!;
      // A reopened claim continues its sequence 1000 past what it wrote, so a jump of >= 1000 is a run.
      if (step !== 1 && step < 1000) problems.push(`event seq ${seqs[i - 1]} -> ${seqs[i]}`);
    }
    let prev: string | null = null;
    for (const e of list.filter((x) => x.kind === 'STATUS_CHANGED')) {
      if (prev !== null && e.from_status !== prev)
        problems.push(`${prev} then ${e.from_status}->${e.to_status}`);
      prev = e.to_status;
    }
    const last = [...list].reverse().find((e) => e.to_status !== null)?.to_status;
    if (list.length === 0) problems.push('no events');
    else if (last !== statuses.get(c.id))
      problems.push(`last event says ${last}, claim is ${statuses.get(c.id)}`);
    if (problems.length === 0) consistent++;
    else bad.push(`${c.claimId}: ${problems.slice(0, 2).join('; ')}`);
  }
  return [
    {
      name: 'claim_events consistent',
      ok: bad.length === 0,
      detail: `${n(total)} events of ${n(claims.length)} claims: ${n(consistent)} claims with a gap-free, duplicate-free chain, ${n(bad.length)} not`,
      examples: bad.slice(0, 5),
    },
  ];
}

/** No process printed a stack trace or logged an error (unless the drill expects some, e.g. a dead DB). */
export function checkLogs(stack: DrillStack, opts: { allow?: RegExp } = {}): Invariant {
  const bad = [stack.sim, stack.worker, stack.api]
    .flatMap((p) => p.bad)
    .filter((b) => !opts.allow?.test(b.line));
  return {
    name: 'no stack traces or error logs',
    ok: bad.length === 0,
    detail: `${n(bad.length)} bad lines (${['payer-sim', 'worker', 'api'].map((r) => `${r} ${bad.filter((b) => b.role === r).length}`).join(', ')})`,
    examples: bad.slice(0, 5).map((b) => `${b.role}: ${b.line.slice(0, 300)}`),
  };
}

/** Everything above, in the order the report prints them. */
export async function checkAll(
  stack: DrillStack,
  claims: readonly CreatedClaim[],
  opts: { extraFiles?: string[]; expectedSubmissions?: (c: CreatedClaim) => number; logsAllow?: RegExp } = {},
): Promise<Invariant[]> {
  // Visibility is eventually consistent, and a claim that just recorded its terminal state closes its
  // workflow on the next workflow task: give the workflow side a bounded moment to agree.
  const deadline = Date.now() + 30_000;
  let claimChecks = await checkClaims(stack, claims);
  while (claimChecks.some((c) => !c.ok) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    claimChecks = await checkClaims(stack, claims);
  }
  return [
    ...claimChecks,
    ...(await checkPayer(stack, claims, opts)),
    ...(await checkRemittances(stack, opts)),
    ...(await checkEvents(stack, claims)),
    checkLogs(stack, { allow: opts.logsAllow }),
  ];
}

/**
 * Activities still marked started by a worker that no longer exists (started before `since`): Temporal
 * only hands them out again when their start-to-close (or heartbeat) timeout expires. Evidence for how
 * long a crash stalls the claims. Looks at most `limit` running workflows.
 */
export async function orphanedActivities(
  stack: DrillStack,
  since: number,
  limit = 60,
): Promise<{ workflows: number; activities: { type: string; workflowId: string; startedAgoMs: number }[] }> {
  const found: { type: string; workflowId: string; startedAgoMs: number }[] = [];
  let workflows = 0;
  const query = `TaskQueue = '${stack.taskQueue}' AND ExecutionStatus = 'Running'`;
  for await (const wf of stack.client.workflow.list({ query })) {
    if (++workflows > limit) break;
    const d = await stack.client.workflowService
      .describeWorkflowExecution({
        namespace: 'default',
        execution: { workflowId: wf.workflowId, runId: wf.runId },
      })
      .catch(() => undefined);
    for (const a of d?.pendingActivities ?? []) {
      const started = Number(a.lastStartedTime?.seconds ?? 0) * 1000;
      // PENDING_ACTIVITY_STATE_STARTED = 2
      if (a.state === 2 && started > 0 && started < since)
        found.push({
          type: a.activityType?.name ?? '?',
          workflowId: wf.workflowId,
          startedAgoMs: Date.now() - started,
        });
    }
  }
  return { workflows: Math.min(workflows, limit), activities: found };
}
