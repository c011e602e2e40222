/**
 * The codec server as the Temporal UI uses it: the raw (encrypted) history of a real claim decodes for a
 * supervisor of the claim's practice; a supervisor of another practice, a biller and a caller without
 * credentials are refused; every decode request is in the access log admins read. CORS answers the
 * UI's origin, preflight included, and no other origin.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../db/api-keys.js';
import { isSearchAttribute, rawHistory } from '../support/raw-history.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
let ownSupervisor: string;
let otherSupervisor: string;
let ownAdmin: string;
const UI = 'http://localhost:8233';

beforeAll(async () => {
  stack = await startStack();
  ownSupervisor = await createApiKey(stack.db, {
    userId: 'sup-sunrise',
    role: 'supervisor',
    practiceIds: ['sunrise-fp'],
  });
  otherSupervisor = await createApiKey(stack.db, {
    userId: 'sup-lakeside',
    role: 'supervisor',
    practiceIds: ['lakeside-ortho'],
  });
  ownAdmin = await createApiKey(stack.db, {
    userId: 'admin-sunrise',
    role: 'admin',
    practiceIds: ['sunrise-fp'],
  });
});
afterAll(async () => {
  await stack?.stop();
});

const decode = (payloads: unknown, key?: string) =>
  stack.app.inject({
    method: 'POST',
    url: '/codec/decode',
    headers: {
      origin: UI,
      'x-namespace': 'default',
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    payload: { payloads },
  });

describe('codec server', () => {
  it('decodes a claim history for a supervisor of its practice only, and logs every decode', async () => {
    const { body, claim } = await stack.submitClaim('AUTH197-5511');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    const raw = await rawHistory(stack.connection, claim.workflowId);
    const json = JSON.parse(raw.json) as { events: Record<string, unknown>[] };
    // The first event's input, exactly as the UI sends it (base64 metadata and data).
    const started = json.events[0]!.workflowExecutionStartedEventAttributes as {
      input: { payloads: { metadata: Record<string, string>; data: string }[] };
    };
    const payloads = started.input.payloads;
    expect(raw.payloads.filter((p) => !isSearchAttribute(p)).length).toBeGreaterThan(3);

    const ok = await decode(payloads, ownSupervisor);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    const [input] = (ok.json() as { payloads: { metadata: Record<string, string>; data: string }[] })
      .payloads;
    const decoded = defaultPayloadConverter.fromPayload({
      metadata: Object.fromEntries(
        Object.entries(input!.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
      ),
      data: Buffer.from(input!.data, 'base64'),
    }) as { claim: { claimId: string; practiceId: string } };
    expect(decoded.claim).toMatchObject({ claimId: body.claimId, practiceId: 'sunrise-fp' });

    expect((await decode(payloads, otherSupervisor)).statusCode).toBe(403);
    expect((await decode(payloads, stack.keys.biller)).statusCode).toBe(403);
    expect((await decode(payloads)).statusCode).toBe(401);
    const otherNamespace = await stack.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { 'x-namespace': 'elsewhere', authorization: `Bearer ${ownSupervisor}` },
      payload: { payloads },
    });
    expect(otherNamespace.statusCode).toBe(403);

    const log = await stack.app.inject({
      method: 'GET',
      url: '/codec/access-log',
      headers: { authorization: `Bearer ${ownAdmin}` },
    });
    expect(log.statusCode).toBe(200);
    const items = (log.json() as { items: { userId: string; workflowId: string; allowed: boolean }[] }).items;
    expect(items.filter((i) => i.workflowId === claim.workflowId).map((i) => [i.userId, i.allowed])).toEqual([
      ['demo-biller', false],
      ['sup-lakeside', false],
      ['sup-sunrise', true],
    ]);
    // Only admins read the log.
    const asSupervisor = await stack.app.inject({
      method: 'GET',
      url: '/codec/access-log',
      headers: { authorization: `Bearer ${ownSupervisor}` },
    });
    expect(asSupervisor.statusCode).toBe(403);
  });

  it('answers the UI origin’s preflight, and no other origin', async () => {
    const preflight = await stack.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: {
        origin: UI,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': UI,
      'access-control-allow-methods': expect.stringContaining('POST'),
      'access-control-allow-headers': expect.stringContaining('x-namespace'),
      'access-control-allow-credentials': 'true',
    });
    const foreign = await stack.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('encodes for a supervisor with the active key', async () => {
    const plain = defaultPayloadConverter.toPayload({ hello: 'ui' });
    const res = await stack.app.inject({
      method: 'POST',
      url: '/codec/encode',
      headers: { authorization: `Bearer ${ownSupervisor}` },
      payload: {
        payloads: [
          {
            metadata: { encoding: Buffer.from(plain.metadata!.encoding!).toString('base64') },
            data: Buffer.from(plain.data!).toString('base64'),
          },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const [sealed] = (res.json() as { payloads: { metadata: Record<string, string> }[] }).payloads;
    expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
  });
});
