import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayerSim } from '../../payer-sim/app.js';
import { makeClaim, startSim } from './support.js';

describe('payer-sim persistence and configuration files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'payer-sim-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a restarted sim continues from its state file: claims, counters, files and stored answers survive', async () => {
    const stateFile = join(dir, 'nested', 'payer-sim.json');
    const adjudicated = makeClaim({ memberId: 'PAID-1' });
    const pending = makeClaim({ memberId: 'PAID-2' });

    const first = await startSim({ stateFile });
    const accepted = await first.submit(adjudicated, 'persist-a');
    await first.adjudicate();
    await first.submit(pending, 'persist-b');
    const statusBefore = await first.v1(
      'GET',
      `/claims/${adjudicated.patientControlNumber}/status?payerId=ACME`,
    );
    const filesBefore = await first.remittances();
    await first.close();
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ version: 1 });

    const second = await startSim({ stateFile });
    try {
      const statusAfter = await second.v1(
        'GET',
        `/claims/${adjudicated.patientControlNumber}/status?payerId=ACME`,
      );
      expect(statusAfter.body).toEqual(statusBefore.body);
      const replay = await second.submit(adjudicated, 'persist-a');
      expect(replay.body).toEqual(accepted.body);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await second.control('GET', `/claims/${adjudicated.patientControlNumber}`)).body).toMatchObject(
        {
          submissions: 1,
        },
      );
      expect(
        (await second.v1('GET', `/claims/${pending.patientControlNumber}/status?payerId=ACME`)).body,
      ).toMatchObject({
        category: 'P1',
      });
      const { remittanceIds } = await second.adjudicate();
      const filesAfter = await second.remittances();
      expect(filesAfter.slice(0, filesBefore.length).map((f) => f.text)).toEqual(
        filesBefore.map((f) => f.text),
      );
      expect(filesAfter.slice(filesBefore.length).map((f) => f.id)).toEqual(remittanceIds);
      const traces = filesAfter.flatMap((f) => f.parsed.map((r) => r.traceNumber));
      expect(new Set(traces).size).toBe(traces.length);
    } finally {
      await second.close();
    }
  });

  it('a state file that is not a payer-sim state stops the start with a clear error', async () => {
    const stateFile = join(dir, 'garbage.json');
    await writeFile(stateFile, '{"hello":');
    const app = buildPayerSim({ stateFile }, pino({ level: 'silent' }));
    await expect(app.ready()).rejects.toThrow(/not JSON/);
    await writeFile(stateFile, '{"version": 99}');
    const again = buildPayerSim({ stateFile }, pino({ level: 'silent' }));
    await expect(again.ready()).rejects.toThrow(/not a payer-sim state/);
  });

  it('a scenarios file puts its rules before the built-in table', async () => {
    const scenariosFile = join(dir, 'scenarios.json');
    await writeFile(
      scenariosFile,
      JSON.stringify({
        rules: [
          {
            name: 'acme-denies-everything-for-gold',
            description: 'test rule',
            when: { memberIdPrefix: 'GOLD-' },
            outcome: { kind: 'denied', group: 'CO', reason: '119', scope: 'all_lines' },
          },
        ],
      }),
    );
    const sim = await startSim({ scenariosFile });
    try {
      const gold = makeClaim({ memberId: 'GOLD-1' });
      const builtIn = makeClaim({ memberId: 'DENY50-1' });
      await sim.submit(gold, 'file-gold');
      await sim.submit(builtIn, 'file-builtin');
      await sim.adjudicate();
      expect((await sim.control('GET', `/claims/${gold.patientControlNumber}`)).body).toMatchObject({
        scenario: 'acme-denies-everything-for-gold',
        adjustments: [expect.objectContaining({ reason: '119' }), expect.objectContaining({ reason: '119' })],
      });
      expect((await sim.control('GET', `/claims/${builtIn.patientControlNumber}`)).body).toMatchObject({
        scenario: 'medical-necessity',
      });
    } finally {
      await sim.close();
    }
  });

  it('a scenarios file with an unknown outcome stops the start naming the problem', async () => {
    const scenariosFile = join(dir, 'bad-scenarios.json');
    await writeFile(
      scenariosFile,
      JSON.stringify({ rules: [{ name: 'x', description: '', when: {}, outcome: { kind: 'maybe' } }] }),
    );
    const app = buildPayerSim({ scenariosFile }, pino({ level: 'silent' }));
    await expect(app.ready()).rejects.toThrow(/scenarios file/);
  });
});
