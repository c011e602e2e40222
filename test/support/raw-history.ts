/**
 * Reads workflow histories as the Temporal server stores them, through a client with no payload codec,
 * and finds every place a secret could sit: payload bytes (base64-decoded), search attributes, memos,
 * and every plain string of the history (failure messages, ids, names).
 */

import type { Connection } from '@temporalio/client';
import { type Client, Client as TemporalClient } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/** One payload of a history: where it sits, its metadata and its data decoded from base64. */
export interface RawPayload {
  path: string;
  encoding: string;
  keyId: string | undefined;
  /** The owning workflow recorded at sealing (the codec server authorises by its practice). */
  workflowId: string | undefined;
  text: string;
}

/** A history as JSON (what the server stores), with its payloads pulled out. */
export interface RawHistory {
  workflowId: string;
  json: string;
  payloads: RawPayload[];
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('latin1');

function collect(node: unknown, path: string, out: RawPayload[]): void {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) collect(v, `${path}[${i}]`, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const metadata = o.metadata as Record<string, string> | undefined;
  if (metadata && typeof metadata === 'object' && typeof metadata.encoding === 'string') {
    out.push({
      path,
      encoding: b64(metadata.encoding),
      keyId: metadata['encryption-key-id'] ? b64(metadata['encryption-key-id']) : undefined,
      workflowId: metadata['encryption-workflow-id'] ? b64(metadata['encryption-workflow-id']) : undefined,
      text: [typeof o.data === 'string' ? b64(o.data) : '', ...Object.values(metadata).map(b64)].join('\n'),
    });
    return;
  }
  for (const [k, v] of Object.entries(o)) collect(v, `${path}.${k}`, out);
}

/** The raw history of one workflow run (the latest), read without any codec. */
export async function rawHistory(
  connection: Connection,
  workflowId: string,
  runId?: string,
): Promise<RawHistory> {
  const plain: Client = new TemporalClient({ connection, namespace: 'default' });
  const history = await plain.workflow.getHandle(workflowId, runId).fetchHistory();
  const json = historyToJSON(history);
  const payloads: RawPayload[] = [];
  collect(JSON.parse(json), '$', payloads);
  return { workflowId, json, payloads };
}

/** Whether a payload sits in a search attribute (the server must read those, so they stay plain). */
export function isSearchAttribute(p: RawPayload): boolean {
  return /searchAttributes\.indexedFields/.test(p.path);
}

/**
 * The history's plain fields: its JSON with every payload's base64 `data` blanked. Those bytes are
 * decoded and searched payload by payload; read as text, base64 contains any short digit run by chance.
 */
export function plainFields(json: string): string {
  return json.replace(/"data":\s*"[A-Za-z0-9+/=]*"/g, '"data":""');
}

/**
 * Whether `needle` occurs in `text` as a whole token: not run into a letter or digit on either side.
 * A procedure code such as 73562 is found in "CPT 73562 needs RT" or "claim-73562", never inside the
 * nanoseconds of an event time (".735621Z"), a task id or a run id, where digits occur by chance.
 */
export function containsToken(text: string, needle: string): boolean {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`).test(text);
}

/** Every needle found anywhere in the history, with where: empty when the history is clean. */
export function findSecrets(h: RawHistory, needles: string[]): string[] {
  const found: string[] = [];
  const plain = plainFields(h.json);
  for (const n of needles) {
    if (containsToken(plain, n)) found.push(`${h.workflowId}: "${n}" in the history's plain fields`);
    for (const p of h.payloads) {
      if (containsToken(p.text, n)) found.push(`${h.workflowId}: "${n}" in ${p.path}`);
    }
  }
  return found;
}

/**
 * A `patched()` marker's payload: the SDK itself writes it, in plain JSON, with only the patch id (a
 * name of our code, never claim data) and its deprecation flag. It is not ours to seal; anything else
 * in that place would still count as a leak.
 */
export function isPatchMarker(p: RawPayload): boolean {
  if (!p.path.includes('markerRecordedEventAttributes.details.patch-data')) return false;
  const body = p.text.split('\n')[0] ?? '';
  try {
    const v = JSON.parse(body) as Record<string, unknown>;
    const keys = Object.keys(v).sort().join(',');
    return (keys === 'id' || keys === 'deprecated,id') && /^[a-z0-9-]+$/.test(String(v.id));
  } catch {
    return false;
  }
}
