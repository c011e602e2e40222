/**
 * Drill 9: bad input at volume. Thousands of malformed requests (broken JSON, missing and mistyped
 * fields, unknown fields, bad query parameters and ids, no credentials, wrong content types, oversized
 * bodies, unknown routes) and malformed 835 files are mixed into normal claim traffic. Each must be
 * refused with a 4xx problem+json that names the field or segment, nothing of a bad 835 may be stored,
 * the normal claims must go through as usual, and the API's memory must stay flat.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/tools.js';
import { checkAll, type Invariant, simLedger, simRemittances, waitSettled } from '../invariants.js';
import { type Answer, claimBody, http, STORIES, submitClaims } from '../load.js';
import { leaksStack } from '../probe.js';
import { withStack } from '../run.js';
import type { DrillStack } from '../stack.js';
import type { Drill } from '../types.js';
import { mapLimit, n, until } from '../util.js';

interface BadRequest {
  kind: string;
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  auth?: boolean;
  /** Acceptable statuses. */
  status: number[];
  /** A string one of `errors[].field` (or the detail) must contain, when the refusal should name it. */
  names?: string;
}

const FAKE_UUID = '00000000-0000-4000-8000-000000000000';

function badRequests(): BadRequest[] {
  const good = claimBody('BAD-1', STORIES[0]!, 1);
  const { payerId: _payerId, ...noPayer } = good;
  return [
    {
      kind: 'broken JSON',
      method: 'POST',
      path: '/claims',
      raw: '{"practiceId": "sunrise-fp", ',
      contentType: 'application/json',
      status: [400],
    },
    {
      kind: 'missing field',
      method: 'POST',
      path: '/claims',
      body: noPayer,
      status: [400],
      names: 'payerId',
    },
    {
      kind: 'money as a string',
      method: 'POST',
      path: '/claims',
      body: { ...good, lines: [{ ...good.lines[0], chargeCents: '150.00' }] },
      status: [400],
      names: 'chargeCents',
    },
    {
      kind: 'unknown field',
      method: 'POST',
      path: '/claims',
      body: { ...good, ssn: '123-45-6789' },
      status: [400],
      names: 'ssn',
    },
    {
      kind: 'bad NPI',
      method: 'POST',
      path: '/claims',
      body: { ...good, billingProviderNpi: '12345' },
      status: [400],
      names: 'billingProviderNpi',
    },
    {
      kind: 'impossible date',
      method: 'POST',
      path: '/claims',
      body: { ...good, dateOfService: '2025-02-30' },
      status: [400, 422],
      names: 'dateOfService',
    },
    {
      kind: 'no lines',
      method: 'POST',
      path: '/claims',
      body: { ...good, lines: [] },
      status: [400],
      names: 'lines',
    },
    { kind: 'array body', method: 'POST', path: '/claims', body: [good], status: [400] },
    { kind: 'no credentials', method: 'POST', path: '/claims', body: good, auth: false, status: [401] },
    {
      kind: 'wrong content type',
      method: 'POST',
      path: '/claims',
      raw: 'practiceId=sunrise-fp',
      contentType: 'application/x-www-form-urlencoded',
      status: [415],
    },
    { kind: 'bad query parameter', method: 'GET', path: '/claims?limit=abc', status: [400], names: 'limit' },
    {
      kind: 'unknown query parameter',
      method: 'GET',
      path: '/claims?drop=table',
      status: [400],
      names: 'drop',
    },
    { kind: 'bad id', method: 'GET', path: '/claims/not-a-uuid', status: [400], names: 'id' },
    { kind: 'unknown claim', method: 'GET', path: `/claims/${FAKE_UUID}`, status: [404] },
    {
      kind: 'bad decision',
      method: 'POST',
      path: `/claims/${FAKE_UUID}/write-off`,
      body: { reasonCode: 'BECAUSE' },
      status: [400],
      names: 'reasonCode',
    },
    { kind: 'unknown route', method: 'GET', path: '/claims/../../etc/passwd', status: [400, 404] },
    {
      kind: 'empty 835',
      method: 'POST',
      path: '/remittances',
      raw: '   ',
      contentType: 'text/plain',
      status: [400, 415, 422],
    },
  ];
}

