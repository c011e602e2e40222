/**
 * Appeals of a denial, level by level: filing within the level's deadline, waiting for the payer's
 * decision (with its own follow-up), and acting on it: an overturn waits for payment, an upheld appeal
 * returns to review with the next level's deadline (docs/deadlines.md).
 */

import * as wf from '@temporalio/workflow';
import { ruleFor } from '../../domain/carc.js';
import { addDays } from '../../domain/dates.js';
import { localDateOf } from '../../domain/time-zones.js';
import { documents, payer, store } from '../activities.js';
import { appealKey, appealPacketDeliveryKey } from '../ids.js';
import type * as m from '../messages.js';
import { type ClaimProcess, payerRefusal } from './process.js';
import { appealDeadlineFrom, shownDeadline } from './state.js';

/** A packet that cannot be built (a bad attachment or template): the reason, for the update's refusal. */
function documentRefusal(err: unknown): string | undefined {
  if (
    err instanceof wf.ActivityFailure &&
    err.cause instanceof wf.ApplicationFailure &&
    err.cause.nonRetryable
  ) {
    return err.cause.message;
  }
  return undefined;
}

/** Marks histories in which filing an appeal with uploaded attachments builds and sends a packet. */
export const APPEAL_PACKET_PATCH = 'appeal-packet';

/**
 * Files the appeal at the current level. Returns the payer's refusal when it refuses the filing (the
 * update then fails with that reason and the claim stays in review).
 */
export async function fileAppeal(p: ClaimProcess, input: m.FileAppealInput): Promise<string | undefined> {
  const d = p.d;
  const deadline = d.appealDeadline;
  if (!deadline) return 'no appeal level remains for this claim';
  const level = deadline.level;
  const attachmentIds = input.attachmentIds ?? [];
  // Added with the attachment store: histories recorded before it never built a packet, so the call is
  // behind a patch and made only when the biller chose uploaded attachments.
  // The packet goes first: the payer has the evidence before the appeal record names it, and a packet
  // the payer refuses stops the filing with its reason, as a refused appeal does.
  if (attachmentIds.length > 0 && wf.patched(APPEAL_PACKET_PATCH)) {
    let packet: Awaited<ReturnType<typeof documents.deliverAppealPacket>>;
    try {
      packet = await documents.deliverAppealPacket({
        claimUuid: p.ref.claimUuid,
        practiceId: p.ref.practiceId,
        level,
        grounds: input.grounds,
        attachmentIds,
        deadline: new Date(deadline.at).toISOString(),
        filedAt: new Date().toISOString(),
        actor: input.actor,
        idempotencyKey: appealPacketDeliveryKey(p.ref.claimUuid, level),
      });
    } catch (err) {
      const refusal = payerRefusal(err) ?? documentRefusal(err);
      if (refusal === undefined) throw err;
      return `the appeal packet was not sent: ${refusal}`;
    }
    await p.record('APPEAL_PACKET_FILED', {
      actor: input,
      reason: `level ${level} appeal packet (${packet.pageCount} pages) received by the payer as ${packet.packetId}`,
      data: { documentId: packet.documentId, sha256: packet.sha256, packetId: packet.packetId },
    });
  }
  let appealId: string;
  try {
    ({ appealId } = await payer.submitAppeal({
      claimUuid: p.ref.claimUuid,
      level,
      grounds: input.grounds,
      attachments: input.attachments ?? [],
      idempotencyKey: appealKey(p.ref.claimUuid, level),
      deadline: new Date(deadline.at).toISOString(),
      actor: input.actor,
    }));
  } catch (err) {
    const refusal = payerRefusal(err);
    if (refusal === undefined) throw err;
    return `the payer refused the appeal: ${refusal}`;
  }
  d.appeals.push({
    level,
    filedAt: new Date().toISOString(),
    deadline: new Date(deadline.at).toISOString(),
    payerAppealId: appealId,
    status: 'pending',
  });
  d.reviewSlaAt = undefined;
  d.reminders = [];
  d.appealFollowUpAt = addDays(Date.now(), p.rules.appealDecisionFollowUpDays);
  p.clearEscalation();
  await p.transition('APPEALING', `level ${level} appeal filed: ${input.grounds}`, input, {
    level,
    attachments: input.attachments,
    ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
  });
  return undefined;
}

/** The payer decided the pending appeal (by letter, by status answer, or recorded by a biller). */
export async function appealDecided(
  p: ClaimProcess,
  decision: m.AppealDecision,
  actor: m.Actor,
): Promise<void> {
  const d = p.d;
  const appeal = d.appeals[d.appeals.length - 1];
  if (!appeal) throw new Error('an appeal decision reached a claim with no appeal on file');
  const decidedMs = decision.decidedAt ? Date.parse(decision.decidedAt) : Date.now();
  appeal.status = decision.outcome;
  appeal.decidedAt = new Date(decidedMs).toISOString();
  appeal.reason = decision.reason;
  d.appealFollowUpAt = undefined;
  await store.recordAppealDecision({
    claimUuid: p.ref.claimUuid,
    level: appeal.level,
    outcome: decision.outcome,
    reason: decision.reason ?? null,
    decidedAt: appeal.decidedAt,
  });
  if (decision.outcome === 'overturned') {
    d.followUps = 0;
    d.followUpAt = addDays(Date.now(), p.rules.followUpDays);
    await p.transition('AWAITING_PAYMENT', `level ${appeal.level} appeal overturned`, actor, {
      level: appeal.level,
    });
    return;
  }
  await p.reloadRules();
  const zone = p.deadlineZone();
  // The decision letter is dated on the practice's calendar, not in UTC.
  const noticeMs = zone === undefined ? decidedMs : Date.parse(`${localDateOf(decidedMs, zone)}T00:00:00Z`);
  const next = appealDeadlineFrom(p.rules, noticeMs, appeal.level + 1, zone);
  d.appealDeadline = next;
  if (d.denial) d.denial.appealable = next !== undefined && ruleFor(d.denial.category).appealable;
  await p.enterReview(
    next
      ? `level ${appeal.level} appeal upheld; level ${next.level} due ${shownDeadline(d, next.at)}`
      : `level ${appeal.level} appeal upheld; no appeal level remains`,
  );
}

/** The payer's decision letter arrived by signal; one arriving when no appeal is pending is only noted. */
export async function appealDecisionReceived(
  p: ClaimProcess,
  decision: m.AppealDecision,
  actor: m.Actor,
): Promise<void> {
  if (p.d.status !== 'APPEALING') {
    await p.record('APPEAL_DECISION_IGNORED', { reason: `received in ${p.d.status}`, data: { ...decision } });
    return;
  }
  await appealDecided(p, decision, actor);
}

/** No decision in time: ask the payer for the appeal's status, and act on an answer. */
export async function appealFollowUp(p: ClaimProcess): Promise<void> {
  const d = p.d;
  const appeal = d.appeals[d.appeals.length - 1];
  d.appealFollowUpAt = undefined;
  if (!appeal?.payerAppealId) return;
  const status = await payer.appealStatus({ appealId: appeal.payerAppealId });
  if (status.status === 'pending') {
    d.appealFollowUpAt = addDays(Date.now(), p.rules.appealDecisionFollowUpDays);
    await p.record('APPEAL_STATUS', { reason: `level ${appeal.level} appeal still pending` });
    return;
  }
  await appealDecided(
    p,
    { outcome: status.status, reason: status.reason, decidedAt: status.decidedAt },
    { actor: 'payer' },
  );
}
