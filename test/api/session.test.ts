/**
 * Console sessions through `inject` against a real Postgres: password + TOTP sign-in, the cookie's
 * flags, CSRF on state-changing requests, the same practice isolation as API keys, lockout, idle expiry
 * and sign-out everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../api/app.js';
import { totpCode } from '../../api/sessions/totp.js';
import type { Db } from '../../db/pool.js';
import { DEMO_TOTP_SECRET, seedDemoUsers } from '../../db/seed-users.js';
import { startDbApp } from './support.js';

let app: App;
let db: Db;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, db, stop } = await startDbApp());
  await seedDemoUsers(db);
});
afterAll(() => stop?.());

async function signIn(email: string, password: string, totp?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/session',
    payload: { email, password, ...(totp ? { totp } : {}) },
  });
  const setCookie = String(res.headers['set-cookie'] ?? '');
  const cookie = setCookie.split(';')[0] ?? '';
  return { res, cookie, setCookie, csrf: res.statusCode === 200 ? (res.json().csrfToken as string) : '' };
}

describe('console sessions', () => {
  it('a biller signs in with a password and gets an HttpOnly, SameSite=Strict cookie and a CSRF token', async () => {
    const { res, setCookie } = await signIn('biller@sunrise.example', 'demo-biller-password');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({
      id: 'biller.sunrise',
      role: 'biller',
      practiceIds: ['sunrise-fp'],
    });
    expect(setCookie).toMatch(/dd_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toMatch(/Secure/i);
  });

  it('a supervisor needs the TOTP code, and a wrong code is refused', async () => {
    const missing = await signIn('supervisor@denialdesk.example', 'demo-supervisor-password');
    expect(missing.res.statusCode).toBe(401);
    expect(missing.res.json().totpRequired).toBe(true);
    const wrong = await signIn('supervisor@denialdesk.example', 'demo-supervisor-password', '000000');
    expect(wrong.res.statusCode).toBe(401);
    const ok = await signIn(
      'supervisor@denialdesk.example',
      'demo-supervisor-password',
      totpCode(DEMO_TOTP_SECRET),
    );
    expect(ok.res.statusCode).toBe(200);
    expect(ok.res.json().user.role).toBe('supervisor');
  });

  it('a session reads like an API key of the same role and practices, and cannot reach another practice', async () => {
    const { cookie } = await signIn('biller@sunrise.example', 'demo-biller-password');
    const own = await app.inject({ url: '/worklist', headers: { cookie } });
    expect(own.statusCode).toBe(200);
    const other = await app.inject({ url: '/worklist?practiceId=lakeside-ortho', headers: { cookie } });
    expect(other.statusCode).toBe(403);
    const stuck = await app.inject({ url: '/claims/stuck', headers: { cookie } });
    expect(stuck.statusCode).toBe(403);
  });

  it('a state-changing request without the CSRF token is refused with 403', async () => {
    const { cookie, csrf } = await signIn('biller@sunrise.example', 'demo-biller-password');
    const url = '/claims/00000000-0000-4000-8000-000000000000/notes';
    const without = await app.inject({ method: 'POST', url, headers: { cookie }, payload: { text: 'x' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().detail).toMatch(/x-csrf-token/);
    const wrong = await app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'x-csrf-token': 'nope' },
      payload: { text: 'x' },
    });
    expect(wrong.statusCode).toBe(403);
    const withToken = await app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { text: 'x' },
    });
    // Past authentication: the claim simply does not exist.
    expect(withToken.statusCode).toBe(404);
  });

  it('GET /session answers the user and CSRF token; an idle session expires', async () => {
    const { cookie, csrf } = await signIn('biller@sunrise.example', 'demo-biller-password');
    const me = await app.inject({ url: '/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(csrf);
    await db
      .withTables<{ sessions: { last_seen_at: Date; csrf_token: string } }>()
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('csrf_token', '=', csrf)
      .execute();
    expect((await app.inject({ url: '/session', headers: { cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/worklist', headers: { cookie } })).statusCode).toBe(401);
  });

  it('sign out everywhere ends every session of the user', async () => {
    const a = await signIn('biller@sunrise.example', 'demo-biller-password');
    const b = await signIn('biller@sunrise.example', 'demo-biller-password');
    const res = await app.inject({
      method: 'POST',
      url: '/session/sign-out-everywhere',
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrf },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().revoked).toBeGreaterThanOrEqual(2);
    expect((await app.inject({ url: '/worklist', headers: { cookie: b.cookie } })).statusCode).toBe(401);
  });

  it('five failed sign-ins lock the account, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await signIn('biller@lakeside.example', 'wrong-password')).res.statusCode).toBe(401);
    }
    const locked = await signIn('biller@lakeside.example', 'demo-biller-password');
    expect(locked.res.statusCode).toBe(429);
    expect(Number(locked.res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('an unknown email and a wrong password get the same answer', async () => {
    const unknown = await signIn('nobody@example.com', 'whatever');
    const wrong = await signIn('admin@denialdesk.example', 'wrong');
    expect(unknown.res.statusCode).toBe(401);
    expect(unknown.res.json().detail).toBe(wrong.res.json().detail);
  });
});

describe('console users', () => {
  it('an admin adds a user (password and TOTP secret shown once), who signs in with them; disabling ends their sessions', async () => {
    const admin = await signIn('admin@denialdesk.example', 'demo-admin-password', totpCode(DEMO_TOTP_SECRET));
    const created = await app.inject({
      method: 'POST',
      url: '/users',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: {
        email: 'new.biller@sunrise.example',
        displayName: 'New Biller',
        role: 'biller',
        practiceIds: ['sunrise-fp'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { user, password, totpSecret } = created.json() as {
      user: { id: string };
      password: string;
      totpSecret: string;
    };
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    const signedIn = await signIn('new.biller@sunrise.example', password, totpCode(totpSecret));
    expect(signedIn.res.statusCode).toBe(200);

    const list = await app.inject({ url: '/users', headers: { cookie: admin.cookie } });
    expect((list.json().items as { email: string }[]).map((u) => u.email)).toContain(
      'new.biller@sunrise.example',
    );

    const disabled = await app.inject({
      method: 'DELETE',
      url: `/users/${user.id}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().sessionsEnded).toBe(1);
    expect((await app.inject({ url: '/worklist', headers: { cookie: signedIn.cookie } })).statusCode).toBe(
      401,
    );
    expect((await signIn('new.biller@sunrise.example', password, totpCode(totpSecret))).res.statusCode).toBe(
      401,
    );
  });

  it('a biller may not manage users, and an admin may not add one to a practice they do not hold', async () => {
    const biller = await signIn('biller@sunrise.example', 'demo-biller-password');
    expect((await app.inject({ url: '/users', headers: { cookie: biller.cookie } })).statusCode).toBe(403);
    await db
      .withTables<{ user_practices: { user_id: string; practice_id: string } }>()
      .deleteFrom('user_practices')
      .where('user_id', '=', 'admin')
      .where('practice_id', '=', 'lakeside-ortho')
      .execute();
    const admin = await signIn('admin@denialdesk.example', 'demo-admin-password', totpCode(DEMO_TOTP_SECRET));
    const res = await app.inject({
      method: 'POST',
      url: '/users',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: {
        email: 'x@lakeside.example',
        displayName: 'X',
        role: 'biller',
        practiceIds: ['lakeside-ortho'],
      },
    });
    expect(res.statusCode).toBe(403);
    const list = await app.inject({ url: '/users', headers: { cookie: admin.cookie } });
    const emails = (list.json().items as { email: string }[]).map((u) => u.email);
    expect(emails).toContain('biller@sunrise.example');
    expect(emails).not.toContain('biller@lakeside.example');
    expect(emails).not.toContain('supervisor@denialdesk.example');
  });
});