/**
 * Fixtures that are valid 835s: other separators, and the noisy twin of a clean file whose noise the
 * parser tolerates with warnings (docs/835-tolerance.md). Every other fixture is malformed.
 */
const WELL_FORMED_FIXTURES = [
  '835-full.edi',
  '835-minimal.edi',
  '835-pipe-newline.edi',
  '835-bang-crlf.edi',
  '835-noisy.edi',
];

/** Malformed 835s: the project's own bad fixtures plus damaged copies of real payer files. */
function bad835s(goodFiles: string[], count: number): { kind: string; raw: string }[] {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'x12');
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.edi') && !WELL_FORMED_FIXTURES.includes(f))
    .map((f) => ({ kind: f, raw: readFileSync(join(dir, f), 'utf8') }));
  const out = [...fixtures];
  let i = 0;
  while (out.length < count && goodFiles.length > 0) {
    const raw = goodFiles[i % goodFiles.length]!;
    const segments = raw.split('~');
    const mutation = i % 4;
    if (mutation === 0)
      out.push({
        kind: 'truncated payer file',
        raw: segments.slice(0, Math.max(3, Math.floor(segments.length / 2))).join('~') + '~',
      });
    else if (mutation === 1)
      out.push({
        kind: 'CLP amount not a number',
        raw: raw.replace(/CLP\*([^*]*)\*([^*]*)\*([^*]*)\*/, 'CLP*$1*$2*12x.00*'),
      });
    else if (mutation === 2)
      out.push({
        kind: 'wrong SE count',
        raw: raw.replace(/SE\*(\d+)\*/, (_m, k) => `SE*${Number(k) + 3}*`),
      });
    else
      out.push({
        kind: 'BPR does not balance',
        raw: raw.replace(
          /BPR\*([A-Z])\*([0-9.]+)\*/,
          (_m, h, amt) => `BPR*${h}*${(Number(amt) + 1.11).toFixed(2)}*`,
        ),
      });
    i++;
  }
  return out.slice(0, count);
}

/** Resident set size of a process, from /proc (Linux). */
function rssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function judge(r: BadRequest, a: Answer): string | undefined {
  if (!r.status.includes(a.status))
    return `${r.kind}: ${a.status || a.error} (expected ${r.status.join('/')}) ${a.text.slice(0, 160)}`;
  if (!(a.headers.get('content-type') ?? '').includes('application/problem+json'))
    return `${r.kind}: content-type ${a.headers.get('content-type')}`;
  if (leaksStack(a.text)) return `${r.kind}: stack trace in the body`;
  if (r.names && !a.text.includes(r.names))
    return `${r.kind}: the refusal does not name ${r.names}: ${a.text.slice(0, 200)}`;
  return undefined;
}

