/** The payload codec and its configuration: sealing, key ids, rotation, and start-up failures. */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requirePayloadKeys } from '../../config/index.js';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  sealedWorkflowId,
  WORKFLOW_ID_METADATA,
} from '../../temporal/codec.js';

const k = () => randomBytes(32);
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString();

describe('AES-256-GCM payload codec', () => {
  const a = { id: 'a', key: k() };
  const b = { id: 'b', key: k() };
  const payload = defaultPayloadConverter.toPayload({ lastName: 'Quillfeather' });

  it('seals each payload under the active key with a fresh IV, and opens it again', async () => {
    const codec = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: [a] });
    const [one] = await codec.encode([payload]);
    const [two] = await codec.encode([payload]);
    expect(text(one!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(one!.metadata![KEY_ID_METADATA])).toBe('a');
    expect(text(one!.data)).not.toContain('Quillfeather');
    expect(Buffer.from(one!.data!).subarray(0, 12)).not.toEqual(Buffer.from(two!.data!).subarray(0, 12));
    const [opened] = await codec.decode([one!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ lastName: 'Quillfeather' });
  });

  it('after rotation, payloads sealed under the old key still open and new ones use the new key', async () => {
    const [old] = await new AesGcmPayloadCodec({ activeKeyId: 'a', keys: [a] }).encode([payload]);
    const rotated = new AesGcmPayloadCodec({ activeKeyId: 'b', keys: [b, a] });
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual({
      lastName: 'Quillfeather',
    });
    expect(text((await rotated.encode([payload]))[0]!.metadata![KEY_ID_METADATA])).toBe('b');
  });

  it('plain payloads (histories recorded before encryption) pass through', async () => {
    const codec = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: [a] });
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  it('a tampered payload or an unknown key id is refused, naming the key', async () => {
    const codec = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: [a] });
    const [sealed] = await codec.encode([payload]);
    const data = Buffer.from(sealed!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow(/authentication under key "a"/);
    await expect(new AesGcmPayloadCodec({ activeKeyId: 'b', keys: [b] }).decode([sealed!])).rejects.toThrow(
      /key "a"/,
    );
  });
});

describe('payload keys from configuration', () => {
  const good = `k1:${k().toString('base64')},k2:${k().toString('base64')}`;

  it('reads the keyring and the active key', () => {
    const c = loadConfig({ TEMPORAL_PAYLOAD_KEYS: good, TEMPORAL_PAYLOAD_ACTIVE_KEY: 'k2' });
    expect(c.payloadKeys?.activeKeyId).toBe('k2');
    expect(c.payloadKeys?.keys.map((x) => x.id)).toEqual(['k1', 'k2']);
  });

  it.each([
    [{ TEMPORAL_PAYLOAD_KEYS: 'k1:c2hvcnQ=', TEMPORAL_PAYLOAD_ACTIVE_KEY: 'k1' }, /must be 32 bytes/],
    [{ TEMPORAL_PAYLOAD_KEYS: 'k1:not base64!', TEMPORAL_PAYLOAD_ACTIVE_KEY: 'k1' }, /not base64/],
    [{ TEMPORAL_PAYLOAD_KEYS: good }, /TEMPORAL_PAYLOAD_ACTIVE_KEY is required/],
    [{ TEMPORAL_PAYLOAD_KEYS: good, TEMPORAL_PAYLOAD_ACTIVE_KEY: 'k9' }, /"k9" is not one of/],
    [{ TEMPORAL_PAYLOAD_KEYS_FILE: '/nonexistent/keys' }, /TEMPORAL_PAYLOAD_KEYS_FILE names/],
    [{ TEMPORAL_TLS_CERT_FILE: '/etc/hostname' }, /go together/],
  ])('a malformed setting fails at start-up with a message naming it (%#)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('a process that talks to Temporal refuses to start without a key', () => {
    expect(() => requirePayloadKeys(loadConfig({}))).toThrow(/TEMPORAL_PAYLOAD_KEYS .* required/);
  });

  it('an API key implies TLS; TLS files are read at start-up', () => {
    const c = loadConfig({ TEMPORAL_API_KEY: 'secret', TEMPORAL_TLS_CA_FILE: '/etc/hostname' });
    expect(c.temporalSecurity.apiKey).toBe('secret');
    expect(c.temporalSecurity.tls?.serverRootCACertificate).toBeInstanceOf(Buffer);
    expect(loadConfig({}).temporalSecurity.tls).toBeUndefined();
  });
});

describe('workflow binding of sealed payloads', () => {
  const a = { id: 'a', key: k() };
  const codec = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: [a] });
  const payload = defaultPayloadConverter.toPayload({ note: 'x' });
  const context = { type: 'workflow' as const, namespace: 'default', workflowId: 'claim-sunrise-fp-C1' };

  it('records the owning workflow, and a payload moved to another workflow id fails to open', async () => {
    const [sealed] = await codec.encode([payload], context);
    expect(sealedWorkflowId(sealed!)).toBe('claim-sunrise-fp-C1');
    expect(defaultPayloadConverter.fromPayload((await codec.decode([sealed!]))[0]!)).toEqual({ note: 'x' });
    const moved = {
      ...sealed!,
      metadata: {
        ...sealed!.metadata,
        [WORKFLOW_ID_METADATA]: new TextEncoder().encode('claim-lakeside-ortho-C1'),
      },
    };
    await expect(codec.decode([moved])).rejects.toThrow(/authentication/);
  });
});
