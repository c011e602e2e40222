/**
 * Drill 10: Postgres turns read-only for a moment (what a full disk or a failover to a replica looks
 * like to the application) while 835 files are being posted. A file is posted in one transaction, so
 * at every instant each stored file must be either not posted at all or posted whole; uploads during
 * the moment are refused cleanly; everything is posted once afterwards.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { parse835 } from '../../../domain/x12/index.js';
import { checkAll, type Invariant, simLedger, simRemittances, waitSettled } from '../invariants.js';
import { type Answer, http, submitClaims } from '../load.js';
import { leaksStack } from '../probe.js';
import { withStack } from '../run.js';
import type { DrillStack } from '../stack.js';
import type { Drill } from '../types.js';
import { n, sleep, until } from '../util.js';

/** Turns the whole cluster read-only (or back) for every new transaction, like a disk-full guard. */
async function setReadOnly(stack: DrillStack, on: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: stack.dbUrl.replace(/\/[^/]*$/, '/postgres') });
  await client.connect();
  try {
    // This session must be able to write the setting back even while the cluster is read-only.
    await client.query('set default_transaction_read_only = off');
    await client.query(`alter system set default_transaction_read_only = ${on ? 'on' : 'off'}`);
    await client.query('select pg_reload_conf()');
  } finally {
    await client.end();
  }
}

/** Files stored now with their loop counts against loops posted or queued: anything in between is half-posted. */
async function halfPosted(
  stack: DrillStack,
  loopsOf: Map<string, number>,
): Promise<{ files: number; half: string[] }> {
  const rows = await sql<{ id: string; checksum: string; done: number }>`
    select f.id, f.checksum,
      (select count(*)::int from claim_payments p join remittances r on r.id = p.remittance_id where r.era_file_id = f.id)
      + (select count(*)::int from unmatched_claim_payments u join remittances r on r.id = u.remittance_id where r.era_file_id = f.id) as done
    from era_files f where f.status = 'ACCEPTED'`.execute(stack.db);
  const half: string[] = [];
  for (const r of rows.rows) {
    let loops = loopsOf.get(r.checksum);
    if (loops === undefined) {
      const raw = await stack.db
        .selectFrom('era_files')
        .select('raw')
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      loops = parse835(raw.raw).reduce((k, t) => k + t.claims.length, 0);
      loopsOf.set(r.checksum, loops);
    }
    if (r.done !== 0 && r.done !== loops) half.push(`${r.id}: ${r.done} of ${loops} loops posted`);
  }
  return { files: rows.rows.length, half };
}

export const postgresReadOnly: Drill = {
  name: 'postgres-readonly',
  number: 10,
  title:
    'Postgres read-only for a moment during ERA posting: files refused or retried whole, never half-posted',
  async run(ctx) {
    const readOnlyMs = ctx.short ? 8_000 : 12_000;
    return withStack(ctx, this, { adjudicationDelayMs: 1500, eraPollSeconds: 2 }, async (stack, out) => {
      const loopsOf = new Map<string, number>();
      const loaded0 = submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `W${ctx.seed.toString(36).slice(-4)}`,
        width: 4,
        paceMs: Math.max(50, Math.round((20_000 * 4) / ctx.claims)),
        retryForMs: readOnlyMs + 180_000,
      });
      // Wait for ERA posting to be under way: the payer has written files and we have posted some.
      await until(
        async () => {
          const l = await simLedger(stack);
          const stored = await stack.db.selectFrom('era_files').select('id').execute();
          return l.remittances.length >= 2 && stored.length >= 1 ? true : undefined;
        },
        'ERA posting to be under way',
        120_000,
        200,
      );
      let sampling = true;
      let samples = 0;
      const half = new Set<string>();
      const sampler = (async () => {
        while (sampling) {
          const s = await halfPosted(stack, loopsOf).catch(() => undefined);
          if (s) {
            samples++;
            for (const h of s.half) half.add(h);
          }
          await sleep(150);
        }
      })();
      const from = Date.now();
      await setReadOnly(stack, true);
      ctx.log(`[${this.name}] Postgres read-only for ${readOnlyMs / 1000} s`);
      // An upload while read-only: refused (503), never half-stored, never a 500 with a stack.
      const files = await simRemittances(stack, await simLedger(stack));
      const uploads: Answer[] = [];
      const until0 = from + readOnlyMs;
      while (Date.now() < until0 - 500) {
        const f = files[uploads.length % files.length]!;
        uploads.push(
          await http('POST', `${stack.apiUrl}/remittances`, {
            raw: f.raw,
            headers: { authorization: `Bearer ${stack.keys.integration}` },
          }),
        );
        await sleep(500);
      }
      await setReadOnly(stack, false);
      const back = Date.now();
      const loaded = await loaded0;
      await waitSettled(stack, loaded.claims, 240_000 + ctx.claims * 1000, ctx.log, new Set());
      out.recoveryMs = Date.now() - back;
      await sleep(500);
      sampling = false;
      await sampler;
      const tally = (as: Answer[]) => {
        const by: Record<string, number> = {};
        for (const a of as) by[a.error ?? a.status] = (by[a.error ?? a.status] ?? 0) + 1;
        return Object.entries(by)
          .map(([k, v]) => `${v}x ${k}`)
          .join(', ');
      };
      out.load = `${n(ctx.claims)} claims through POST /claims, payer adjudicating after 1.5 s, ERA pulls every 2 s; ${n(uploads.length)} uploads of payer files during the read-only moment`;
      out.fault = `default_transaction_read_only = on cluster-wide for ${((back - from) / 1000).toFixed(1)} s while files were being pulled and posted`;
      const badUploads = uploads.filter((a) => a.status >= 500 && a.status !== 503);
      const invariants: Invariant[] = [
        {
          name: 'no file ever half-posted',
          ok: half.size === 0 && samples > 0,
          detail: `${n(samples)} snapshots of every stored file (posted loops vs loops in the file): ${n(half.size)} half-posted`,
          examples: [...half].slice(0, 5),
        },
        {
          name: 'uploads while read-only refused cleanly (503, not 500)',
          ok: badUploads.length === 0 && uploads.every((a) => !leaksStack(a.text)),
          detail: `${n(uploads.length)} uploads: ${tally(uploads)}`,
          examples: badUploads.slice(0, 2).map((a) => `${a.status}: ${a.text.slice(0, 200)}`),
        },
      ];
      const crashed = [stack.worker, stack.api, stack.sim].filter((p) => p.exits.length > 0);
      invariants.push({
        name: 'no process died',
        ok: crashed.length === 0,
        detail: `${crashed.length} of worker, api, payer-sim exited`,
      });
      out.invariants = [...invariants, ...(await checkAll(stack, loaded.claims, { logsAllow: /^\{/ }))];
    });
  },
};
