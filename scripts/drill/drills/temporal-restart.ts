/**
 * Drill 2: the Temporal dev server is stopped mid-flight and started again on the same SQLite file.
 * Workflows and timers live in that file, so they must carry on; the worker must reconnect by itself;
 * the API must say "not ready" (503 with Retry-After) rather than fail requests with 500.
 */
import { checkAll, waitSettled } from '../invariants.js';
import { type Answer, submitClaims } from '../load.js';
import { judgeOutage, startProbing } from '../probe.js';
import { withStack } from '../run.js';
import type { Drill } from '../types.js';
import { n, sleep, until } from '../util.js';

export const temporalRestart: Drill = {
  name: 'temporal-restart',
  number: 2,
  title: 'Temporal dev server stopped and restarted on the same database file mid-flight',
  async run(ctx) {
    const downMs = ctx.short ? 8_000 : 15_000;
    return withStack(ctx, this, { adjudicationDelayMs: 2000, eraPollSeconds: 3 }, async (stack, out) => {
      const writes: { startedAt: number; answer: Answer }[] = [];
      let accepted = 0;
      const load = submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `T${ctx.seed.toString(36).slice(-4)}`,
        width: 4,
        paceMs: Math.max(50, Math.round((20_000 * 4) / ctx.claims)),
        retryForMs: downMs + 180_000,
        onProgress: (done) => {
          accepted = done;
        },
        onAnswer: (startedAt, answer) => writes.push({ startedAt, answer }),
      });
      await until(
        async () => (accepted >= Math.ceil(ctx.claims / 3) ? true : undefined),
        'a third of the load',
        120_000,
        200,
      );
      const from = Date.now();
      const acceptedAtFault = accepted;
      await stack.stopTemporal();
      // Probing starts once the server is down: a probe racing the stop would see it still up.
      const probing = startProbing(stack);
      ctx.log(
        `[${this.name}] Temporal stopped with ${accepted} claims accepted; down for ${downMs / 1000} s`,
      );
      await sleep(downMs);
      const to = Date.now();
      const probes = await probing.stop();
      await stack.startTemporalAgain();
      const up = Date.now();
      ctx.log(`[${this.name}] Temporal back after ${((up - from) / 1000).toFixed(1)} s`);
      const loaded = await load;
      await waitSettled(stack, loaded.claims, 240_000 + ctx.claims * 1000, ctx.log);
      out.recoveryMs = Date.now() - up;
      const byAnswer: Record<string, number> = {};
      for (const w of writes)
        byAnswer[w.answer.error ?? w.answer.status] = (byAnswer[w.answer.error ?? w.answer.status] ?? 0) + 1;
      out.load = `${n(ctx.claims)} claims through POST /claims (4 lanes, retried with their Idempotency-Key): ${Object.entries(
        byAnswer,
      )
        .map(([k, v]) => `${v}x ${k}`)
        .join(', ')}`;
      out.fault = `Temporal dev server stopped (SIGTERM) for ${((to - from) / 1000).toFixed(1)} s with ${n(acceptedAtFault)} of ${n(ctx.claims)} claims accepted, restarted on the same SQLite file and port`;
      const inWindow = writes.filter((w) => w.startedAt >= from && w.startedAt <= to).map((w) => w.answer);
      const crashed = [stack.worker, stack.api, stack.sim].filter((p) => p.exits.length > 0);
      out.invariants = [
        ...judgeOutage('Temporal', probes, inWindow),
        {
          name: 'no process died',
          ok: crashed.length === 0,
          detail: `${crashed.length} of worker, api, payer-sim exited (${crashed.map((p) => `${p.role} ${JSON.stringify(p.exits)}: ${p.lastLines(3).join(' | ').slice(0, 300)}`).join('; ') || 'none'})`,
        },
        ...(await checkAll(stack, loaded.claims, { logsAllow: /^\{/ })),
      ];
      if (loaded.failed.length > 0)
        out.notes.push(
          `${loaded.failed.length} claims never accepted: ${loaded.failed.slice(0, 5).join(', ')}`,
        );
    });
  },
};
