/**
 * An admin lists the practice's failed webhook deliveries and redelivers one: the redelivery workflow
 * (the one the schedule runs) sends it again on the real stack, with the same webhook-id, and the row
 * ends DELIVERED. Another practice's admin sees none of it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities } from '../../activities/notifications.js';
import { createApiKey } from '../../db/api-keys.js';
import { eventually, type Stack, startStack } from '../support/stack.js';

let stack: Stack;
let hooks: Server;
let down = true;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      if (down) return res.writeHead(503).end();
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  stack = await startStack({
    webhookUrl: `http://127.0.0.1:${(hooks.address() as { port: number }).port}/h`,
  });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => hooks.close(r));
});

describe('failed webhooks for admins', () => {
  it('an admin lists a failed delivery and redelivers it through the redelivery workflow', async () => {
    const { claim } = await stack.submitClaim('PAID-4242');
    const { notify } = createNotificationActivities({
      db: stack.db,
      payer: undefined as never,
      temporal: undefined as never,
      taskQueue: stack.taskQueue,
      log: pino({ level: 'silent' }),
      webhookTimeoutMs: 2_000,
    });
    const input = {
      dedupeKey: `${claim.id}:redeliver-test`,
      practiceId: 'sunrise-fp',
      claimUuid: claim.id,
      channel: 'practice' as const,
      kind: 'ESCALATION',
      payload: { reason: 'test' },
    };
    await expect(notify(input)).rejects.toThrow(/webhook delivery failed/);
    const lakesideAdmin = await createApiKey(stack.db, {
      userId: 'admin-lakeside',
      role: 'admin',
      practiceIds: ['lakeside-ortho'],
    });
    const list = async (headers: Record<string, string>) =>
      (
        (await stack.app.inject({ method: 'GET', url: '/notifications/failed', headers })).json() as {
          items: { id: string; attempts: number }[];
        }
      ).items;
    const [failed] = await list(stack.auth('admin'));
    expect(failed).toMatchObject({ attempts: 1 });
    expect(await list({ authorization: `Bearer ${lakesideAdmin}` })).toEqual([]);
    const asLakeside = await stack.app.inject({
      method: 'POST',
      url: `/notifications/${failed!.id}/redeliver`,
      headers: { authorization: `Bearer ${lakesideAdmin}` },
    });
    expect(asLakeside.statusCode).toBe(404);
    const asBiller = await stack.app.inject({
      method: 'POST',
      url: `/notifications/${failed!.id}/redeliver`,
      headers: stack.auth('biller'),
    });
    expect(asBiller.statusCode).toBe(403);

    down = false;
    const res = await stack.app.inject({
      method: 'POST',
      url: `/notifications/${failed!.id}/redeliver`,
      headers: stack.auth('admin'),
    });
    expect(res.statusCode).toBe(202);
    await eventually(async () => {
      const row = await stack.db
        .selectFrom('notifications')
        .select('status')
        .where('id', '=', failed!.id)
        .executeTakeFirstOrThrow();
      return row.status === 'DELIVERED' ? row : undefined;
    }, 'the redelivered notification');
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([failed!.id]);
    new Webhook('test-secret', { format: 'raw' }).verify(
      received[0]!.body,
      received[0]!.headers as Record<string, string>,
    );
    expect(await list(stack.auth('admin'))).toEqual([]);
  });
});
