/**
 * Drill 1: the worker is killed with SIGKILL (no shutdown, no drain) at random moments while claims are
 * in flight, restarted a few seconds later, three times. Temporal must hand the lost workflow and
 * activity tasks to the new worker; retried activities must not submit a claim twice or post money
 * twice.
 */
import { checkAll, orphanedActivities, waitSettled } from '../invariants.js';
import { submitClaims } from '../load.js';
import { withStack } from '../run.js';
import type { Drill } from '../types.js';
import { n, seeded, sleep } from '../util.js';

export const workerKill: Drill = {
  name: 'worker-kill',
  number: 1,
  title: 'worker SIGKILLed at random moments under load, restarted, three times',
  async run(ctx) {
    return withStack(ctx, this, { adjudicationDelayMs: 2000, eraPollSeconds: 3 }, async (stack, out) => {
      const random = seeded(ctx.seed);
      const width = 8;
      out.load = `${n(ctx.claims)} claims through POST /claims (${width} in flight), payer adjudicating after 2 s, ERA pulls every 3 s`;
      const started = Date.now();
      const load = submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `K${ctx.seed.toString(36).slice(-4)}`,
        width,
      });
      const kills: string[] = [];
      let restartedAt = Date.now();
      const rounds = ctx.short ? 1 : 3;
      for (let round = 1; round <= rounds; round++) {
        const waitMs = Math.round(1000 + random() * 6000);
        const downMs = Math.round(2000 + random() * 3000);
        await sleep(waitMs);
        const inFlight = await stack.db
          .selectFrom('claims')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', 'not in', ['PAID', 'PATIENT_BALANCE', 'NEEDS_REVIEW', 'NEEDS_CORRECTION'])
          .executeTakeFirst();
        const exit = await stack.worker.signal('SIGKILL');
        kills.push(
          `kill ${round} at +${((Date.now() - started) / 1000).toFixed(1)} s (${n(Number(inFlight?.n ?? 0))} claims unsettled, exit ${exit.signal ?? exit.code}), down ${(downMs / 1000).toFixed(1)} s`,
        );
        ctx.log(`[${this.name}] ${kills.at(-1)}`);
        await sleep(downMs);
        const t = Date.now();
        await stack.restartWorker();
        restartedAt = Date.now();
        ctx.log(`[${this.name}] worker polling again after ${((restartedAt - t) / 1000).toFixed(1)} s`);
      }
      // What the last dead worker left started: Temporal re-dispatches those only at their timeout.
      const orphans = await orphanedActivities(stack, restartedAt);
      const byType: Record<string, number> = {};
      for (const a of orphans.activities) byType[a.type] = (byType[a.type] ?? 0) + 1;
      const loaded = await load;
      out.fault = `worker SIGKILL x${rounds}: ${kills.join('; ')}`;
      out.notes.push(
        `API answers while loading: ${Object.entries(loaded.answers)
          .map(([k, v]) => `${k} x${v}`)
          .join(', ')}`,
      );
      if (loaded.failed.length > 0)
        out.notes.push(`${loaded.failed.length} claims never accepted by the API`);
      const oldest = Math.max(0, ...orphans.activities.map((a) => a.startedAgoMs));
      out.notes.push(
        `activities the last killed worker had started, which Temporal hands to the new worker only when their start-to-close timeout expires: ${
          Object.entries(byType)
            .map(([t, k]) => `${k}x ${t}`)
            .join(', ') || 'none'
        } (in ${orphans.workflows} running workflows; oldest started ${(oldest / 1000).toFixed(0)} s before the check)`,
      );
      await waitSettled(stack, loaded.claims, 120_000 + ctx.claims * 1000, ctx.log);
      // Recovery counts from the last restart (the worker polling again) to every claim settled.
      out.recoveryMs = Date.now() - restartedAt;
      out.invariants = await checkAll(stack, loaded.claims);
      if (loaded.failed.length > 0)
        out.invariants.unshift({
          name: 'API accepted every claim',
          ok: false,
          detail: `${loaded.failed.length} of ${ctx.claims} refused or unanswered within the retry budget`,
          examples: loaded.failed.slice(0, 5),
        });
    });
  },
};
