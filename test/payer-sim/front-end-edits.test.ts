import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidNpi } from '../../payer-sim/edits.js';
import type { ClaimBody } from '../../payer-sim/schemas.js';
import { claimPaymentsOf, daysAgo, makeClaim, type RunningSim, startSim } from './support.js';

type Edit = [
  name: string,
  change: (c: ClaimBody) => ClaimBody,
  category: string,
  statusCode: string,
  field: string,
];

const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

const EDITS: Edit[] = [
  [
    'a missing member id is A6 164 on patient.memberId',
    (c) => ({ ...c, patient: { ...c.patient, memberId: ' ' } }),
    'A6',
    '164',
    'patient.memberId',
  ],
  [
    'a member id in an invalid format is A7 164 on patient.memberId',
    (c) => ({ ...c, patient: { ...c.patient, memberId: 'AB 12/34' } }),
    'A7',
    '164',
    'patient.memberId',
  ],
  [
    'an NPI failing the 80840 Luhn check is A7 562 on billingProviderNpi',
    (c) => ({ ...c, billingProviderNpi: '1234567890' }),
    'A7',
    '562',
    'billingProviderNpi',
  ],
  [
    'a date of service in the future is A7 510 on dateOfService',
    (c) => ({ ...c, dateOfService: tomorrow }),
    'A7',
    '510',
    'dateOfService',
  ],
  [
    'a line service date in the future is A7 510 on that line',
    (c) => ({ ...c, lines: c.lines.map((l, i) => (i === 1 ? { ...l, serviceDate: tomorrow } : l)) }),
    'A7',
    '510',
    'lines[1].serviceDate',
  ],
  [
    'a claim without service lines is A6 21 on lines',
    (c) => ({ ...c, lines: [], totalChargeCents: 0 }),
    'A6',
    '21',
    'lines',
  ],
  [
    'a total charge that is not the sum of the lines is A7 400 on totalChargeCents',
    (c) => ({ ...c, totalChargeCents: c.totalChargeCents + 1 }),
    'A7',
    '400',
    'totalChargeCents',
  ],
  [
    'a diagnosis code that is not ICD-10 is A7 255 on that code',
    (c) => ({ ...c, diagnosisCodes: ['J069', '123.4'] }),
    'A7',
    '255',
    'diagnosisCodes[1]',
  ],
  [
    'a diagnosis pointer past the diagnosis codes is A7 477 on that line',
    (c) => ({ ...c, lines: c.lines.map((l, i) => (i === 0 ? { ...l, diagnosisPointers: [3] } : l)) }),
    'A7',
    '477',
    'lines[0].diagnosisPointers',
  ],
  [
    'a procedure code that is not CPT/HCPCS is A7 454 on that line',
    (c) => ({ ...c, lines: c.lines.map((l, i) => (i === 0 ? { ...l, procedureCode: '9921' } : l)) }),
    'A7',
    '454',
    'lines[0].procedureCode',
  ],
  [
    'a replacement claim without the original payer claim number is A6 464',
    (c) => ({ ...c, frequencyCode: '7' }),
    'A6',
    '464',
    'originalPayerClaimNumber',
  ],
  [
    'a replacement claim naming a payer claim number the payer never issued is A8 464',
    (c) => ({ ...c, frequencyCode: '7', originalPayerClaimNumber: 'NOPE0001' }),
    'A8',
    '464',
    'originalPayerClaimNumber',
  ],
  [
    'a subscriber the payer does not know (member id NOTFOUND-) is A8 33',
    (c) => ({ ...c, patient: { ...c.patient, memberId: 'NOTFOUND-77' } }),
    'A8',
    '33',
    'patient.memberId',
  ],
];

