/**
 * The benchmark's smoke: `npm run bench -- --smoke` on its own real stack (a few dozen claims, a
 * 100-claim 835, two-second autocannon runs), so the benchmark code cannot rot. It asserts only that
 * every figure was measured and written, never a speed: timings belong to `npm run bench`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'denial-desk-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Figure {
  section: string;
  name: string;
  ours?: number;
  baseline?: number;
  baselineName?: string;
  ratio?: number;
  target?: unknown;
  met?: boolean;
  note?: string;
}

describe('npm run bench -- --smoke', () => {
  it('measures every figure, next to its baseline where it has one, and writes the JSON and the table', async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', join(root, 'bench', 'run.ts'), '--smoke', '--out', out],
        { cwd: root, maxBuffer: 16 << 20 },
        (err, _stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
      child.stdin?.end();
    });
    expect(code, stderr.slice(-4000)).toBe(0);
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('-smoke.json'));
    expect(json).toBeDefined();
    expect(files).toContain(json!.replace(/\.json$/, '.md'));
    const report = JSON.parse(readFileSync(join(out, json!), 'utf8')) as {
      machine: Record<string, unknown>;
      settings: { tuning: Record<string, unknown> };
      figures: Figure[];
    };
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(Object.keys(report.settings.tuning)).toEqual(
      expect.arrayContaining([
        'maxCachedWorkflows',
        'workflowTaskSlots',
        'reuseV8Context',
        'devServerPragmas',
      ]),
    );
    const sections = new Set(report.figures.map((f) => f.section.split(' ')[0]));
    expect([...sections].sort()).toEqual(['1', '2', '3', '4', '5']);
    for (const f of report.figures) {
      const what = `${f.section} / ${f.name}`;
      // The 50 MB peak-RSS figure is the one measured in --full mode only, and says so.
      if (f.note === 'measured in --full mode only') continue;
      expect(Number.isFinite(f.ours), what).toBe(true);
      if (f.baselineName) {
        expect(Number.isFinite(f.baseline), what).toBe(true);
        expect(Number.isFinite(f.ratio), what).toBe(true);
      }
      if (f.target) expect(typeof f.met, what).toBe('boolean');
    }
    const names = report.figures.map((f) => `${f.section.split(' ')[0]} ${f.name}`);
    for (const expected of [
      '1 claims/s after warm-up',
      '1 p99 submit to terminal',
      '1 history events per claim',
      '2 process RSS while waiting',
      '2 drain after a rules change',
      '3 parse MiB/s',
      '3 parse vs the faster peer',
      '3 posting claims/s',
      '4 p99 latency',
      '5 whole file',
    ])
      expect(names, expected).toContain(expected);
  }, 300_000);
});
