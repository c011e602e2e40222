/**
 * ERA to work queue: from an 835 arriving (the pull that fetches payer-sim's file) to each claim's
 * payment posted and, for a denial, the claim in the work queue with its category and deadline.
 */
import { submitClaim } from '../claims.js';
import type { BenchStack } from '../stack.js';
import { percentile, pool, sleep } from '../stats.js';

export interface LatencyRound {
  claims: number;
  p50Ms: number;
  p99Ms: number;
  wholeFileMs: number;
}

export async function runEraLatency(
  stack: BenchStack,
  opts: { claims: number; timeoutMs: number },
): Promise<LatencyRound> {
  // Three in ten denied (CO-50), the rest paid: a realistic share of work-queue entries.
  const submitted = await pool(
    Array.from({ length: opts.claims }, (_, i) => i),
    16,
    (i) => submitClaim(stack.apiUrl, i % 10 < 3 ? `DENY50UP-L${i}` : `PAID-L${i}`),
  );
  const ids = submitted.map((s) => s.id);
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const rows = await stack.db.selectFrom('claims').select('status').where('id', 'in', ids).execute();
    if (rows.every((r) => r.status === 'AWAITING_ADJUDICATION')) break;
    if (Date.now() > deadline) throw new Error('latency: claims were not all accepted by the payer');
    await sleep(250);
  }
  const seen = new Map<string, number>();
  const t0 = Date.now();
  // The arrival: payer-sim adjudicates the batch and the pull fetches and posts its 835.
  const pulled = stack.pullEras();
  while (seen.size < ids.length) {
    if (Date.now() > t0 + opts.timeoutMs)
      throw new Error(`latency: ${ids.length - seen.size} claims not settled after ${opts.timeoutMs} ms`);
    const rows = await stack.db
      .selectFrom('claims')
      .select(['id', 'status', 'denial_category', 'next_deadline'])
      .where('id', 'in', ids)
      .execute();
    const now = Date.now();
    for (const r of rows) {
      if (seen.has(r.id)) continue;
      const queued = r.status === 'NEEDS_REVIEW' && r.denial_category !== null && r.next_deadline !== null;
      if (r.status === 'PAID' || queued) seen.set(r.id, now - t0);
    }
    await sleep(100);
  }
  await pulled;
  const lat = [...seen.values()];
  return {
    claims: ids.length,
    p50Ms: percentile(lat, 50),
    p99Ms: percentile(lat, 99),
    wholeFileMs: Math.max(...lat),
  };
}
