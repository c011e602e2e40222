/**
 * The import rules of docs/architecture.md, enforced with dependency-cruiser (.dependency-cruiser.cjs):
 * no circular import anywhere, and each folder imports only the folders its layer allows. A small
 * fixture tree proves the check fails on exactly the kinds of import it exists to stop.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const FOLDERS = [
  'domain',
  'workflows',
  'activities',
  'temporal',
  'documents',
  'db',
  'api',
  'web',
  'worker',
  'payer-sim',
  'config',
  'logging',
  'scripts',
  'bench',
  'test',
];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

function cruise(cwd: string, folders: string[]): Violation[] {
  const res = spawnSync(DEPCRUISE, ['--config', CONFIG, '--output-type', 'json', ...folders], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!res.stdout) throw new Error(`depcruise failed (${res.status}): ${res.stderr}`);
  const report = JSON.parse(res.stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

function describeViolation(v: Violation): string {
  const path = v.cycle ? [v.from, ...v.cycle.map((c) => c.name)].join(' -> ') : `${v.from} -> ${v.to}`;
  return `${v.rule.name}: ${path}`;
}

describe('dependency rules', () => {
  it('the tree has no circular import and no import its layer forbids', () => {
    const existing = FOLDERS.filter((f) => existsSync(join(ROOT, f)));
    const violations = cruise(ROOT, existing).map(describeViolation);
    expect(violations).toEqual([]);
  }, 180_000);

  it('fails on a circle, on domain/ importing our code and on workflows/ importing db/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'denial-desk-deps-'));
    try {
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({
          compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
        }),
        'domain/money.ts': "import { loadRow } from '../db/rows.js';\nexport const cents = loadRow;\n",
        'db/rows.ts': "import { cents } from '../domain/money.js';\nexport const loadRow = () => cents;\n",
        'workflows/claim.ts': "import { loadRow } from '../db/rows.js';\nexport const run = loadRow;\n",
        'workflows/uses-types.ts':
          "import type { Acts } from '../activities/acts.js';\nexport type A = Acts;\n",
        'activities/acts.ts': 'export interface Acts { post(): Promise<void> }\n',
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      const found = cruise(dir, ['domain', 'db', 'workflows', 'activities']).map(describeViolation);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^no-circular: /),
          'domain-is-pure: domain/money.ts -> db/rows.ts',
          'workflows-deterministic: workflows/claim.ts -> db/rows.ts',
        ]),
      );
      // An activity *type* import is what workflows are allowed.
      expect(found.filter((v) => v.includes('workflows/uses-types.ts'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