export const badInput: Drill = {
  name: 'bad-input',
  number: 9,
  title: '10,000 malformed requests and 100 malformed 835s mixed into normal traffic',
  async run(ctx) {
    const total = ctx.short ? 1000 : 10_000;
    const total835 = ctx.short ? 20 : 100;
    return withStack(ctx, this, { adjudicationDelayMs: 2000, eraPollSeconds: 3 }, async (stack, out) => {
      // Payer files to damage: submit a few claims first and let the payer remit them.
      const seedLoad = await submitClaims(stack.apiUrl, stack.keys.integration, {
        count: 5,
        prefix: `S${ctx.seed.toString(36).slice(-4)}`,
      });
      await until(
        async () => ((await simLedger(stack)).remittances.length > 0 ? true : undefined),
        'a payer file',
        60_000,
        500,
      );
      const goodFiles = (await simRemittances(stack, await simLedger(stack))).map((f) => f.raw);
      const uploadsBefore = await countUploads(stack);
      const templates = badRequests();
      const files = bad835s(goodFiles, total835);
      const rssStart = rssMb(stack.api.pid);
      const failures: string[] = [];
      const byKind: Record<string, number> = {};
      const t0 = Date.now();
      const normal = submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `B${ctx.seed.toString(36).slice(-4)}`,
        width: 4,
      });
      const items = Array.from({ length: total + files.length }, (_, i) => i);
      const normalLatencies: number[] = [];
      await mapLimit(items, 16, async (i) => {
        if (i % Math.ceil((total + files.length) / files.length) === 0 && files.length > 0) {
          const f = files.pop()!;
          const a = await http('POST', `${stack.apiUrl}/remittances`, {
            raw: f.raw,
            headers: { authorization: `Bearer ${stack.keys.integration}` },
          });
          byKind['malformed 835'] = (byKind['malformed 835'] ?? 0) + 1;
          const problem = judge(
            { kind: `835 ${f.kind}`, method: 'POST', path: '/remittances', status: [422], names: 'segment' },
            a,
          );
          if (problem) failures.push(problem);
          return;
        }
        const r = templates[i % templates.length]!;
        const headers: Record<string, string> = {};
        if (r.auth !== false)
          headers.authorization = `Bearer ${r.path.startsWith('/claims') && r.method === 'GET' ? stack.keys.biller : stack.keys.integration}`;
        if (r.path.includes('/write-off')) headers.authorization = `Bearer ${stack.keys.biller}`;
        const opts: Parameters<typeof http>[2] = { headers };
        if (r.raw !== undefined) {
          opts.raw = r.raw;
          opts.contentType = r.contentType ?? 'text/plain';
        } else if (r.body !== undefined) opts.body = r.body;
        const a = await http(r.method, `${stack.apiUrl}${r.path}`, opts);
        byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
        const problem = judge(r, a);
        if (problem) failures.push(problem);
      });
      const badMs = Date.now() - t0;
      const loaded = await normal;
      const rssEnd = rssMb(stack.api.pid);
      // How normal traffic fared: one more claim with timing, now that the flood is over.
      for (let k = 0; k < 5; k++) {
        const a = await http('GET', `${stack.apiUrl}/worklist`, {
          headers: { authorization: `Bearer ${stack.keys.biller}` },
        });
        normalLatencies.push(a.ms);
      }
      const uploadsAfter = await countUploads(stack);
      out.recoveryMs = await waitSettled(
        stack,
        [...seedLoad.claims, ...loaded.claims],
        180_000 + ctx.claims * 1000,
        ctx.log,
      );
      out.load = `${n(ctx.claims)} normal claims (4 lanes) alongside ${n(total)} malformed requests and ${n(total835)} malformed 835s (16 lanes), in ${(badMs / 1000).toFixed(1)} s`;
      out.fault = `${templates.length} kinds of malformed request (${templates.map((t) => t.kind).join(', ')}) and ${new Set(bad835s(goodFiles, total835).map((f) => f.kind)).size} kinds of malformed 835`;
      const grew = rssEnd - rssStart;
      const invariants: Invariant[] = [
        {
          name: 'every malformed request refused with a 4xx problem naming the field',
          ok: failures.length === 0,
          detail: `${n(total + total835)} malformed: ${n(total + total835 - failures.length)} refused as they should be, ${n(failures.length)} not`,
          examples: [...new Set(failures)].slice(0, 6),
        },
        {
          name: 'nothing of a malformed 835 stored',
          ok: uploadsAfter === uploadsBefore,
          detail: `uploaded era_files rows before ${uploadsBefore}, after ${uploadsAfter}`,
        },
        {
          name: 'normal traffic unaffected',
          ok: loaded.failed.length === 0 && loaded.claims.length === ctx.claims,
          detail: `${n(loaded.claims.length)} of ${n(ctx.claims)} claims accepted (${Object.entries(
            loaded.answers,
          )
            .map(([k, v]) => `${v}x ${k}`)
            .join(', ')}); GET /worklist after the flood ${normalLatencies.join('/')} ms`,
        },
        {
          name: 'API memory flat',
          ok: Number.isFinite(grew) && grew < 150,
          detail: `API resident memory ${rssStart} MB before the flood, ${rssEnd} MB after (${grew >= 0 ? '+' : ''}${grew} MB)`,
        },
      ];
      out.invariants = [...invariants, ...(await checkAll(stack, [...seedLoad.claims, ...loaded.claims]))];
    });
  },
};

async function countUploads(stack: DrillStack): Promise<number> {
  const r = await stack.db
    .selectFrom('era_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source', '=', 'upload')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
