/**
 * Conduct of the API as a whole: every route declares its roles, every operation refuses a missing key,
 * the integration role reaches intake and ERA upload only, errors are problem+json without internals,
 * rate limits are per token, bodies have a size limit, helmet headers are set and PHI never reaches a log.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../api/app.js';
import type { Db } from '../../db/pool.js';
import { REDACT_PATHS } from '../../logging/logger.js';
import { claimBody } from '../support/stack.js';
import { bearer, startDbApp, sunrise } from './support.js';

let app: App;
let db: Db;
let stop: () => Promise<void>;

interface Operation {
  method: string;
  path: string;
  url: string;
  description: string;
}

let operations: Operation[];

/** Every operation of the OpenAPI document, with path parameters filled in. */
async function listOperations(target: App): Promise<Operation[]> {
  const doc = (await target.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, { description?: string }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      url: path.replace('{id}', '00000000-0000-4000-8000-000000000000').replace('{kind}', 'claims'),
      description: op.description ?? '',
    })),
  );
}

beforeAll(async () => {
  ({ app, db, stop } = await startDbApp());
  operations = await listOperations(app);
});

afterAll(async () => {
  await stop?.();
});

// The console's session routes are public: they read the session cookie themselves (sign-in has none yet).
const PUBLIC = [
  'GET /openapi.json',
  'GET /healthz',
  'GET /readyz',
  'POST /session',
  'GET /session',
  'DELETE /session',
  'POST /session/sign-out-everywhere',
];
const INTEGRATION = ['POST /claims', 'POST /claims/batch', 'POST /remittances'];

describe('roles', () => {
  it('every operation states its roles, and buildApp refuses a route that declares none', async () => {
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) {
      const expected = PUBLIC.includes(`${op.method} ${op.path}`) ? /^Public\./ : /^Roles: [a-z, ]+\./;
      expect(op.description, `${op.method} ${op.path}`).toMatch(expected);
    }
    const { buildApp } = await import('../../api/app.js');
    const fresh = await buildApp({
      db,
      temporal: {} as never,
      log: pino({ level: 'silent' }),
      config: {
        temporal: {
          address: 'x',
          namespace: 'default',
          taskQueue: 'q',
          uiUrl: 'http://ui',
          cliPath: undefined,
        },
        api: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 10, bodyLimitBytes: 1024 },
      },
    });
    expect(() => fresh.get('/undeclared', async () => ({}))).toThrow(/declares no roles/);
    await fresh.close();
  });

  it('every non-public operation answers 401 without a key, and with a revoked key', async () => {
    const { createApiKey } = await import('../../db/api-keys.js');
    await createApiKey(db, {
      userId: 'revoked',
      role: 'admin',
      practiceIds: ['sunrise-fp'],
      key: 'revoked-key',
    });
    await db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', 'revoked')
      .execute();
    for (const op of operations.filter((o) => !PUBLIC.includes(`${o.method} ${o.path}`))) {
      for (const headers of [{}, bearer('revoked-key'), { authorization: 'Basic abc' }]) {
        const res = await app.inject({ method: op.method as 'GET', url: op.url, headers });
        expect(res.statusCode, `${op.method} ${op.path}`).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
  });

  it('the integration role reaches claim intake and ERA upload only', async () => {
    for (const op of operations.filter((o) => !PUBLIC.includes(`${o.method} ${o.path}`))) {
      const res = await app.inject({
        method: op.method as 'GET',
        url: op.url,
        headers: sunrise('integration'),
      });
      if (INTEGRATION.includes(`${op.method} ${op.path}`))
        expect(res.statusCode, `${op.method} ${op.path}`).not.toBe(403);
      else expect(res.statusCode, `${op.method} ${op.path}`).toBe(403);
    }
  });
});

describe('errors and limits', () => {
  it('an unknown route is a 404 problem', async () => {
    const res = await app.inject({ method: 'GET', url: '/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no route GET /nothing-here',
    });
  });

  it('a body over the size limit is refused with 413 as a problem', async () => {
    const huge = { ...claimBody(), padding: 'x'.repeat(1_100_000) };
    const res = await app.inject({
      method: 'POST',
      url: '/claims',
      payload: huge,
      headers: sunrise('biller'),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('sets helmet’s security headers and echoes the request id', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-me-1' },
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-request-id']).toBe('trace-me-1');
  });

  it('rate-limits per token: one key over its budget gets 429, another key is unaffected', async () => {
    const limited = await startDbApp({ rateLimitPerMinute: 3 });
    try {
      const call = (key: string) =>
        limited.app.inject({ method: 'GET', url: '/claims', headers: bearer(key) });
      for (let i = 0; i < 3; i++) expect((await call('demo-biller-key')).statusCode).toBe(200);
      const over = await call('demo-biller-key');
      expect(over.statusCode).toBe(429);
      expect(over.headers['content-type']).toContain('application/problem+json');
      expect((await call('demo-supervisor-key')).statusCode).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('logs', () => {
  it('carry the request id and never a patient’s name, birth date or member id', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    const logged = await startDbApp({ log });
    try {
      const body = claimBody({ payerId: 'NOBODY' });
      body.patient = {
        ...body.patient,
        firstName: 'Zenobia',
        lastName: 'Quill',
        birthDate: '1961-07-13',
        memberId: 'MBR-SECRET-77',
      };
      const refused = await logged.app.inject({
        method: 'POST',
        url: '/claims',
        payload: body,
        headers: { ...sunrise('biller'), 'x-request-id': 'phi-check-1' },
      });
      expect(refused.statusCode).toBe(422);
      const bad = { ...body, patient: { ...body.patient, birthDate: 'not-a-date' } };
      expect(
        (
          await logged.app.inject({
            method: 'POST',
            url: '/claims',
            payload: bad,
            headers: sunrise('biller'),
          })
        ).statusCode,
      ).toBe(400);
      const text = lines.join('');
      expect(text).toContain('phi-check-1');
      expect(text).not.toMatch(/Zenobia|Quill|1961-07-13|MBR-SECRET-77/);
    } finally {
      await logged.stop();
    }
  });
});
