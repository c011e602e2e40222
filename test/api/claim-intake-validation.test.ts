/**
 * Bad input to POST /claims: a 4xx problem+json body that names the field, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, type Stack, startStack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

type Body = ReturnType<typeof claimBody>;
const cases: [string, (b: Body) => unknown, number, string][] = [
  ['a missing patient', (b) => ({ ...b, patient: undefined }), 400, 'body/patient'],
  ['a missing claim id', (b) => ({ ...b, claimId: undefined }), 400, 'body/claimId'],
  ['no lines', (b) => ({ ...b, lines: [] }), 400, 'body/lines'],
  [
    'a negative line charge',
    (b) => ({ ...b, lines: [{ ...b.lines[0]!, chargeCents: -1500 }] }),
    400,
    'body/lines/0/chargeCents',
  ],
  [
    'a fractional charge (cents are whole)',
    (b) => ({ ...b, lines: [{ ...b.lines[0]!, chargeCents: 12.5 }] }),
    400,
    'body/lines/0/chargeCents',
  ],
  ['a malformed date of service', (b) => ({ ...b, dateOfService: '2026-02-30' }), 400, 'body/dateOfService'],
  [
    'a date in the wrong format',
    (b) => ({ ...b, patient: { ...b.patient, birthDate: '04/02/1980' } }),
    400,
    'body/patient/birthDate',
  ],
  ['an unknown payer', (b) => ({ ...b, payerId: 'NO-SUCH-PAYER' }), 422, 'body/payerId'],
  ['a future date of service', (b) => ({ ...b, dateOfService: '2999-01-01' }), 422, 'body/dateOfService'],
  [
    'a diagnosis pointer past the codes',
    (b) => ({ ...b, lines: [{ ...b.lines[0]!, diagnosisPointers: [3] }] }),
    422,
    'body/lines/0/diagnosisPointers/0',
  ],
  ['an invalid NPI', (b) => ({ ...b, billingProviderNpi: '12345' }), 400, 'body/billingProviderNpi'],
];

describe('POST /claims refuses bad input and writes nothing', () => {
  it.each(cases)('%s', async (_name, mutate, status, field) => {
    const before = await stack.db.selectFrom('claims').select('id').execute();
    const patientsBefore = await stack.db.selectFrom('patients').select('id').execute();
    const res = await stack.app.inject({
      method: 'POST',
      url: '/claims',
      headers: { ...stack.auth('integration'), 'content-type': 'application/json' },
      payload: JSON.stringify(mutate(claimBody())),
    });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json() as { status: number; errors: { field: string; message: string }[] };
    expect(problem.status).toBe(status);
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(await stack.db.selectFrom('claims').select('id').execute()).toHaveLength(before.length);
    expect(await stack.db.selectFrom('patients').select('id').execute()).toHaveLength(patientsBefore.length);
  });
});
