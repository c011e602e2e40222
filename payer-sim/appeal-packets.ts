/**
 * The payer's inbox for appeal packets: `POST /v1/appeal-packets` takes one merged PDF (the letter and
 * its attachments) with its metadata as multipart/form-data, under an Idempotency-Key. The same key and
 * content answer the stored receipt again (counted as a delivery, never as a second packet); the same
 * key with other content is refused. `/sim/appeal-packets` lists what arrived, with the delivery count
 * per key, and serves each packet's bytes back, so tests can prove a packet arrived once and intact.
 *
 * Records live in the sim state (persisted with it); the PDF bytes are kept in memory only, so after a
 * restart a record's bytes answer 410 rather than bloating the state file with every packet.
 */
import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { SimAppealPacket, SimState } from './store.js';

/** What the inbox needs from the app: a clock, the live state, persistence and the appeals it knows. */
export interface AppealPacketDeps {
  now: () => number;
  /** The current state (it is replaced on /sim/reset). */
  state: () => SimState;
  onChange: () => void;
  /** True for an appeal id the sim issued on POST /v1/appeals. */
  knowsAppeal: (appealId: string) => boolean;
}

/** The metadata part of an appeal packet upload. */
export interface AppealPacketMetadata {
  payerId: string;
  patientControlNumber: string;
  payerClaimNumber: string;
  level: number;
  /** The appeal this packet supports, when it was filed first through POST /v1/appeals. */
  appealId?: string;
  /** SHA-256 of the PDF as the sender computed it; a mismatch means the upload was damaged. */
  sha256: string;
  attachmentCount?: number;
  pageCount?: number;
}

interface Refusal {
  statusCode: number;
  body: { message: string; field?: string };
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

function refuse(message: string, field?: string, statusCode = 422): Refusal {
  return { statusCode, body: field ? { message, field } : { message } };
}

function text(v: unknown, field: string, max = 100): string | Refusal {
  if (typeof v !== 'string' || v.length === 0) return refuse(`${field} is required`, field);
  if (v.length > max) return refuse(`${field} must be at most ${max} characters`, field);
  return v;
}

/** Validates the metadata JSON; returns it or the refusal naming the field. */
export function parsePacketMetadata(raw: string | undefined): AppealPacketMetadata | Refusal {
  if (raw === undefined) return refuse('metadata is required (a form field holding JSON)', 'metadata');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return refuse('metadata is not valid JSON', 'metadata');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('metadata must be a JSON object', 'metadata');
  }
  const m = value as Record<string, unknown>;
  const out: Partial<AppealPacketMetadata> = {};
  for (const f of ['payerId', 'patientControlNumber', 'payerClaimNumber'] as const) {
    const v = text(m[f], `metadata.${f}`);
    if (typeof v !== 'string') return v;
    out[f] = v;
  }
  if (typeof m.level !== 'number' || !Number.isInteger(m.level) || m.level < 1 || m.level > 5) {
    return refuse('metadata.level must be an integer from 1 to 5', 'metadata.level');
  }
  out.level = m.level;
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) {
    return refuse('metadata.sha256 must be the lower-case hex SHA-256 of the packet', 'metadata.sha256');
  }
  out.sha256 = m.sha256;
  if (m.appealId !== undefined) {
    const v = text(m.appealId, 'metadata.appealId');
    if (typeof v !== 'string') return v;
    out.appealId = v;
  }
  for (const f of ['attachmentCount', 'pageCount'] as const) {
    const v = m[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      return refuse(`metadata.${f} must be a whole number`, `metadata.${f}`);
    }
    out[f] = v;
  }
  return out as AppealPacketMetadata;
}

function isRefusal(v: unknown): v is Refusal {
  return typeof v === 'object' && v !== null && 'statusCode' in v;
}

function fingerprintOf(m: AppealPacketMetadata): string {
  const canonical = JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(canonical).digest('hex');
}

/** The inbox itself: receiving, listing, serving bytes. */
export class AppealPacketInbox {
  private readonly bytes = new Map<string, Buffer>();

  constructor(private readonly deps: AppealPacketDeps) {}

  private get records(): Record<string, SimAppealPacket> {
    const state = this.deps.state();
    state.appealPackets ??= {};
    return state.appealPackets;
  }

