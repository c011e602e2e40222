/**
 * Drill 3: Postgres stopped for 30 seconds while claims are in flight, then started again on the same
 * cluster. Activities retry until it is back; the API stays alive, says "not ready" with 503 and
 * Retry-After, never answers 500 or shows a stack trace; everything completes afterwards.
 */
import { checkAll, waitSettled } from '../invariants.js';
import { type Answer, submitClaims } from '../load.js';
import { judgeOutage, startProbing } from '../probe.js';
import { withStack } from '../run.js';
import type { Drill } from '../types.js';
import { n, sleep, until } from '../util.js';

export const postgresOutage: Drill = {
  name: 'postgres-outage',
  number: 3,
  title: 'Postgres stopped for 30 s mid-flight: 503 + Retry-After, no 500, everything completes',
  async run(ctx) {
    const downMs = ctx.short ? 15_000 : 30_000;
    return withStack(ctx, this, { adjudicationDelayMs: 2000, eraPollSeconds: 3 }, async (stack, out) => {
      let window: { from: number; to: number } | undefined;
      const writes: { startedAt: number; answer: Answer }[] = [];
      let accepted = 0;
      const load = submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `P${ctx.seed.toString(36).slice(-4)}`,
        width: 4,
        paceMs: Math.max(50, Math.round((20_000 * 4) / ctx.claims)),
        retryForMs: downMs + 180_000,
        onProgress: (done) => {
          accepted = done;
        },
        onAnswer: (startedAt, answer) => writes.push({ startedAt, answer }),
      });
      // Mid-flight: some claims stored and working, the rest still to come.
      await until(
        async () => (accepted >= Math.ceil(ctx.claims / 3) ? true : undefined),
        'a third of the load',
        120_000,
        200,
      );
      const from = Date.now();
      const acceptedAtFault = accepted;
      await stack.stopPostgres();
      // Probing starts once the server is down: a probe racing the stop would see it still up.
      const probing = startProbing(stack);
      ctx.log(
        `[${this.name}] Postgres stopped with ${accepted} claims accepted; down for ${downMs / 1000} s`,
      );
      await sleep(downMs);
      const to = Date.now();
      window = { from, to };
      const probes = await probing.stop();
      await stack.startPostgres();
      const up = Date.now();
      ctx.log(`[${this.name}] Postgres back after ${((up - from) / 1000).toFixed(1)} s`);
      const loaded = await load;
      await waitSettled(stack, loaded.claims, 180_000 + ctx.claims * 1000, ctx.log);
      out.recoveryMs = Date.now() - up;
      const inWindow = writes
        .filter((w) => w.startedAt >= window!.from && w.startedAt <= window!.to)
        .map((w) => w.answer);
      const byAnswer: Record<string, number> = {};
      for (const w of writes)
        byAnswer[w.answer.error ?? w.answer.status] = (byAnswer[w.answer.error ?? w.answer.status] ?? 0) + 1;
      out.load = `${n(ctx.claims)} claims through POST /claims (4 lanes, retried with their Idempotency-Key): ${Object.entries(
        byAnswer,
      )
        .map(([k, v]) => `${v}x ${k}`)
        .join(', ')}; /readyz, /healthz and GET /claims probed every 0.5 s during the outage`;
      out.fault = `Postgres stopped (fast shutdown, every connection cut) for ${((to - from) / 1000).toFixed(1)} s with ${n(acceptedAtFault)} of ${n(ctx.claims)} claims accepted`;
      const crashed = [stack.worker, stack.api, stack.sim].filter((p) => p.exits.length > 0);
      out.invariants = [
        ...judgeOutage('Postgres', probes, inWindow),
        {
          name: 'no process died',
          ok: crashed.length === 0,
          detail: `${crashed.length} of worker, api, payer-sim exited (${crashed.map((p) => `${p.role} ${JSON.stringify(p.exits)}`).join('; ') || 'none'})`,
        },
        // Error logs while the database is away are expected (pino JSON); raw stack traces are not.
        ...(await checkAll(stack, loaded.claims, { logsAllow: /^\{/ })),
      ];
      if (loaded.failed.length > 0)
        out.notes.push(
          `${loaded.failed.length} claims never accepted: ${loaded.failed.slice(0, 5).join(', ')}`,
        );
      const errorLogs = [stack.worker, stack.api].flatMap((p) => p.bad).length;
      out.notes.push(
        `${n(errorLogs)} error-level log lines from worker and API during the drill (expected while Postgres is away)`,
      );
    });
  },
};
