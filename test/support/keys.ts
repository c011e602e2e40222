/**
 * Payload keys for tests: generated per test process, never committed. `TEST_KEYRING` is what the
 * stack's client and worker use; `keyringEnv` renders a keyring as the environment the production entry
 * points read.
 */
import { randomBytes } from 'node:crypto';
import type { PayloadKeyring } from '../../config/index.js';

/** A fresh keyring with one key, `id` active. */
export function newKeyring(id = 'test-a'): PayloadKeyring {
  return { activeKeyId: id, keys: [{ id, key: randomBytes(32) }] };
}

export const TEST_KEYRING: PayloadKeyring = newKeyring();

/** `TEMPORAL_PAYLOAD_KEYS` / `TEMPORAL_PAYLOAD_ACTIVE_KEY` for a child process. */
export function keyringEnv(keyring: PayloadKeyring): Record<string, string> {
  return {
    TEMPORAL_PAYLOAD_KEYS: keyring.keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    TEMPORAL_PAYLOAD_ACTIVE_KEY: keyring.activeKeyId,
  };
}
