import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildPayerSim } from '../../payer-sim/app.js';
import { makeClaim } from './support.js';

describe('payer-sim logging', () => {
  it('never logs patient names, birth dates or member ids, even at trace level', async () => {
    let output = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    });
    const app = buildPayerSim({ apiKey: 'k', tickMs: 3_600_000 }, pino({ level: 'trace' }, sink));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
    const patient = {
      memberId: 'PAID-SECRET77',
      firstName: 'Zenobia',
      lastName: 'Quackenbush',
      birthDate: '1961-07-23',
    };
    const claims = [
      makeClaim({ patient }),
      makeClaim({ patient: { ...patient, memberId: 'DENY50-SECRET77' } }),
      makeClaim({ patient, billingProviderNpi: '1234567890' }),
    ];
    for (const [i, claim] of claims.entries()) {
      await fetch(`http://127.0.0.1:${port}/v1/claims`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `log-${i}` },
        body: JSON.stringify(claim),
      });
    }
    await fetch(`http://127.0.0.1:${port}/v1/claims`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': 'log-bad' },
      body: JSON.stringify({ ...claims[0], totalChargeCents: 'x' }),
    });
    await fetch(`http://127.0.0.1:${port}/sim/adjudicate`, { method: 'POST' });
    await app.close();

    expect(output).toContain('claim adjudicated');
    for (const secret of ['SECRET77', 'Zenobia', 'Quackenbush', '1961-07-23', 'Bearer k']) {
      expect(output).not.toContain(secret);
    }
  });
});
