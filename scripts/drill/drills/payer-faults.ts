/**
 * Drills 4 and 5: the clearinghouse misbehaves while claims are submitted.
 *
 * 4, outage: every call hangs past the client timeout, then payer-sim is down altogether, for longer
 * than one activity attempt may take (45 s); when it returns, 30% of its answers are a 500 sent after
 * the claim was filed (only the Idempotency-Key stops a second filing). The backlog must drain with
 * each claim filed once.
 *
 * 5, throttling: a quota of 3 calls per second answered 429 with Retry-After, and 5 s of latency on
 * every call; calls back off and complete.
 */
import { checkAll, waitSettled } from '../invariants.js';
import { submitClaims } from '../load.js';
import { withStack } from '../run.js';
import type { Drill } from '../types.js';
import { n, sleep } from '../util.js';

export const payerOutage: Drill = {
  name: 'payer-outage',
  number: 4,
  title: 'payer-sim hangs, then is down, longer than an activity attempt; then 500s after processing',
  async run(ctx) {
    const hangMs = ctx.short ? 15_000 : 25_000;
    const downMs = ctx.short ? 35_000 : 40_000;
    return withStack(ctx, this, { adjudicationDelayMs: 2000, eraPollSeconds: 3 }, async (stack, out) => {
      const load = submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `O${ctx.seed.toString(36).slice(-4)}`,
        width: 4,
        paceMs: Math.max(50, Math.round((30_000 * 4) / ctx.claims)),
      });
      await sleep(3000);
      const from = Date.now();
      await stack.simConfig({ hang: { probability: 1, durationMs: 60_000 } });
      ctx.log(`[${this.name}] payer-sim hanging every call for ${hangMs / 1000} s`);
      await sleep(hangMs);
      const exit = await stack.sim.signal('SIGTERM');
      ctx.log(`[${this.name}] payer-sim stopped (${JSON.stringify(exit)}) for ${downMs / 1000} s`);
      await sleep(downMs);
      stack.sim.start();
      await stack.waitHttp(`${stack.simUrl}/health`, 60_000, stack.sim);
      const back = Date.now();
      // Controls are not persisted: the restarted sim has no hang; add the after-processing failures.
      await stack.simConfig({ failAfterProcessingRate: 0.3 });
      ctx.log(`[${this.name}] payer-sim back; 30% of answers are 500 after processing for 20 s`);
      await sleep(20_000);
      await stack.simConfig({ failAfterProcessingRate: 0 });
      const loaded = await load;
      await waitSettled(stack, loaded.claims, 240_000 + ctx.claims * 1000, ctx.log);
      out.recoveryMs = Date.now() - back;
      out.load = `${n(ctx.claims)} claims through POST /claims over about 30 s (4 lanes), the worker's payer timeout 10 s`;
      out.fault = `every payer call hanging for ${hangMs / 1000} s, then payer-sim stopped for ${downMs / 1000} s (${((back - from) / 1000).toFixed(1)} s without a payer, the payer activity's attempt timeout is 45 s), then 20 s of 500-after-processing at 30%`;
      out.invariants = await checkAll(stack, loaded.claims, { logsAllow: /^\{/ });
      if (loaded.failed.length > 0)
        out.notes.push(`${loaded.failed.length} claims never accepted by the API`);
    });
  },
};

export const payerThrottle: Drill = {
  name: 'payer-throttle',
  number: 5,
  title:
    'payer-sim answering 429 bursts with Retry-After and taking 5 s per call: calls back off and complete',
  async run(ctx) {
    const faultMs = ctx.short ? 30_000 : 60_000;
    return withStack(ctx, this, { adjudicationDelayMs: 2000, eraPollSeconds: 3 }, async (stack, out) => {
      await stack.simConfig({
        rateLimit: { limit: 3, windowMs: 1000, retryAfter: 'seconds' },
        latencyMs: 5000,
      });
      const from = Date.now();
      const load = submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `R${ctx.seed.toString(36).slice(-4)}`,
        width: 8,
      });
      await sleep(faultMs);
      await stack.simConfig({ rateLimit: null, latencyMs: 0 });
      const cleared = Date.now();
      const loaded = await load;
      await waitSettled(stack, loaded.claims, 240_000 + ctx.claims * 1000, ctx.log);
      out.recoveryMs = Date.now() - cleared;
      out.load = `${n(ctx.claims)} claims through POST /claims (8 in flight) while the payer was throttled`;
      out.fault = `payer quota 3 calls/s (429 + Retry-After beyond it) and 5 s latency on every call, for ${((cleared - from) / 1000).toFixed(1)} s`;
      out.invariants = await checkAll(stack, loaded.claims, { logsAllow: /^\{/ });
    });
  },
};
