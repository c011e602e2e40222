/**
 * Filing an appeal with uploaded attachments (time-skipping, faked activities): the packet is delivered
 * before the appeal is filed, under a per-level idempotency key; an appeal without attachments takes the
 * path recorded histories took; a packet that cannot be built stops the filing with its reason.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import * as m from '../../workflows/messages.js';
import { runClaim } from '../support/time-skipping.js';

const biller = { actor: 'biller-7' };
const ATTACHMENT = '3f1c2b9e-8d4a-4c6e-9b2f-1a2b3c4d5e6f';
const denial = {
  paidCents: 0,
  adjustments: [{ group: 'CO', reason: '50', amountCents: 20_000 }],
  remarkCodes: [],
};

describe('appeal packets', () => {
  it('an appeal naming attachments delivers its packet first, once per level, then files the appeal', async () => {
    const world = await runClaim(
      {},
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        await h.remit(denial);
        await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
        const appealing = await h.handle.executeUpdate(m.fileAppealUpdate, {
          args: [{ ...biller, grounds: 'records attached', attachments: [], attachmentIds: [ATTACHMENT] }],
        });
        expect(appealing.status).toBe('APPEALING');
      },
      { recordAs: 'h-appeal-packet' },
    );
    const names = world.calls.map((c) => c.name);
    expect(names.indexOf('deliverAppealPacket')).toBeGreaterThan(-1);
    expect(names.indexOf('deliverAppealPacket')).toBeLessThan(names.indexOf('submitAppeal'));
    const packet = world.calls.find((c) => c.name === 'deliverAppealPacket')!.input as {
      attachmentIds: string[];
      idempotencyKey: string;
      level: number;
    };
    expect(packet).toMatchObject({ attachmentIds: [ATTACHMENT], level: 1 });
    expect(packet.idempotencyKey).toMatch(/:appeal-packet:1$/);
    const filed = world.events.find((e) => e.kind === 'APPEAL_PACKET_FILED');
    expect(filed?.reason).toContain('PKT-1');
  });

  it('an appeal without attachments sends no packet', async () => {
    const world = await runClaim({}, async (h) => {
      await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      await h.remit(denial);
      await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
      await h.handle.executeUpdate(m.fileAppealUpdate, {
        args: [{ ...biller, grounds: 'records by fax', attachments: ['fax 2026-02-01'] }],
      });
    });
    expect(world.count('deliverAppealPacket')).toBe(0);
    expect(world.count('submitAppeal')).toBe(1);
  });

  it('a packet that cannot be built refuses the filing with its reason; nothing is filed', async () => {
    const world = await runClaim(
      { packetRefusal: 'Attachment X is not one of this claim’s attachments.' },
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        await h.remit(denial);
        await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
        const err = await h.handle
          .executeUpdate(m.fileAppealUpdate, {
            args: [{ ...biller, grounds: 'records attached', attachments: [], attachmentIds: [ATTACHMENT] }],
          })
          .catch((e) => e);
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(String(err.cause?.message)).toContain('the appeal packet was not sent');
        const view = await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'still in review');
        expect(view.appeals).toEqual([]);
      },
    );
    expect(world.count('submitAppeal')).toBe(0);
  });
});