  /** Receives one packet under `key`; a replay of the same key and content returns the stored receipt. */
  receive(
    key: string,
    metadata: AppealPacketMetadata,
    pdf: Buffer,
  ): { statusCode: number; body: unknown; replayed?: boolean } {
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    if (sha256 !== metadata.sha256) {
      return refuse(
        `The packet's SHA-256 is ${sha256}, not the ${metadata.sha256} the metadata declares: the upload was damaged.`,
        'packet',
      );
    }
    if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) return refuse('The packet is not a PDF.', 'packet');
    const fingerprint = fingerprintOf(metadata);
    const existing = this.records[key];
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        return refuse('This Idempotency-Key was already used with a different packet.', 'Idempotency-Key');
      }
      existing.deliveries += 1;
      this.deps.onChange();
      return { statusCode: 200, body: receipt(existing), replayed: true };
    }
    if (metadata.appealId !== undefined && !this.deps.knowsAppeal(metadata.appealId)) {
      return refuse(`No appeal ${metadata.appealId} was filed with this payer.`, 'metadata.appealId');
    }
    const now = this.deps.now();
    const record: SimAppealPacket = {
      packetId: `PKT-${now.toString(36).toUpperCase()}-${Object.keys(this.records).length + 1}`,
      idempotencyKey: key,
      fingerprint,
      ...metadata,
      sizeBytes: pdf.length,
      receivedAt: new Date(now).toISOString(),
      deliveries: 1,
    };
    this.records[key] = record;
    this.bytes.set(record.packetId, pdf);
    this.deps.onChange();
    return { statusCode: 200, body: receipt(record) };
  }

  /** Packets received, oldest first, filtered by any of the given fields. */
  list(filter: { patientControlNumber?: string; payerId?: string; appealId?: string }): SimAppealPacket[] {
    return Object.values(this.records)
      .filter(
        (p) =>
          (filter.patientControlNumber === undefined ||
            p.patientControlNumber === filter.patientControlNumber) &&
          (filter.payerId === undefined || p.payerId === filter.payerId) &&
          (filter.appealId === undefined || p.appealId === filter.appealId),
      )
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  /** The record and bytes of one packet; bytes undefined when they were not kept (after a restart). */
  find(packetId: string): { record: SimAppealPacket; pdf: Buffer | undefined } | undefined {
    const record = Object.values(this.records).find((p) => p.packetId === packetId);
    return record ? { record, pdf: this.bytes.get(packetId) } : undefined;
  }

  /** Forgets the bytes (the records go with the state on /sim/reset). */
  reset(): void {
    this.bytes.clear();
  }
}

function receipt(p: SimAppealPacket) {
  return { packetId: p.packetId, sha256: p.sha256, receivedAt: p.receivedAt };
}

/** POST /v1/appeal-packets, registered inside the /v1 scope so authentication and faults apply. */
export async function registerAppealPacketApi(
  scope: FastifyInstance,
  inbox: AppealPacketInbox,
  maxBytes?: number,
) {
  await scope.register(async (packets) => {
    await packets.register(multipart, {
      limits: { files: 1, fields: 4, fileSize: maxBytes ?? DEFAULT_MAX_BYTES },
    });
    packets.post('/appeal-packets', async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
        return reply.code(422).send({ message: 'Idempotency-Key is required', field: 'Idempotency-Key' });
      }
      if (!request.isMultipart()) {
        return reply.code(415).send({
          message: 'Send the packet as multipart/form-data with a metadata field and a packet file.',
        });
      }
      let metadataRaw: string | undefined;
      let pdf: Buffer | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'packet') {
              await part.toBuffer();
              return reply
                .code(422)
                .send({ message: `Unexpected file part "${part.fieldname}".`, field: part.fieldname });
            }
            pdf = await part.toBuffer();
          } else if (part.fieldname === 'metadata') {
            metadataRaw = String(part.value);
          }
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          return reply
            .code(413)
            .send({ message: 'The packet is larger than the payer accepts.', field: 'packet' });
        }
        throw err;
      }
      const metadata = parsePacketMetadata(metadataRaw);
      if (isRefusal(metadata)) return reply.code(metadata.statusCode).send(metadata.body);
      if (!pdf)
        return reply.code(422).send({ message: 'packet is required (a PDF file part)', field: 'packet' });
      const answer = inbox.receive(key, metadata, pdf);
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(answer.statusCode).send(answer.body);
    });
  });
}

/** GET /sim/appeal-packets and GET /sim/appeal-packets/:packetId/pdf, in the /sim control scope. */
export function registerAppealPacketControl(scope: FastifyInstance, inbox: AppealPacketInbox): void {
  scope.get('/appeal-packets', async (request) => {
    const q = request.query as Record<string, string | undefined>;
    const packets = inbox.list({
      patientControlNumber: q.patientControlNumber,
      payerId: q.payerId,
      appealId: q.appealId,
    });
    return { total: packets.length, packets: packets.map(({ fingerprint: _f, ...p }) => p) };
  });
  scope.get('/appeal-packets/:packetId/pdf', async (request, reply) => {
    const { packetId } = request.params as { packetId: string };
    const found = inbox.find(packetId);
    if (!found) return reply.code(404).send({ message: `No appeal packet ${packetId}.` });
    if (!found.pdf) {
      return reply.code(410).send({ message: 'The packet bytes are not kept across a payer-sim restart.' });
    }
    return reply.type('application/pdf').header('x-packet-sha256', found.record.sha256).send(found.pdf);
  });
}
