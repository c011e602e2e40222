/**
 * Claim throughput on the real stack, clean path and denial -> appeal -> overturned path, against the
 * floor workflow with the same number of activities, timers and signals doing nothing.
 */
import { randomUUID } from 'node:crypto';
import { type Submitted, submitClaim } from '../claims.js';
import { floorSignal } from '../floor/workflows.js';
import { auth, type BenchStack } from '../stack.js';
import { median, percentile, pool, sleep } from '../stats.js';
import { type HistoryShape, historyShape, startToClose } from './histories.js';

export type ClaimPath = 'clean' | 'appeal';

export interface ThroughputRound {
  claims: number;
  /** Completions per second after the first tenth finished (warm-up). */
  claimsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  wallMs: number;
}

export interface PathResult {
  ours: ThroughputRound[];
  floor: ThroughputRound[];
  /** Median per-claim history shape of our path (the floor copies it). */
  shape: HistoryShape;
  /** The floor's history shape (its signals stand in for our signals and updates). */
  floorShape: HistoryShape;
  /** ERA pull workflows the driver ran per round: the extra round trips our path needs. */
  pullsPerRound: number[];
}

function summarise(times: { start: number; close: number }[], wallMs: number): ThroughputRound {
  const closes = times.map((t) => t.close).sort((a, b) => a - b);
  const warm = Math.min(closes.length - 2, Math.floor(closes.length / 10));
  const span = (closes[closes.length - 1]! - closes[Math.max(0, warm)]!) / 1000;
  const counted = closes.length - 1 - Math.max(0, warm);
  const lat = times.map((t) => t.close - t.start);
  return {
    claims: times.length,
    claimsPerSecond: span > 0 && counted > 0 ? counted / span : Number.NaN,
    p50Ms: percentile(lat, 50),
    p95Ms: percentile(lat, 95),
    p99Ms: percentile(lat, 99),
    wallMs,
  };
}

async function statuses(stack: BenchStack, ids: string[]): Promise<Map<string, string>> {
  const rows = await stack.db.selectFrom('claims').select(['id', 'status']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** One round of our path: submit `n` claims through the API, pull ERAs on demand, appeal denials. */
async function oursRound(
  stack: BenchStack,
  path: ClaimPath,
  n: number,
  timeoutMs: number,
): Promise<{ round: ThroughputRound; submitted: Submitted[]; pulls: number }> {
  const started = Date.now();
  const prefix = path === 'clean' ? 'PAID' : 'DENY50';
  const submitted = await pool(
    Array.from({ length: n }, (_, i) => i),
    8,
    (i) => submitClaim(stack.apiUrl, `${prefix}-${i}`),
  );
  const ids = submitted.map((s) => s.id);
  const appealed = new Set<string>();
  let pulls = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = await statuses(stack, ids);
    if (ids.every((id) => st.get(id) === 'PAID')) break;
    if (Date.now() > deadline) {
      const left = ids.filter((id) => st.get(id) !== 'PAID').length;
      throw new Error(`${path} round: ${left} of ${n} claims not PAID after ${timeoutMs} ms`);
    }
    if (path === 'appeal') {
      const review = ids.filter((id) => st.get(id) === 'NEEDS_REVIEW' && !appealed.has(id));
      await pool(review, 8, async (id) => {
        const res = await fetch(`${stack.apiUrl}/claims/${id}/appeals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth('biller') },
          body: JSON.stringify({ grounds: 'the visit notes document medical necessity', attachments: [] }),
        });
        if (res.ok) appealed.add(id);
        else if (res.status !== 409)
          throw new Error(`appeal of ${id} answered ${res.status}: ${await res.text()}`);
      });
    }
    const waiting = ids.some((id) =>
      ['AWAITING_ADJUDICATION', 'APPEALING', 'AWAITING_PAYMENT'].includes(st.get(id) ?? ''),
    );
    if (waiting) {
      await stack.pullEras({ appeals: true });
      pulls++;
    } else await sleep(100);
  }
  const wallMs = Date.now() - started;
  const times = await pool(submitted, 16, (s) => startToClose(stack.client, s.workflowId));
  return { round: summarise(times, wallMs), submitted, pulls };
}

/** One round of the floor: `n` floor runs with `shape`'s counts, each signal sent by the driver. */
async function floorRound(
  stack: BenchStack,
  shape: HistoryShape,
  n: number,
): Promise<{ round: ThroughputRound; ids: string[] }> {
  const started = Date.now();
  const ids = await pool(
    Array.from({ length: n }, (_, i) => i),
    8,
    async () => {
      const handle = await stack.client.workflow.start('floorWorkflow', {
        taskQueue: stack.floorTaskQueue,
        workflowId: `floor-${randomUUID()}`,
        // The floor stands a signal in for each update: both are one message from outside.
        args: [
          { activities: shape.activities, timers: shape.timers, signals: shape.signals + shape.updates },
        ],
      });
      for (let s = 0; s < shape.signals + shape.updates; s++) await handle.signal(floorSignal);
      return handle.workflowId;
    },
  );
  await pool(ids, 16, (id) => stack.client.workflow.getHandle(id).result());
  const wallMs = Date.now() - started;
  const times = await pool(ids, 16, (id) => startToClose(stack.client, id));
  return { round: summarise(times, wallMs), ids };
}

function medianShape(shapes: HistoryShape[]): HistoryShape {
  const pick = (k: keyof HistoryShape) => Math.round(median(shapes.map((s) => s[k])));
  return {
    events: pick('events'),
    activities: pick('activities'),
    timers: pick('timers'),
    signals: pick('signals'),
    updates: pick('updates'),
    workflowTasks: pick('workflowTasks'),
  };
}

/** Rounds of our path and of its floor, interleaved so both see the same machine load. */
export async function runThroughput(
  stack: BenchStack,
  path: ClaimPath,
  opts: { claims: number; rounds: number; timeoutMs: number; log: (msg: string) => void },
): Promise<PathResult> {
  const ours: ThroughputRound[] = [];
  const floor: ThroughputRound[] = [];
  const pullsPerRound: number[] = [];
  let shape: HistoryShape | undefined;
  let floorShape: HistoryShape | undefined;
  for (let r = 0; r < opts.rounds; r++) {
    const o = await oursRound(stack, path, opts.claims, opts.timeoutMs);
    ours.push(o.round);
    pullsPerRound.push(o.pulls);
    if (!shape) {
      const sample = o.submitted.slice(0, Math.min(10, o.submitted.length));
      shape = medianShape(await pool(sample, 4, (s) => historyShape(stack.client, s.workflowId)));
    }
    opts.log(`throughput ${path} round ${r + 1}: ours ${o.round.claimsPerSecond.toFixed(1)} claims/s`);
    const { round: f, ids } = await floorRound(stack, shape, opts.claims);
    floor.push(f);
    floorShape ??= await historyShape(stack.client, ids[0]!);
    opts.log(`throughput ${path} round ${r + 1}: floor ${f.claimsPerSecond.toFixed(1)} claims/s`);
  }
  return { ours, floor, shape: shape!, floorShape: floorShape!, pullsPerRound };
}
