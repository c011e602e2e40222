/**
 * How a practice provisions its users: its admin issues, lists and revokes API keys, within its own
 * practices only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../api/app.js';
import { bearer, startDbApp, sunrise } from './support.js';

let app: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startDbApp());
});

afterAll(async () => {
  await stop?.();
});

const issue = (payload: object, headers: Record<string, string> = sunrise('admin')) =>
  app.inject({ method: 'POST', url: '/api-keys', payload, headers });

describe('API keys', () => {
  it('an admin issues a key for its practice; the key works at once with its role, and is shown only once', async () => {
    const res = await issue({ userId: 'dana@sunrise', role: 'biller', practiceIds: ['sunrise-fp'] });
    expect(res.statusCode).toBe(201);
    const issued = res.json() as { id: string; key: string; role: string };
    expect(issued.key).toMatch(/^dd_/);
    expect(
      (await app.inject({ method: 'GET', url: '/claims', headers: bearer(issued.key) })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/kpis?practiceId=sunrise-fp', headers: bearer(issued.key) }))
        .statusCode,
    ).toBe(403);
    const listed = (
      await app.inject({ method: 'GET', url: '/api-keys', headers: sunrise('admin') })
    ).json() as { items: Record<string, unknown>[] };
    const mine = listed.items.find((k) => k.id === issued.id)!;
    expect(mine).toMatchObject({
      userId: 'dana@sunrise',
      role: 'biller',
      practiceIds: ['sunrise-fp'],
      revokedAt: null,
    });
    expect(mine.key).toBeUndefined();
  });

  it('never reaches beyond the admin’s practices: issuing for another is 403, its keys are neither listed nor revocable', async () => {
    expect(
      (await issue({ userId: 'eve', role: 'admin', practiceIds: ['sunrise-fp', 'lakeside-ortho'] }))
        .statusCode,
    ).toBe(403);
    const listed = (
      await app.inject({ method: 'GET', url: '/api-keys', headers: sunrise('admin') })
    ).json() as { items: { userId: string; id: string }[] };
    expect(listed.items.map((k) => k.userId)).not.toContain('demo-admin');
    const all = (
      await app.inject({ method: 'GET', url: '/api-keys', headers: bearer('demo-admin-key') })
    ).json() as { items: { userId: string; id: string }[] };
    const demo = all.items.find((k) => k.userId === 'demo-biller')!;
    expect(
      (await app.inject({ method: 'DELETE', url: `/api-keys/${demo.id}`, headers: sunrise('admin') }))
        .statusCode,
    ).toBe(404);
  });

  it('a revoked key answers 401 from its next request; revoking twice is harmless', async () => {
    const issued = (
      await issue({ userId: 'temp', role: 'integration', practiceIds: ['sunrise-fp'] })
    ).json() as { id: string; key: string };
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api-keys/${issued.id}`,
      headers: sunrise('admin'),
    });
    expect(revoked.statusCode).toBe(200);
    expect((revoked.json() as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect(
      (await app.inject({ method: 'DELETE', url: `/api-keys/${issued.id}`, headers: sunrise('admin') }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/remittances',
          payload: 'ISA',
          headers: { ...bearer(issued.key), 'content-type': 'text/plain' },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('is for admins: 401 without a key, 403 for a supervisor, 400 for an unknown role with its path', async () => {
    expect((await issue({ userId: 'x', role: 'biller', practiceIds: ['sunrise-fp'] }, {})).statusCode).toBe(
      401,
    );
    expect(
      (await issue({ userId: 'x', role: 'biller', practiceIds: ['sunrise-fp'] }, sunrise('supervisor')))
        .statusCode,
    ).toBe(403);
    const bad = await issue({ userId: 'x', role: 'owner', practiceIds: ['sunrise-fp'] });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('body/role');
  });
});
