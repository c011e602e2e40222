/**
 * Drill 6: the same 835 uploaded 20 times at once through the API while the ERA schedule pulls it from
 * the clearinghouse at the same moment, plus one copy with different bytes (a newline after every
 * segment, so another checksum) carrying the same claim loops. Every loop must be posted once.
 */
import { eraPollScheduleId } from '../../../workflows/ids.js';
import { checkAll, type Invariant, simLedger, simRemittances, waitSettled } from '../invariants.js';
import { http, submitClaims } from '../load.js';
import { withStack } from '../run.js';
import type { Drill } from '../types.js';
import { mapLimit, n, until } from '../util.js';

const COPIES = 20;

export const eraFlood: Drill = {
  name: 'era-flood',
  number: 6,
  title: 'the same 835 uploaded 20x concurrently while the schedule pulls it: one posting',
  async run(ctx) {
    // The schedule is there but idle (hourly): the drill fires it at the moment of the uploads.
    return withStack(ctx, this, { adjudicationDelayMs: 1000, eraPollSeconds: 3600 }, async (stack, out) => {
      const loaded = await submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `E${ctx.seed.toString(36).slice(-4)}`,
      });
      const remitted = loaded.claims.filter((c) => c.story.remitted);
      const pcns = new Set(
        (await stack.db.selectFrom('claims').select('patient_control_number').execute()).map(
          (r) => r.patient_control_number,
        ),
      );
      // Wait until the payer has written an 835 for every claim it accepted.
      await until(
        async () => {
          const l = await simLedger(stack);
          const paid = new Set(
            l.remittances.flatMap((f) => f.patientControlNumbers).filter((p) => pcns.has(p)),
          );
          return paid.size >= remitted.length ? l : undefined;
        },
        'the payer to remit every accepted claim',
        120_000 + ctx.claims * 500,
        500,
      );
      const files = await simRemittances(stack, await simLedger(stack));
      // At most 5 files get the flood (20 uploads each); the schedule pulls them all.
      const flooded = files.slice(0, 5);
      const variant = flooded[0]!.raw.replace(/~(?!\n)/g, '~\n');
      const answers: Record<string, number> = {};
      const created = new Map<string, number>();
      // Concurrent uploads of one file join one ingestion and all report its result: count it once.
      const postedByIngestion = new Map<string, number>();
      const schedule = stack.client.schedule.getHandle(eraPollScheduleId(stack.taskQueue));
      const t0 = Date.now();
      const uploads = flooded.flatMap((f) =>
        Array.from({ length: COPIES }, () => ({ id: f.id, raw: f.raw })),
      );
      uploads.push({ id: `${flooded[0]!.id}+newlines`, raw: variant });
      const [results] = await Promise.all([
        mapLimit(uploads, uploads.length, async (u) => {
          const a = await http('POST', `${stack.apiUrl}/remittances`, {
            raw: u.raw,
            headers: { authorization: `Bearer ${stack.keys.integration}` },
            timeoutMs: 60_000,
          });
          const label = a.error ?? String(a.status);
          answers[label] = (answers[label] ?? 0) + 1;
          if (a.status === 201) created.set(u.id, (created.get(u.id) ?? 0) + 1);
          const posted = (a.json as { posted?: number } | undefined)?.posted;
          if (posted !== undefined)
            postedByIngestion.set(u.id, Math.max(posted, postedByIngestion.get(u.id) ?? 0));
          return a;
        }),
        schedule.trigger(),
      ]);
      const uploadMs = Date.now() - t0;
      out.load = `${n(ctx.claims)} claims (${n(remitted.length)} remitted in ${n(files.length)} 835 files); ${n(uploads.length)} concurrent uploads of ${flooded.length} of those files`;
      out.fault = `${COPIES} concurrent POST /remittances per file + 1 re-formatted copy (other checksum, same loops) + the ERA schedule triggered at the same instant; uploads answered in ${(uploadMs / 1000).toFixed(1)} s`;
      out.recoveryMs = await waitSettled(
        stack,
        loaded.claims,
        120_000 + ctx.claims * 500,
        ctx.log,
        new Set(flooded.map((f) => f.id)),
      );
      const bad = results.filter((a) => ![200, 201, 202].includes(a.status));
      const twice = [...created.entries()].filter(([, k]) => k > 1);
      const upload: Invariant = {
        name: 'uploads answered cleanly',
        ok: bad.length === 0 && twice.length === 0,
        detail: `${n(results.length)} uploads: ${Object.entries(answers)
          .map(([k, v]) => `${v}x ${k}`)
          .join(
            ', ',
          )}; ${n(twice.length)} files created twice; loops posted by the uploads' ingestions: ${n([...postedByIngestion.values()].reduce((a, b) => a + b, 0))} (the rest by the schedule's pull)`,
        examples: bad.slice(0, 3).map((a) => `${a.status || a.error}: ${a.text.slice(0, 200)}`),
      };
      out.invariants = [upload, ...(await checkAll(stack, loaded.claims, { extraFiles: [variant] }))];
    });
  },
};
