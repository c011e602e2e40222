/**
 * The CI versions of the fault drills: the same drill code `npm run drill` runs (its own stack of real
 * processes: embedded Postgres, Temporal dev server, payer-sim, worker, API), with a small load and the
 * short fault schedule. A failing drill prints its whole report in the assertion message.
 */
import { expect } from 'vitest';
import { formatResult } from '../../scripts/drill/run.js';
import type { Drill } from '../../scripts/drill/types.js';

/** Claims of load in CI: enough for every story of the mix, small enough for a loaded machine. */
export const CI_CLAIMS = 20;

/** Runs `drill` short with CI load and fails with its report unless every invariant held. */
export async function expectDrillPasses(drill: Drill): Promise<void> {
  const lines: string[] = [];
  const result = await drill.run({
    claims: CI_CLAIMS,
    seed: 4242,
    short: true,
    keep: false,
    log: (msg) => lines.push(msg),
  });
  expect(
    result.ok,
    `${formatResult(result, drill.number)}\n\nprogress:\n${lines.slice(-15).join('\n')}`,
  ).toBe(true);
}

/** Stack start, load, fault, recovery and checks on a loaded 2-core machine. */
export const DRILL_TIMEOUT_MS = 420_000;
