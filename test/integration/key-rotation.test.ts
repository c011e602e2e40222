/**
 * Key rotation of the payload codec: a claim that started under key A keeps running, completes and
 * replays after key B becomes the active key, as long as A stays listed for decryption. New payloads
 * are sealed with B from the moment it is active.
 */
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PayloadKeyring } from '../../config/index.js';
import { createDataConverter, ENCRYPTED_ENCODING } from '../../temporal/codec.js';
import { newKeyring } from '../support/keys.js';
import { isSearchAttribute, rawHistory } from '../support/raw-history.js';
import { type Stack, startStack } from '../support/stack.js';

const keyA = newKeyring('key-a');
const keyB = newKeyring('key-b');
const rotated: PayloadKeyring = { activeKeyId: 'key-b', keys: [...keyB.keys, ...keyA.keys] };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ keyring: keyA });
});
afterAll(async () => {
  await stack?.stop();
});

describe('payload key rotation', () => {
  it('a claim started under key A continues, completes and replays after key B becomes active', async () => {
    const { claim } = await stack.submitClaim('AUTH197-4410');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras({ appeals: true });
    await stack.waitForStatus(claim.id, 'NEEDS_REVIEW');

    // Rotation: new processes come up with B active and A kept for the histories sealed under it.
    await stack.useKeyring(rotated);
    const decide = (path: string, payload: object, role: 'biller' | 'supervisor' = 'biller') =>
      stack.app.inject({
        method: 'POST',
        url: `/claims/${claim.id}/${path}`,
        headers: stack.auth(role),
        payload,
      });
    expect((await decide('appeals', { grounds: 'auth on file', attachments: [] })).statusCode).toBe(200);
    await stack.waitForStatus(claim.id, 'APPEALING');
    expect((await decide('appeal-decision', { outcome: 'overturned' }, 'supervisor')).statusCode).toBe(200);
    await stack.waitForStatus(claim.id, 'AWAITING_PAYMENT');
    await stack.pullEras({ appeals: true });
    await stack.pullEras({ appeals: true });
    await stack.waitForStatus(claim.id, 'PAID');

    const raw = await rawHistory(stack.connection, claim.workflowId);
    const keyIds = new Set(
      raw.payloads
        .filter((p) => !isSearchAttribute(p) && p.encoding === ENCRYPTED_ENCODING)
        .map((p) => p.keyId),
    );
    expect([...keyIds].sort()).toEqual(['key-a', 'key-b']);
    const history = await stack.client.workflow.getHandle(claim.workflowId).fetchHistory();
    const replay = (dataConverter: ReturnType<typeof createDataConverter>) =>
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter },
        history,
        claim.workflowId,
      );
    await expect(replay(createDataConverter(rotated))).resolves.toBeUndefined();
    // Dropping A too early is the mistake rotation must not make: its history no longer opens.
    await expect(replay(createDataConverter(keyB))).rejects.toThrow();
  });
});
