/**
 * Workflow code must bundle for the deterministic sandbox: a stray `node:` import (or any module with
 * I/O) fails the bundle, and with it this test and CI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../worker/worker.js';

const logger = new DefaultLogger('ERROR');
// Inside the repository, so the bundler resolves @temporalio/* exactly as for the real workflows.
const dir = mkdtempSync(join(import.meta.dirname, '..', '.tmp-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workflow bundle', () => {
  it('the workflows bundle without any Node.js built-in or I/O module', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger });
    expect(code).toContain('claimWorkflow');
    expect(code).toContain('patientBalanceWorkflow');
    expect(code).toContain('eraIngestWorkflow');
  }, 120_000);

  it('a workflow module importing node:fs is refused by the bundler', async () => {
    const bad = join(dir, 'bad-workflows.ts');
    writeFileSync(
      bad,
      `import { readFileSync } from 'node:fs';\nexport * from ${JSON.stringify(WORKFLOWS_PATH)};\nexport async function leaky(): Promise<string> { return readFileSync('/etc/hostname', 'utf8'); }\n`,
    );
    const messages: string[] = [];
    const capture = new DefaultLogger('WARN', (entry) => messages.push(entry.message));
    await expect(bundleWorkflowCode({ workflowsPath: bad, logger: capture })).rejects.toThrow(
      /Webpack finished with errors/,
    );
    expect(messages.join('\n')).toMatch(/node:fs/);
  }, 120_000);
});
