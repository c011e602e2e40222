/**
 * payer-sim's appeal-packet inbox over real HTTP: a packet arrives once per Idempotency-Key however often
 * it is delivered (even when the first delivery's answer is lost), arrives intact (hash checked), and a
 * bad upload is refused naming the field with nothing recorded.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerPdf } from '../documents/fixtures.js';
import { API_KEY, type RunningSim, startSim } from './support.js';

interface Listing {
  total: number;
  packets: {
    packetId: string;
    idempotencyKey: string;
    sha256: string;
    deliveries: number;
    sizeBytes: number;
  }[];
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('payer-sim appeal packets', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  function metadata(pcn: string, pdf: Uint8Array, extra: Record<string, unknown> = {}) {
    return {
      payerId: 'ACME',
      patientControlNumber: pcn,
      payerClaimNumber: 'PCL-1',
      level: 1,
      sha256: sha(pdf),
      ...extra,
    };
  }

  async function post(key: string | undefined, meta: unknown, pdf: Uint8Array | undefined, auth = true) {
    const form = new FormData();
    if (meta !== undefined) form.append('metadata', typeof meta === 'string' ? meta : JSON.stringify(meta));
    if (pdf) form.append('packet', new Blob([pdf], { type: 'application/pdf' }), 'packet.pdf');
    const headers: Record<string, string> = {};
    if (key) headers['idempotency-key'] = key;
    if (auth) headers.authorization = `Bearer ${API_KEY}`;
    const res = await fetch(`${sim.baseUrl}/v1/appeal-packets`, { method: 'POST', body: form, headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  async function listed(pcn: string): Promise<Listing> {
    return (await sim.control<Listing>('GET', `/appeal-packets?patientControlNumber=${pcn}`)).body;
  }

  it('records a packet and serves the same bytes back', async () => {
    const pdf = await markerPdf('PACKET', 2);
    const res = await post('pkt-1', metadata('PCN-A', pdf, { attachmentCount: 1, pageCount: 2 }), pdf);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sha256: sha(pdf) });
    const list = await listed('PCN-A');
    expect(list.total).toBe(1);
    expect(list.packets[0]).toMatchObject({ idempotencyKey: 'pkt-1', deliveries: 1, sizeBytes: pdf.length });
    const download = await fetch(`${sim.baseUrl}/sim/appeal-packets/${res.body.packetId}/pdf`);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(sha(new Uint8Array(await download.arrayBuffer()))).toBe(sha(pdf));
  });

  it('a redelivery with the same key is a replay: one packet, two deliveries', async () => {
    const pdf = await markerPdf('REDELIVER', 1);
    const first = await post('pkt-2', metadata('PCN-B', pdf), pdf);
    const again = await post('pkt-2', metadata('PCN-B', pdf), pdf);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const list = await listed('PCN-B');
    expect(list.total).toBe(1);
    expect(list.packets[0]!.deliveries).toBe(2);
  });

  it('arrives once when the first delivery is processed but its answer is lost', async () => {
    const pdf = await markerPdf('LOST-ANSWER', 1);
    await sim.control('PUT', '/config', { failAfterProcessingRate: 1 });
    const lost = await post('pkt-3', metadata('PCN-C', pdf), pdf);
    await sim.control('PUT', '/config', { failAfterProcessingRate: 0 });
    expect(lost.status).toBe(500);
    const retry = await post('pkt-3', metadata('PCN-C', pdf), pdf);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const list = await listed('PCN-C');
    expect(list.total).toBe(1);
    expect(list.packets[0]!.deliveries).toBe(2);
  });

  it('the same key with another packet is refused', async () => {
    const a = await markerPdf('FIRST', 1);
    const b = await markerPdf('SECOND', 1);
    expect((await post('pkt-4', metadata('PCN-D', a), a)).status).toBe(200);
    const res = await post('pkt-4', metadata('PCN-D', b), b);
    expect(res.status).toBe(422);
    expect(res.body.field).toBe('Idempotency-Key');
    expect((await listed('PCN-D')).total).toBe(1);
  });

  it('a damaged upload, bad metadata or a missing part is refused naming the field, nothing recorded', async () => {
    const pdf = await markerPdf('BAD', 1);
    const damaged = await post('pkt-5', metadata('PCN-E', pdf), pdf.subarray(0, pdf.length - 10));
    expect(damaged.status).toBe(422);
    expect(damaged.body.field).toBe('packet');
    expect((await post('pkt-6', metadata('PCN-E', pdf, { level: 9 }), pdf)).body.field).toBe(
      'metadata.level',
    );
    expect((await post('pkt-7', '{not json', pdf)).body.field).toBe('metadata');
    expect((await post('pkt-8', metadata('PCN-E', pdf), undefined)).body.field).toBe('packet');
    expect((await post(undefined, metadata('PCN-E', pdf), pdf)).body.field).toBe('Idempotency-Key');
    const unknownAppeal = await post('pkt-9', metadata('PCN-E', pdf, { appealId: 'APL-NOPE' }), pdf);
    expect(unknownAppeal.body.field).toBe('metadata.appealId');
    expect((await post('pkt-10', metadata('PCN-E', pdf), pdf, false)).status).toBe(401);
    expect((await listed('PCN-E')).total).toBe(0);
  });

  it('accepts a packet larger than the JSON body limit', async () => {
    const pdf = Buffer.concat([await markerPdf('LARGE', 1), Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const res = await post('pkt-11', metadata('PCN-F', pdf), pdf);
    expect(res.status).toBe(200);
    expect((await listed('PCN-F')).packets[0]!.sizeBytes).toBe(pdf.length);
  });
});
