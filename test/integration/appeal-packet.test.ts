/**
 * An appeal with evidence on the real stack (Temporal dev server, Postgres, payer-sim over HTTP, the
 * worker's real activities, the API): the biller uploads a record, files the appeal naming it, and the
 * packet arrives at payer-sim once although the first delivery's answer is lost; the packet is
 * downloadable and its hash matches the stored one and the one the payer received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../documents/attachments/store.js';
import { markerPdf, pdfText } from '../documents/fixtures.js';
import { eventually, type Stack, startStack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface PacketListing {
  total: number;
  packets: { packetId: string; sha256: string; deliveries: number }[];
}

async function multipart(bytes: Uint8Array, name: string, title: string) {
  const f = new FormData();
  f.append('title', title);
  f.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
  const res = new Response(f);
  return { payload: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

describe('appeal packet on the real stack', () => {
  it('arrives at the payer once with its attachment, even when the first delivery fails, and is downloadable', async () => {
    const { claim } = await stack.submitClaim('DENY50-710');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras();
    await stack.waitForStatus(claim.id, 'NEEDS_REVIEW');

    const record = await markerPdf('CHART-NOTE', 2);
    const form = await multipart(record, 'chart.pdf', 'Chart notes');
    const upload = await stack.app.inject({
      method: 'POST',
      url: `/claims/${claim.id}/attachments`,
      headers: { ...stack.auth('biller'), 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(upload.statusCode).toBe(201);
    const attachment = upload.json();

    const pcn = (await stack.claimRow(claim.id)).patient_control_number;
    const packets = async () =>
      (await (
        await fetch(`${stack.simUrl}/sim/appeal-packets?patientControlNumber=${pcn}`)
      ).json()) as PacketListing;

    // The payer processes the first delivery but its answer is lost (500 after processing).
    await stack.simConfig({ failAfterProcessingRate: 1 });
    const filed = stack.app.inject({
      method: 'POST',
      url: `/claims/${claim.id}/appeals`,
      headers: stack.auth('biller'),
      payload: {
        grounds: 'The chart notes show six weeks of failed therapy.',
        attachmentIds: [attachment.id],
      },
    });
    await eventually(
      async () => ((await packets()).total >= 1 ? true : undefined),
      'the first delivery',
      60_000,
    );
    await stack.simConfig({ failAfterProcessingRate: 0 });
    const answer = await filed;
    expect([200, 202]).toContain(answer.statusCode);
    await stack.waitForStatus(claim.id, 'APPEALING');

    const listing = await eventually(
      async () => {
        const l = await packets();
        return l.packets[0] && l.packets[0].deliveries >= 2 ? l : undefined;
      },
      'the redelivery',
      60_000,
    );
    expect(listing.total).toBe(1);

    const docs = await stack.app.inject({
      method: 'GET',
      url: `/claims/${claim.id}/documents`,
      headers: stack.auth('biller'),
    });
    const packet = docs.json().items.find((d: { kind: string }) => d.kind === 'APPEAL_PACKET');
    expect(packet).toMatchObject({
      sha256: listing.packets[0]!.sha256,
      deliveryReference: listing.packets[0]!.packetId,
    });
    const download = await stack.app.inject({
      method: 'GET',
      url: `/claims/${claim.id}/documents/${packet.id}/content`,
      headers: stack.auth('biller'),
    });
    expect(sha256Hex(download.rawPayload)).toBe(packet.sha256);
    expect(download.headers['x-content-sha256']).toBe(packet.sha256);
    const received = await fetch(`${stack.simUrl}/sim/appeal-packets/${listing.packets[0]!.packetId}/pdf`);
    expect(sha256Hex(new Uint8Array(await received.arrayBuffer()))).toBe(packet.sha256);

    const text = pdfText(download.rawPayload);
    expect(text).toContain('six weeks of failed therapy');
    expect(text).toContain('CHART-NOTE PAGE 2');
    expect(text).toContain('Not deemed medically necessary by the payer');

    const events = await stack.db
      .selectFrom('claim_events')
      .select('kind')
      .where('claim_id', '=', claim.id)
      .execute();
    const kinds = events.map((e) => e.kind);
    expect(kinds).toContain('ATTACHMENT_UPLOADED');
    expect(kinds).toContain('APPEAL_PACKET_FILED');
    expect(kinds).toContain('DOCUMENT_DOWNLOADED');
  });
});
