/**
 * The biller decisions over real claims denied by payer-sim: each endpoint's happy path through the
 * Temporal update, 409 with the workflow's reason when the state forbids it, and for every endpoint
 * 401 without a key, 403 for the integration role, 404 for another practice's claim and 400 for a bad body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';
import {
  adjudicatedClaims,
  type ClaimJson,
  createSunriseKeys,
  seedClaim,
  sunrise,
  waitForStatus,
} from './support.js';

let stack: Stack;
let medNecessity: ClaimJson;
let toWriteOff: ClaimJson;
let coding: ClaimJson;
let patientOwes: ClaimJson;
let toPatient: ClaimJson;
let lakeside: string;

beforeAll(async () => {
  stack = await startStack();
  await createSunriseKeys(stack.db);
  [medNecessity, toWriteOff, coding, patientOwes, toPatient] = (await adjudicatedClaims(stack, [
    'DENY50-1001',
    'DENY50-1002',
    'CODE4-1003',
    'COINS-1004',
    'DENY50-1005',
  ])) as [ClaimJson, ClaimJson, ClaimJson, ClaimJson, ClaimJson];
  lakeside = await seedClaim(stack.db, { practiceId: 'lakeside-ortho', status: 'NEEDS_REVIEW' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const decide = (
  id: string,
  path: string,
  payload: object,
  headers: Record<string, string> = sunrise('biller'),
) => stack.app.inject({ method: 'POST', url: `/claims/${id}/${path}`, payload, headers });

type Decided = {
  claim: ClaimJson;
  state: {
    status: string;
    assignedTo?: string;
    notes: { text: string }[];
    patientBalance?: { holds: string[] };
  };
};

/** A minimal valid body per decision endpoint. */
const VALID_BODIES: Record<string, object> = {
  'resubmit-corrected': { reason: 'modifier fixed', changes: { 'lines.1.modifiers': ['25'] } },
  appeals: { grounds: 'records attached', attachments: ['notes.pdf'] },
  'appeal-decision': { outcome: 'overturned' },
  'write-off': { reasonCode: 'SMALL_BALANCE' },
  'transfer-to-patient': { reason: 'patient responsibility' },
  assign: { assignee: 'bob' },
  notes: { text: 'called the payer' },
  holds: { reason: 'DISPUTE' },
  'holds/release': { reason: 'DISPUTE' },
  'payment-plan': { installmentCents: 2_000, intervalDays: 30, firstDueDate: '2026-12-01' },
  'patient-payments': { reference: 'R-1', amountCents: 100, method: 'card' },
};

describe('every decision endpoint', () => {
  for (const [path, body] of Object.entries(VALID_BODIES)) {
    it(`${path}: 401 without a key, 403 for integration, 404 for another practice's claim, 400 for a bad body`, async () => {
      expect((await decide(medNecessity.id, path, body, {})).statusCode).toBe(401);
      expect((await decide(medNecessity.id, path, body, sunrise('integration'))).statusCode).toBe(403);
      const foreign = await decide(lakeside, path, body, sunrise('biller'));
      expect(foreign.statusCode).toBe(404);
      const bad = await decide(medNecessity.id, path, { ...body, unexpected: 1 }, sunrise('biller'));
      expect(bad.statusCode).toBe(400);
      expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(
        'body/unexpected',
      );
    });
  }
});

