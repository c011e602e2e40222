/**
 * The payload codec that keeps PHI out of the Temporal server: every payload (workflow and activity
 * inputs and results, signals, updates, queries, memos, failure details) is sealed with AES-256-GCM
 * before it leaves the process, so a self-hosted cluster's database or Temporal Cloud holds ciphertext
 * only. Each payload gets a fresh random 96-bit IV (GCM must never reuse an IV under one key) and names
 * its key in the metadata, so keys rotate: the active key encrypts, older keys still decrypt the
 * histories of claims that started under them. Payloads without our encoding (histories recorded before
 * encryption, the server's own payloads) pass through unchanged.
 *
 * When the SDK says which workflow owns a payload, its workflow id travels in the metadata too and is
 * bound to the ciphertext as GCM additional data: the codec server authorises a decode by that id's
 * practice, and a payload whose id was swapped for another practice's fails authentication. Workflow
 * ids carry practice and claim ids only, never PHI.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  type DataConverter,
  METADATA_ENCODING_KEY,
  type Payload,
  type PayloadCodec,
  type SerializationContext,
} from '@temporalio/common';
import proto from '@temporalio/proto';

/**
 * The payload keys: the active one encrypts, every listed one (the active included) decrypts. The same
 * shape as config/'s keyring, declared here because temporal/ does not import config/.
 */
export interface PayloadKeyring {
  activeKeyId: string;
  keys: { id: string; key: Buffer }[];
}

// @temporalio/proto is CommonJS: its namespaces are reached through the default export under ESM.
const PayloadProto = proto.temporal.api.common.v1.Payload;

/** The `encoding` metadata of a sealed payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata entry naming the key a payload was sealed with. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** The metadata entry naming the workflow that owns a sealed payload (authenticated, not secret). */
export const WORKFLOW_ID_METADATA = 'encryption-workflow-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A payload the codec cannot open: unknown key id, or ciphertext that fails authentication. */
export class PayloadDecryptionError extends Error {}

/** AES-256-GCM over the whole serialized payload (metadata included), `iv || ciphertext || tag`. */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly active: { id: string; key: Buffer };

  constructor(keyring: PayloadKeyring) {
    this.keys = new Map(keyring.keys.map((k) => [k.id, k.key]));
    const key = this.keys.get(keyring.activeKeyId);
    if (!key) throw new Error(`active payload key "${keyring.activeKeyId}" is not in the keyring`);
    this.active = { id: keyring.activeKeyId, key };
  }

  /** The id of the key new payloads are sealed with. */
  get activeKeyId(): string {
    return this.active.id;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const workflowId = context?.workflowId || undefined;
    return payloads.map((p) => this.seal(p, workflowId));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.open(p));
  }

  private seal(payload: Payload, workflowId: string | undefined): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    if (workflowId) cipher.setAAD(enc.encode(workflowId));
    const plain = PayloadProto.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: enc.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: enc.encode(this.active.id),
        ...(workflowId ? { [WORKFLOW_ID_METADATA]: enc.encode(workflowId) } : {}),
      },
      data: new Uint8Array(sealed),
    };
  }

  private open(payload: Payload): Payload {
    if (!isSealed(payload)) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = idBytes ? dec.decode(idBytes) : '';
    const key = this.keys.get(keyId);
    if (!key)
      throw new PayloadDecryptionError(
        `payload sealed with key "${keyId}", which is not in TEMPORAL_PAYLOAD_KEYS (keep retired keys listed for decryption)`,
      );
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('sealed payload is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    const workflowId = sealedWorkflowId(payload);
    if (workflowId) decipher.setAAD(enc.encode(workflowId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(`sealed payload failed authentication under key "${keyId}"`);
    }
    const decoded = PayloadProto.decode(plain);
    return { metadata: decoded.metadata ?? {}, data: decoded.data ?? new Uint8Array() };
  }
}

/** Whether the payload is sealed by this codec. */
export function isSealed(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return Boolean(encoding) && dec.decode(encoding!) === ENCRYPTED_ENCODING;
}

/** The workflow a sealed payload belongs to, as recorded (and authenticated) at sealing. */
export function sealedWorkflowId(payload: Payload): string | undefined {
  const id = payload.metadata?.[WORKFLOW_ID_METADATA];
  return id && id.length > 0 ? dec.decode(id) : undefined;
}

/** The data converter of every client and worker: default JSON conversion, then the payload codec. */
export function createDataConverter(keyring: PayloadKeyring): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keyring)] };
}
