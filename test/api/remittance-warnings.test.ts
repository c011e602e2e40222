/**
 * An accepted 835 with harmless noise is posted like its clean twin, and the warnings the parser
 * returned are stored on the remittance and shown by the API (docs/835-tolerance.md).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';
import { createSunriseKeys, sunrise } from './support.js';

const NOISY = readFileSync(new URL('../fixtures/x12/835-noisy.edi', import.meta.url), 'utf8');

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await createSunriseKeys(stack.db);
});

afterAll(async () => {
  await stack?.stop();
});

describe('835 warnings on the remittance', () => {
  it('a noisy file is accepted, and its warnings are returned by the upload and stored on the remittance', async () => {
    const trace = `CHK${randomUUID().slice(0, 8)}`;
    const raw = NOISY.replaceAll('CHK10001', trace).replaceAll('PCN0001', `UNK-${randomUUID().slice(0, 6)}`);
    const res = await stack.app.inject({
      method: 'POST',
      url: '/remittances',
      payload: raw,
      headers: { ...sunrise('integration'), 'content-type': 'text/plain' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const rules = (res.json() as { warnings: { rule: string }[] }).warnings.map((w) => w.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'noise.byte_order_mark',
        'bpr.payment_date_fallback',
        'noise.composite_separator',
      ]),
    );
    const stored = await stack.db
      .selectFrom('remittances')
      .select(['parse_warnings', 'payment_cents', 'payment_date'])
      .where('trace_number', '=', trace)
      .executeTakeFirstOrThrow();
    expect(Number(stored.payment_cents)).toBe(8_000);
    expect((stored.parse_warnings as { rule: string }[]).map((w) => w.rule)).toEqual(rules);
    const list = await stack.app.inject({
      method: 'GET',
      url: '/remittances?limit=100',
      headers: sunrise('biller'),
    });
    expect(list.statusCode, list.body).toBe(200);
    const item = (
      list.json() as { items: { traceNumber: string; warnings: { rule: string }[] }[] }
    ).items.find((i) => i.traceNumber === trace);
    // The payee NPI is Sunrise's, so its biller sees the remittance with its warnings.
    expect(item?.warnings.map((w) => w.rule)).toEqual(rules);
  });
});