describe('decisions on a denied claim', () => {
  it('the denial lands in NEEDS_REVIEW with its category', () => {
    expect(medNecessity).toMatchObject({ status: 'NEEDS_REVIEW', denialCategory: 'MEDICAL_NECESSITY' });
    expect(coding).toMatchObject({ status: 'NEEDS_REVIEW', denialCategory: 'CODING' });
  });

  it('assign records the assignee, the actor and the request id in the timeline', async () => {
    const res = await decide(
      medNecessity.id,
      'assign',
      { assignee: 'bob' },
      { ...sunrise('supervisor'), 'x-request-id': 'req-assign-1' },
    );
    expect(res.statusCode).toBe(200);
    const json = res.json() as Decided;
    expect(json.state.assignedTo).toBe('bob');
    expect(json.claim.assignedTo).toBe('bob');
    expect(res.headers['x-request-id']).toBe('req-assign-1');
    const event = await stack.db
      .selectFrom('claim_events')
      .select(['actor', 'request_id', 'kind'])
      .where('claim_id', '=', medNecessity.id)
      .where('kind', '=', 'ASSIGNED')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ actor: 'sunrise-supervisor', request_id: 'req-assign-1', kind: 'ASSIGNED' });
  });

  it('notes are added to the live state', async () => {
    const res = await decide(medNecessity.id, 'notes', { text: 'asked for the op report' });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Decided).state.notes.map((n) => n.text)).toContain('asked for the op report');
  });

  it('a CO denial may not go to the patient without a waiver: 409 with the workflow’s reason', async () => {
    const res = await decide(medNecessity.id, 'transfer-to-patient', { reason: 'try' });
    expect(res.statusCode).toBe(409);
    expect((res.json() as { detail: string }).detail).toContain('waiver');
  });

  it('recording an appeal decision with no appeal pending is 409', async () => {
    const res = await decide(medNecessity.id, 'appeal-decision', { outcome: 'upheld' });
    expect(res.statusCode).toBe(409);
    expect((res.json() as { detail: string }).detail).toContain('no appeal is pending');
  });

  it('holds apply to patient balances only: 409 on a claim in review', async () => {
    expect((await decide(medNecessity.id, 'holds', { reason: 'DISPUTE' })).statusCode).toBe(409);
    expect((await decide(medNecessity.id, 'payment-plan', VALID_BODIES['payment-plan']!)).statusCode).toBe(
      409,
    );
  });

  it('an appeal is filed (APPEALING) and the payer’s decision recorded (overturned -> AWAITING_PAYMENT)', async () => {
    const filed = await decide(medNecessity.id, 'appeals', {
      grounds: 'operative report shows necessity',
      attachments: ['op.pdf'],
    });
    expect(filed.statusCode, filed.body).toBe(200);
    expect((filed.json() as Decided).state.status).toBe('APPEALING');
    const decided = await decide(medNecessity.id, 'appeal-decision', {
      outcome: 'overturned',
      reason: 'records support it',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect((decided.json() as Decided).state.status).toBe('AWAITING_PAYMENT');
  });

  it('write-off closes the claim, after which decisions are refused with 409', async () => {
    const res = await decide(
      toWriteOff.id,
      'write-off',
      { reasonCode: 'ADMINISTRATIVE', note: 'not worth appealing' },
      sunrise('supervisor'),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Decided).claim.status).toBe('WRITTEN_OFF');
    const again = await decide(toWriteOff.id, 'assign', { assignee: 'carol' });
    expect(again.statusCode).toBe(409);
  });

  it('a corrected claim with a change that is not correctable is 422 naming the change', async () => {
    const res = await decide(coding.id, 'resubmit-corrected', {
      reason: 'fix',
      changes: { 'lines.1.units': 0 },
    });
    expect(res.statusCode).toBe(422);
    expect((res.json() as { errors: { field: string }[] }).errors[0]!.field).toBe(
      'body/changes/lines.1.units',
    );
  });

  it('a corrected claim is resubmitted (RESUBMITTED, then back with the payer)', async () => {
    const res = await decide(coding.id, 'resubmit-corrected', VALID_BODIES['resubmit-corrected']!);
    expect(res.statusCode, res.body).toBe(200);
    expect(['RESUBMITTED', 'AWAITING_ADJUDICATION']).toContain((res.json() as Decided).state.status);
    await waitForStatus(stack, coding.id, ['AWAITING_ADJUDICATION', 'PAID', 'NEEDS_REVIEW']);
  });

  it('a CO denial with a signed waiver on file is transferred to the patient', async () => {
    const res = await decide(toPatient.id, 'transfer-to-patient', {
      reason: 'ABN signed',
      waiverOnFile: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Decided).state.status).toBe('PATIENT_BALANCE');
  });
});

describe('decisions on a patient balance', () => {
  it('the coinsurance claim waits on the patient', () => {
    expect(patientOwes.status).toBe('PATIENT_BALANCE');
  });

  it('a hold is placed and released; releasing one that is not there is 409', async () => {
    const placed = await decide(patientOwes.id, 'holds', {
      reason: 'FINANCIAL_ASSISTANCE',
      note: 'application received',
    });
    expect(placed.statusCode, placed.body).toBe(200);
    expect((placed.json() as Decided).state.patientBalance?.holds ?? []).toContain('FINANCIAL_ASSISTANCE');
    const released = await decide(patientOwes.id, 'holds/release', { reason: 'FINANCIAL_ASSISTANCE' });
    expect(released.statusCode, released.body).toBe(200);
    const again = await decide(patientOwes.id, 'holds/release', { reason: 'FINANCIAL_ASSISTANCE' });
    expect(again.statusCode).toBe(409);
  });

  it('a payment plan is set up; an impossible due date is 400 naming it', async () => {
    const bad = await decide(patientOwes.id, 'payment-plan', {
      installmentCents: 500,
      intervalDays: 30,
      firstDueDate: '2026-02-30',
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('body/firstDueDate');
    const res = await decide(patientOwes.id, 'payment-plan', {
      installmentCents: 500,
      intervalDays: 30,
      firstDueDate: '2027-01-01',
    });
    expect(res.statusCode, res.body).toBe(200);
    // Asserted through the audit trail, not the returned state: a DUNNING progress signal the patient-balance
    // child sent before it received the plan could end the plan at once (a race between the two workflows).
    const plan = await stack.db
      .selectFrom('claim_events')
      .select(['actor', 'from_status'])
      .where('claim_id', '=', patientOwes.id)
      .where('kind', '=', 'STATUS_CHANGED')
      .where('to_status', '=', 'PAYMENT_PLAN')
      .executeTakeFirstOrThrow();
    expect(plan).toEqual({ actor: 'sunrise-biller', from_status: 'PATIENT_BALANCE' });
  });

  it('a patient payment is accepted (202) and reaches the claim', async () => {
    const res = await decide(patientOwes.id, 'patient-payments', {
      reference: 'CARD-77',
      amountCents: 500,
      method: 'card',
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true, reference: 'CARD-77' });
  });
});
