/**
 * Payer rules: reading versions and the rules in force, and adding a version, which is audited and sent
 * to the running claims of the payer so their timers follow it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../domain/payer-rules.js';
import * as m from '../../workflows/messages.js';
import { claimBody, eventually, type Stack, startStack } from '../support/stack.js';
import { type ClaimJson, createSunriseKeys, sunrise, waitForStatus } from './support.js';

let stack: Stack;
const today = new Date().toISOString().slice(0, 10);
const rules = (overrides: Partial<typeof DEFAULT_RULES.COMMERCIAL> = {}) => ({
  ...DEFAULT_RULES.COMMERCIAL,
  ...overrides,
});

beforeAll(async () => {
  stack = await startStack();
  await createSunriseKeys(stack.db);
});

afterAll(async () => {
  await stack?.stop();
});

const put = (payer: string, payload: object, headers: Record<string, string>) =>
  stack.app.inject({ method: 'PUT', url: `/payers/${payer}/rules`, payload, headers });
const get = (payer: string, headers: Record<string, string>) =>
  stack.app.inject({ method: 'GET', url: `/payers/${payer}/rules`, headers });

type View = {
  inForce: { practiceId: string; source: string; rules: { reviewSlaDays: number } }[];
  versions: { id: string; practiceId: string | null; effectiveFrom: string }[];
  changes: {
    actor: string;
    requestId: string;
    practiceId: string | null;
    previous: unknown;
    signalledClaims: number;
  }[];
};

describe('payer rules', () => {
  let running: ClaimJson;

  beforeAll(async () => {
    const body = claimBody({ payerId: 'ACME-HEALTH' });
    body.patient.memberId = 'LOST-3001';
    running = (
      await stack.app.inject({ method: 'POST', url: '/claims', payload: body, headers: sunrise('biller') })
    ).json() as ClaimJson;
    await waitForStatus(stack, running.id, ['AWAITING_ADJUDICATION']);
  });

  it('shows the payer default in force for the key’s practices', async () => {
    const res = await get('ACME-HEALTH', sunrise('biller'));
    expect(res.statusCode).toBe(200);
    const view = res.json() as View;
    expect(view.inForce).toEqual([
      { practiceId: 'sunrise-fp', source: 'payer', rules: DEFAULT_RULES.COMMERCIAL },
    ]);
    expect(view.versions.map((v) => v.practiceId)).toEqual([null]);
  });

  it('a supervisor adds a practice override: a new version, an audit entry with actor and request id, running claims told', async () => {
    const res = await put(
      'ACME-HEALTH',
      { practiceId: 'sunrise-fp', effectiveFrom: today, rules: rules({ reviewSlaDays: 5 }) },
      {
        ...sunrise('supervisor'),
        'x-request-id': 'rules-change-1',
      },
    );
    expect(res.statusCode, res.body).toBe(201);
    const json = res.json() as {
      version: { practiceId: string; rules: { reviewSlaDays: number } };
      signalledClaims: number;
    };
    expect(json.version).toMatchObject({ practiceId: 'sunrise-fp', rules: { reviewSlaDays: 5 } });
    expect(json.signalledClaims).toBeGreaterThanOrEqual(1);
    const view = (await get('ACME-HEALTH', sunrise('biller'))).json() as View;
    expect(view.inForce[0]).toMatchObject({ source: 'practice', rules: { reviewSlaDays: 5 } });
    expect(view.changes[0]).toMatchObject({
      actor: 'sunrise-supervisor',
      requestId: 'rules-change-1',
      practiceId: 'sunrise-fp',
      signalledClaims: json.signalledClaims,
    });
    expect(view.changes[0]!.previous).toMatchObject({
      practiceId: null,
      effectiveFrom: '2020-01-01',
      rules: { reviewSlaDays: 10 },
    });
    const live = await eventually(async () => {
      const state = await stack.client.workflow.getHandle(running.workflowId).query(m.stateQuery);
      return state.rules?.reviewSlaDays === 5 ? state : undefined;
    }, 'the running claim to reload its rules');
    expect(live.rules?.reviewSlaDays).toBe(5);
  });

  it('never replaces a version: the same scope and date again is 409', async () => {
    const res = await put(
      'ACME-HEALTH',
      { practiceId: 'sunrise-fp', effectiveFrom: today, rules: rules() },
      sunrise('supervisor'),
    );
    expect(res.statusCode).toBe(409);
  });

  it('refuses rules that fail validation with 422 naming the rule field', async () => {
    const res = await put(
      'ACME-HEALTH',
      { practiceId: 'sunrise-fp', effectiveFrom: '2030-01-01', rules: rules({ collectionsAfterDays: 90 }) },
      sunrise('supervisor'),
    );
    expect(res.statusCode).toBe(422);
    expect((res.json() as { errors: { field: string }[] }).errors).toEqual([
      { field: 'body/rules/collectionsAfterDays', message: 'must be at least 120 (IRS 501(r))' },
    ]);
    const cadence = await put(
      'ACME-HEALTH',
      {
        practiceId: 'sunrise-fp',
        effectiveFrom: '2030-01-01',
        rules: rules({ dunningCadenceDays: [5, 30] }),
      },
      sunrise('supervisor'),
    );
    expect((cadence.json() as { errors: { field: string }[] }).errors[0]!.field).toBe(
      'body/rules/dunningCadenceDays',
    );
  });

  it('refuses unknown fields and malformed dates with 400 and the field path', async () => {
    const res = await put(
      'ACME-HEALTH',
      { practiceId: 'sunrise-fp', effectiveFrom: '2030-02-30', rules: { ...rules(), extra: 1 } },
      sunrise('supervisor'),
    );
    expect(res.statusCode).toBe(400);
    expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body/effectiveFrom', 'body/rules/extra']),
    );
  });

  it('lets only an admin change the payer default; a future version tells no running claim yet', async () => {
    const body = { practiceId: null, effectiveFrom: '2031-01-01', rules: rules({ followUpDays: 21 }) };
    expect((await put('ACME-HEALTH', body, sunrise('supervisor'))).statusCode).toBe(403);
    const res = await put('ACME-HEALTH', body, sunrise('admin'));
    expect(res.statusCode).toBe(201);
    expect((res.json() as { signalledClaims: number }).signalledClaims).toBe(0);
  });

  it('isolates practices: no override for a practice the key does not hold, and none of its versions shown', async () => {
    expect(
      (
        await put(
          'ACME-HEALTH',
          { practiceId: 'lakeside-ortho', effectiveFrom: today, rules: rules() },
          sunrise('supervisor'),
        )
      ).statusCode,
    ).toBe(403);
    const lakeside = await put(
      'ACME-HEALTH',
      { practiceId: 'lakeside-ortho', effectiveFrom: today, rules: rules({ reviewSlaDays: 3 }) },
      stack.auth('supervisor'),
    );
    expect(lakeside.statusCode).toBe(201);
    const view = (await get('ACME-HEALTH', sunrise('biller'))).json() as View;
    expect(view.versions.map((v) => v.practiceId)).not.toContain('lakeside-ortho');
    expect(view.changes.map((c) => c.practiceId)).not.toContain('lakeside-ortho');
  });

  it('answers 401 without a key, 403 for a biller changing rules and for the integration role, 404 for an unknown payer', async () => {
    expect((await get('ACME-HEALTH', {})).statusCode).toBe(401);
    expect((await get('ACME-HEALTH', sunrise('integration'))).statusCode).toBe(403);
    expect(
      (
        await put(
          'ACME-HEALTH',
          { practiceId: 'sunrise-fp', effectiveFrom: today, rules: rules() },
          sunrise('biller'),
        )
      ).statusCode,
    ).toBe(403);
    expect((await get('NOBODY', sunrise('biller'))).statusCode).toBe(404);
    expect(
      (
        await put(
          'NOBODY',
          { practiceId: 'sunrise-fp', effectiveFrom: today, rules: rules() },
          sunrise('supervisor'),
        )
      ).statusCode,
    ).toBe(404);
  });
});
