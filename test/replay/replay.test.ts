/**
 * Replays the histories recorded from the workflow tests (test/histories/*.json, recorded with
 * `RECORD_HISTORIES=1 npx vitest run test/workflow`) against the current workflow code. A change that
 * alters the commands a running claim would issue fails here: guard it with `patched()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

const dir = join(import.meta.dirname, '..', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded claim histories', () => {
  it('there are recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('histories recorded from the phase-split claim workflow (*.v2.json) sit beside the originals', () => {
    const v2 = files.filter((f) => f.endsWith('.v2.json'));
    expect(v2.length).toBeGreaterThanOrEqual(10);
    for (const f of v2) expect(files).toContain(f.replace(/\.v2\.json$/, '.json'));
  });

  it('every recorded history replays deterministically with the current code', async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Already installed in this process.
    }
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, f), 'utf8'))),
    }));
    const results: { workflowId: string; error?: unknown }[] = [];
    for await (const r of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      histories,
    )) {
      results.push({ workflowId: r.workflowId, error: r.error });
    }
    expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${String(r.error)}`)).toEqual([]);
    expect(results).toHaveLength(files.length);
  }, 120_000);
});
