/**
 * `npm run drill -- <name>|all [--claims N] [--seed N] [--short] [--keep]`: fault drills against the real stack.
 * Each drill starts its own stack (embedded Postgres, Temporal dev server on a SQLite file, payer-sim,
 * worker, API, every role its own process, all on 127.0.0.1), creates load through the API, injects its
 * fault, lets the system recover and checks the invariants against Postgres, Temporal and payer-sim.
 * Prints per drill the load, the fault, the recovery time and every invariant with its counts; exits 1
 * when any invariant is violated or a drill could not finish.
 */
import { DRILLS } from './drills/index.js';
import { formatResult, summary } from './run.js';
import type { DrillResult } from './types.js';

function usage(): never {
  console.log(
    `usage: npm run drill -- <name>|all [--claims N] [--seed N] [--short] [--keep]\n\ndrills:\n${DRILLS.map((d) => `  ${String(d.number).padStart(2)} ${d.name.padEnd(22)} ${d.title}`).join('\n')}`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const names: string[] = [];
  let claims: number | undefined;
  let seed = Date.now() % 100_000;
  let keep = false;
  let short = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--claims') claims = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--keep') keep = true;
    else if (a === '--short') short = true;
    else if (a === '--help' || a === '-h') usage();
    else names.push(a);
  }
  if (names.length === 0 || (claims !== undefined && !(Number.isInteger(claims) && claims > 0))) usage();
  return { names, claims, seed, keep, short };
}

const args = parseArgs(process.argv.slice(2));
const selected = args.names.includes('all')
  ? DRILLS
  : args.names.map((name) => DRILLS.find((d) => d.name === name || String(d.number) === name) ?? usage());
const log = (msg: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${msg}`);
const results: DrillResult[] = [];
for (const drill of selected) {
  const result = await drill.run({
    claims: args.claims ?? 200,
    seed: args.seed,
    keep: args.keep,
    short: args.short,
    log,
  });
  results.push(result);
  console.log(`\n${formatResult(result, drill.number)}\n`);
}
if (results.length > 1) {
  console.log('=== summary ===');
  for (const [i, r] of results.entries())
    console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${selected[i]!.number} ${r.name}`);
}
console.log(summary(results));
process.exit(results.every((r) => r.ok) ? 0 : 1);
