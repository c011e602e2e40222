/** Running one drill on its own stack, always torn down, and printing its result. */
import type { Invariant } from './invariants.js';
import { DrillStack, type DrillStackOptions } from './stack.js';
import type { DrillContext, DrillResult } from './types.js';
import { n } from './util.js';

/** The parts of a result a drill body fills in. */
export type DrillOutcome = Omit<DrillResult, 'name' | 'title' | 'ok' | 'error' | 'dir'>;

/**
 * Starts a stack, runs `body` on it, stops the stack whatever happens. A thrown error (a timeout, a
 * process that would not start) becomes a failed result carrying what was known so far.
 */
export async function withStack(
  ctx: DrillContext,
  meta: { name: string; title: string },
  stackOpts: Omit<DrillStackOptions, 'name' | 'log' | 'keepDir'>,
  body: (stack: DrillStack, partial: DrillOutcome) => Promise<void>,
): Promise<DrillResult> {
  const stack = new DrillStack({ ...stackOpts, name: meta.name, log: ctx.log, keepDir: ctx.keep });
  const partial: DrillOutcome = { load: '-', fault: '-', recoveryMs: undefined, invariants: [], notes: [] };
  let error: string | undefined;
  try {
    ctx.log(`[${meta.name}] starting the stack (Postgres, Temporal, payer-sim, worker, API)`);
    const t0 = Date.now();
    await stack.start();
    ctx.log(`[${meta.name}] stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await body(stack, partial);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    ctx.log(`[${meta.name}] failed: ${error}`);
  } finally {
    await stack.stop().catch((err) => ctx.log(`[${meta.name}] stop failed: ${String(err)}`));
  }
  const ok = error === undefined && partial.invariants.length > 0 && partial.invariants.every((i) => i.ok);
  const result: DrillResult = { ...meta, ...partial, ok };
  if (error !== undefined) result.error = error;
  if (ctx.keep) result.dir = stack.dir;
  return result;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? 'did not recover' : `${(ms / 1000).toFixed(1)} s`;
}

/** The human-readable report of one drill. */
export function formatResult(r: DrillResult, number?: number): string {
  const lines = [
    `${r.ok ? 'PASS' : 'FAIL'}  drill ${number ?? ''} ${r.name}: ${r.title}`,
    `  load:      ${r.load}`,
    `  fault:     ${r.fault}`,
    `  recovery:  ${seconds(r.recoveryMs)}`,
  ];
  for (const i of r.invariants) {
    lines.push(`  [${i.ok ? ' ok ' : 'FAIL'}] ${i.name}: ${i.detail}`);
    if (!i.ok) for (const e of i.examples ?? []) lines.push(`           - ${e}`);
  }
  for (const note of r.notes) lines.push(`  note: ${note}`);
  if (r.error) lines.push(`  error: ${r.error.split('\n').slice(0, 12).join('\n         ')}`);
  if (r.dir) lines.push(`  logs: ${r.dir}/logs`);
  return lines.join('\n');
}

/** One line per invariant for the final summary. */
export function summary(results: DrillResult[]): string {
  const passed = results.filter((r) => r.ok).length;
  const checks = results.flatMap((r) => r.invariants) as Invariant[];
  return `${passed}/${results.length} drills passed; ${n(checks.filter((c) => c.ok).length)}/${n(checks.length)} invariants held`;
}
