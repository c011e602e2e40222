/**
 * Appeals of a denial, level by level: filing within the level's deadline, waiting for the payer's
 * decision (with its own follow-up), and acting on it: an overturn waits for payment, an upheld appeal
 * returns to review with the next level's deadline (docs/deadlines.md).
 */
import { ruleFor } from '../../domain/carc.js';
import { addDays } from '../../domain/dates.js';
import { localDateOf } from '../../domain/time-zones.js';
import { payer, store } from '../activities.js';
import { appealKey } from '../ids.js';
import type * as m from '../messages.js';
import { type ClaimProcess, payerRefusal } from './process.js';
import { appealDeadlineFrom, shownDeadline } from './state.js';

/**
 * Files the appeal at the current level. Returns the payer's refusal when it refuses the filing (the
 * update then fails with that reason and the claim stays in review).
 */
export async function fileAppeal(p: ClaimProcess, input: m.FileAppealInput): Promise<string | undefined> {
  const d = p.d;
  const deadline = d.appealDeadline;
  if (!deadline) return 'no appeal level remains for this claim';
  const level = deadline.level;
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