describe('payer-sim front-end edits (999/277CA)', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  it.each(EDITS)('%s', async (_name, change, category, statusCode, field) => {
    const claim = change(makeClaim());
    const answer = await sim.submit<Record<string, unknown>>(claim, `edit-${claim.patientControlNumber}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'rejected', category, statusCode, field });
    expect(answer.body.clearinghouseClaimId).toEqual(expect.any(String));
    expect(answer.body.message).toEqual(expect.any(String));
  });

  it('a rejected claim never reaches adjudication: no 835 and status A4 (the payer has no record)', async () => {
    const claim = makeClaim({ billingProviderNpi: '1111111111' });
    await sim.submit(claim, `never-${claim.patientControlNumber}`);
    await sim.adjudicate();
    const files = await sim.remittances();
    expect(claimPaymentsOf(files, claim.patientControlNumber)).toEqual([]);
    const status = await sim.v1<Record<string, unknown>>(
      'GET',
      `/claims/${claim.patientControlNumber}/status?payerId=${claim.payerId}`,
    );
    expect(status.body).toMatchObject({ category: 'A4' });
    const view = await sim.control<Record<string, unknown>>('GET', `/claims/${claim.patientControlNumber}`);
    expect(view.body).toMatchObject({ state: 'rejected', submissions: 1, rejectedSubmissions: 1 });
  });

  it('a clean claim is accepted with a clearinghouse claim id and the acceptance time', async () => {
    const answer = await sim.submit(makeClaim(), 'clean-claim');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'accepted',
      clearinghouseClaimId: expect.any(String),
      acceptedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('a date of service of today is not in the future', async () => {
    const today = daysAgo(0);
    const claim = makeClaim({
      dateOfService: today,
      lines: [
        {
          lineNumber: 1,
          procedureCode: '99213',
          modifiers: [],
          units: 1,
          chargeCents: 100,
          serviceDate: today,
        },
      ],
    });
    const answer = await sim.submit(claim, `today-${claim.patientControlNumber}`);
    expect(answer.body).toMatchObject({ status: 'accepted' });
  });

  it('malformed JSON is 422 and files nothing', async () => {
    const answer = await sim.v1<Record<string, unknown>>('POST', '/claims', {
      body: '{"patientControlNumber": ',
      headers: { 'idempotency-key': 'malformed' },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toMatch(/JSON/);
  });

  it('a schema violation is 422 naming the offending field', async () => {
    const claim = makeClaim();
    const bad = { ...claim, lines: [{ ...claim.lines[0], chargeCents: 12.5 }] };
    const answer = await sim.submit(bad, 'schema-violation');
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ field: 'lines[0].chargeCents' });
    const missing = await sim.submit(
      { ...claim, patient: { ...claim.patient, birthDate: undefined } },
      'schema-2',
    );
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ field: 'patient.birthDate' });
  });

  it('a submission without an Idempotency-Key is 422 naming the header', async () => {
    const answer = await sim.v1('POST', '/claims', { body: makeClaim() });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ field: 'Idempotency-Key' });
  });

  it('a call without the bearer token, or with another one, is 401', async () => {
    const none = await fetch(`${sim.baseUrl}/v1/remittances`);
    expect(none.status).toBe(401);
    const wrong = await sim.v1('GET', '/remittances', { headers: { authorization: 'Bearer not-the-key' } });
    expect(wrong.status).toBe(401);
  });
});

describe('NPI check digit (Luhn over 80840 + NPI)', () => {
  it('accepts the CMS example NPI 1234567893', () => {
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('12345678 3')).toBe(false);
  });

  it('exactly one check digit completes any nine digits, and changing any single digit invalidates it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (digits, position, delta) => {
          const stem = digits.join('');
          const valid = [...'0123456789'].filter((d) => isValidNpi(`${stem}${d}`));
          expect(valid).toHaveLength(1);
          const npi = `${stem}${valid[0]}`;
          const changed = [...npi];
          changed[position] = String((Number(changed[position]) + delta) % 10);
          expect(isValidNpi(changed.join(''))).toBe(false);
        },
      ),
    );
  });
});
