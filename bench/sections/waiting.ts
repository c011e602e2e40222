/**
 * Waiting claims: many claims parked on their follow-up timers (LOST- members are never adjudicated),
 * the process RSS and work-queue latency while they wait, and the time until a payer-rule change has
 * reached and been applied by every one of them.
 */
import { submitClaim } from '../claims.js';
import { auth, type BenchStack } from '../stack.js';
import { pool, sleep } from '../stats.js';

export interface WaitingResult {
  claims: number;
  idleRssBytes: number;
  waitingRssBytes: number;
  submitMs: number;
  /** From starting the rollout to every claim having completed a workflow task after its signal. */
  drainMs: number;
  rolloutSignalled: number;
}

/** True when the run has completed a workflow task after the last signal it received. */
async function appliedLastSignal(stack: BenchStack, workflowId: string): Promise<boolean> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  let lastSignal = -1;
  let lastTask = -1;
  events.forEach((e, i) => {
    if (e.workflowExecutionSignaledEventAttributes) lastSignal = i;
    if (e.workflowTaskCompletedEventAttributes) lastTask = i;
  });
  return lastSignal >= 0 && lastTask > lastSignal;
}

export async function runWaiting(
  stack: BenchStack,
  opts: { claims: number; timeoutMs: number; log: (msg: string) => void },
): Promise<WaitingResult> {
  global.gc?.();
  const idleRssBytes = stack.rss();
  const t0 = Date.now();
  const submitted = await pool(
    Array.from({ length: opts.claims }, (_, i) => i),
    16,
    (i) => submitClaim(stack.apiUrl, `LOST-W${i}`),
  );
  const submitMs = Date.now() - t0;
  opts.log(`waiting: ${opts.claims} claims submitted in ${submitMs} ms`);
  // Every claim must have reached its parked state (submitted to the payer, follow-up timer running).
  const ids = submitted.map((s) => s.id);
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const parked = await stack.db
      .selectFrom('claims')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('id', 'in', ids)
      .where('status', '=', 'AWAITING_ADJUDICATION')
      .executeTakeFirstOrThrow();
    if (Number(parked.n) === ids.length) break;
    if (Date.now() > deadline) throw new Error(`waiting: only ${parked.n} of ${ids.length} claims parked`);
    await sleep(500);
  }
  await sleep(1_000);
  const waitingRssBytes = stack.rss();

  // The change a supervisor makes: a new version of the practice's rules for the payer, in force today,
  // through the API, which starts the rollout workflow.
  const current = await fetch(`${stack.apiUrl}/payers/ACME-HEALTH/rules`, { headers: auth('supervisor') });
  if (!current.ok) throw new Error(`GET /payers/ACME-HEALTH/rules answered ${current.status}`);
  const view = (await current.json()) as {
    inForce: { practiceId: string; rules: Record<string, unknown> }[];
  };
  const rules = view.inForce.find((r) => r.practiceId === 'sunrise-fp')?.rules;
  if (!rules) throw new Error('no rules in force for sunrise-fp');
  const drainStart = Date.now();
  const put = await fetch(`${stack.apiUrl}/payers/ACME-HEALTH/rules`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...auth('supervisor') },
    body: JSON.stringify({
      practiceId: 'sunrise-fp',
      effectiveFrom: new Date().toISOString().slice(0, 10),
      rules,
    }),
  });
  if (put.status !== 201)
    throw new Error(`PUT /payers/ACME-HEALTH/rules answered ${put.status}: ${await put.text()}`);
  const { rolloutWorkflowId } = (await put.json()) as { rolloutWorkflowId: string };
  const rollout = await stack.client.workflow.getHandle(rolloutWorkflowId).result();
  const { signalled } = rollout as { signalled: number };
  // Every parked claim, not a sample: the figure is the time until the last one has applied the change.
  let pending = submitted.map((s) => s.workflowId);
  while (pending.length > 0) {
    if (Date.now() > drainStart + opts.timeoutMs)
      throw new Error(`waiting: ${pending.length} claims had not applied the rules change`);
    const done = await pool(pending, 16, (id) => appliedLastSignal(stack, id));
    pending = pending.filter((_, i) => !done[i]);
    if (pending.length > 0) await sleep(250);
  }
  const drainMs = Date.now() - drainStart;
  return {
    claims: opts.claims,
    idleRssBytes,
    waitingRssBytes,
    submitMs,
    drainMs,
    rolloutSignalled: signalled,
  };
}
