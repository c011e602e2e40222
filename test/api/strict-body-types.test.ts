/**
 * A body's numbers, integers and booleans must arrive as JSON numbers and booleans: the validator's
 * type coercion, right for query strings, would otherwise read `"150.00"` as 150 cents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldError } from '../../api/plugins/problems.js';
import { typeMismatches } from '../../api/plugins/strict-body.js';
import { DEMO_KEYS } from '../../db/seed.js';
import { claimBody } from '../support/stack.js';
import { bearer, startDbApp } from './support.js';

describe('body types are not coerced', () => {
  let ctx: Awaited<ReturnType<typeof startDbApp>>;
  beforeAll(async () => {
    ctx = await startDbApp();
  });
  afterAll(async () => {
    await ctx.stop();
  });

  const post = (url: string, payload: unknown, key: string = DEMO_KEYS.integration) =>
    ctx.app.inject({ method: 'POST', url, headers: bearer(key), payload: payload as object });

  it('a charge sent as the string "150.00" is refused naming the field, and nothing is stored', async () => {
    const body = claimBody();
    const res = await post('/claims', { ...body, lines: [{ ...body.lines[0], chargeCents: '150.00' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'body/lines/0/chargeCents', message: 'must be integer, not string' },
    ]);
    expect(
      await ctx.db.selectFrom('claims').select('id').where('claim_id', '=', body.claimId).execute(),
    ).toEqual([]);
  });

  it('units as a string and a boolean as a string are refused too', async () => {
    const body = claimBody();
    const units = await post('/claims', { ...body, lines: [{ ...body.lines[0], units: '2' }] });
    expect(units.statusCode).toBe(400);
    expect(units.json().errors[0].field).toBe('body/lines/0/units');
    const waiver = await post(
      '/claims/00000000-0000-4000-8000-000000000000/transfer-to-patient',
      { reason: 'waiver', waiverOnFile: 'false' },
      DEMO_KEYS.biller,
    );
    expect(waiver.statusCode).toBe(400);
    expect(waiver.json().errors[0].field).toBe('body/waiverOnFile');
  });

  it('the same claim with JSON numbers is accepted, and query strings are still read as numbers', async () => {
    expect((await post('/claims', claimBody())).statusCode).toBe(201);
    const list = await ctx.app.inject({
      method: 'GET',
      url: '/claims?limit=5',
      headers: bearer(DEMO_KEYS.biller),
    });
    expect(list.statusCode).toBe(200);
  });

  it('looks into unions only where one branch takes the value', () => {
    const schema = {
      type: 'object',
      properties: {
        assignee: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        amount: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    };
    const out: FieldError[] = [];
    typeMismatches({ assignee: null, amount: 5, tags: ['a', 3] }, schema, 'body', out);
    typeMismatches({ assignee: 7, amount: 1.5 }, schema, 'body', out);
    expect(out.map((e) => e.field)).toEqual(['body/tags/1', 'body/assignee', 'body/amount']);
  });
});
