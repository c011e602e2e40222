/**
 * Getting the claim to the payer and keeping track of it until a remittance arrives: submission (and a
 * corrected resubmission), front-end rejections, and the payer follow-up with its claim status inquiry
 * (276/277). Deadlines: docs/deadlines.md.
 */
import * as wf from '@temporalio/workflow';
import { addDays, isoDate } from '../../domain/dates.js';
import {
  isFrontEndRejection,
  normaliseStatusCategory,
  statusCategoryOutcome,
} from '../../domain/payer-status.js';
import { type PayerActivities, payer, store } from '../activities.js';
import { submissionKey } from '../ids.js';
import type * as m from '../messages.js';
import { type ClaimProcess, payerRefusal } from './process.js';
import { appealDeadlineFrom } from './state.js';

/**
 * Claims are checked against the practice's claim rules before each submission; a HOLD finding stops
 * the submission in the HOLD state. Runs recorded before the scrubber never call it.
 */
export const SCRUB_PATCH = 'pre-submission-scrub';

/** The key a rule version is overridden under. */
export const overrideKey = (f: { ruleKey: string; version: number }) => `${f.ruleKey}@${f.version}`;

/**
 * Runs the scrubber: warnings go to the timeline, holding findings (not overridden for this claim) stop
 * the submission. True when the claim is now held.
 */
async function heldByClaimRules(
  p: ClaimProcess,
  frequencyCode: '1' | '7',
  actor?: m.Actor,
): Promise<boolean> {
  const d = p.d;
  const findings = await store.scrubClaim({ claimUuid: p.ref.claimUuid, timelyFilingAt: d.timelyFilingAt });
  const overridden = new Set(d.scrubOverrides ?? []);
  const warnings = findings.filter((f) => f.action === 'WARN' || overridden.has(overrideKey(f)));
  if (warnings.length > 0) {
    await p.record('CLAIM_RULE_WARNING', {
      reason: warnings.map((f) => f.message).join('; '),
      data: { findings: warnings },
    });
  }
  const holds = findings.filter((f) => f.action === 'HOLD' && !overridden.has(overrideKey(f)));
  if (holds.length === 0) {
    d.scrubHold = undefined;
    return false;
  }
  d.scrubHold = { findings: holds, frequencyCode };
  d.followUpAt = undefined;
  // The timely filing limit keeps running while the claim is held.
  p.scheduleReminders('TIMELY_FILING', d.timelyFilingAt);
  await p.transition('HOLD', `held before submission: ${holds.map((f) => f.message).join('; ')}`, actor, {
    findings: holds,
  });
  return true;
}

/** Sends the claim (an original `1` or a replacement `7`) and waits for the payer if it is accepted. */
export async function submit(p: ClaimProcess, frequencyCode: '1' | '7', actor?: m.Actor): Promise<void> {
  const d = p.d;
  if (wf.patched(SCRUB_PATCH) && (await heldByClaimRules(p, frequencyCode, actor))) return;
  d.submissions += 1;
  d.frequencyCode = frequencyCode;
  // Made here, not in the activity: every retry of this submission carries the same key.
  const idempotencyKey = submissionKey(p.ref.claimUuid, d.submissions);
  let result: Awaited<ReturnType<PayerActivities['submitClaim']>>;
  try {
    result = await payer.submitClaim({ claimUuid: p.ref.claimUuid, idempotencyKey, frequencyCode });
  } catch (err) {
    const refusal = payerRefusal(err);
    if (refusal === undefined) throw err;
    // The clearinghouse refused the request itself: same remedy as a front-end rejection.
    await reject(p, { category: 'A7', statusCode: '21', message: refusal });
    return;
  }
  d.submittedAt ??= new Date().toISOString();
  if (result.status !== 'accepted') {
    await reject(p, {
      category: result.category,
      statusCode: result.statusCode,
      message: result.message,
      field: result.field,
    });
    return;
  }
  d.rejection = undefined;
  d.followUps = 0;
  d.followUpAt = addDays(Date.now(), p.rules.followUpDays);
  d.reminders = d.reminders.filter((r) => r.deadline !== 'TIMELY_FILING');
  await p.transition(
    'AWAITING_ADJUDICATION',
    `accepted by the clearinghouse (${result.clearinghouseClaimId})`,
    actor,
    {
      frequencyCode,
      submission: d.submissions,
    },
  );
}

/** A front-end rejection never reached adjudication: correct and refile, no appeal rights. */
export async function reject(p: ClaimProcess, change: m.ClaimStatusChange): Promise<void> {
  const d = p.d;
  d.rejection = change;
  d.followUpAt = undefined;
  p.scheduleReminders('TIMELY_FILING', d.timelyFilingAt);
  await p.transition('NEEDS_CORRECTION', `rejected ${change.category}: ${change.message}`, undefined, {
    ...change,
  });
}

/** A biller corrected the claim: write the change, then refile it. */
export async function resubmitCorrected(p: ClaimProcess, input: m.ResubmitCorrectedInput): Promise<void> {
  const d = p.d;
  const applied = await store.applyCorrection({
    claimUuid: p.ref.claimUuid,
    changes: input.changes,
    actor: input.actor,
  });
  p.clearEscalation();
  // A rejected claim never reached adjudication: it is refiled as a new original (frequency 1).
  // An adjudicated one is replaced (frequency 7, REF*F8 with the payer's claim number).
  const frequency =
    d.status === 'HOLD' && d.scrubHold
      ? d.scrubHold.frequencyCode
      : d.status === 'NEEDS_REVIEW' && d.payerClaimNumber
        ? '7'
        : '1';
  d.denial = undefined;
  d.appealDeadline = undefined;
  d.reviewSlaAt = undefined;
  d.reminders = [];
  await p.transition('RESUBMITTED', input.reason, input, { changes: applied, frequencyCode: frequency });
  await submit(p, frequency, input);
}

/** No remittance in time: ask the payer (276/277) and act on its category. */
export async function followUp(p: ClaimProcess): Promise<void> {
  const d = p.d;
  d.followUpAt = undefined;
  d.followUps += 1;
  let status: Awaited<ReturnType<PayerActivities['claimStatusInquiry']>>;
  try {
    status = await payer.claimStatusInquiry({
      payerId: p.ref.payerId,
      patientControlNumber: p.ref.patientControlNumber,
    });
  } catch (err) {
    const refusal = payerRefusal(err);
    if (refusal === undefined) throw err;
    // 277 E-category equivalent: the inquiry itself was refused. Fix the data, re-ask next cycle.
    status = { category: 'E1', message: refusal, effectiveDate: isoDate(Date.now()) };
  }
  if (status.payerClaimNumber) d.payerClaimNumber = status.payerClaimNumber;
  const cat = normaliseStatusCategory(status.category);
  await p.record('STATUS_INQUIRY', {
    reason: `follow-up ${d.followUps}: ${cat} ${status.message}`,
    data: { category: cat, statusCode: status.statusCode, followUp: d.followUps },
  });
  switch (statusCategoryOutcome(cat)) {
    case 'NO_RECORD':
      if (Date.now() <= d.timelyFilingAt) {
        await p.transition(
          'RESUBMITTED',
          'payer has no record of the claim (277 A4); resubmitting within timely filing',
        );
        await submit(p, '1');
      } else {
        await p.escalate(
          'NO_RECORD_PAST_TIMELY_FILING',
          'payer has no record and the timely filing limit has passed',
        );
        d.denial = { ...p.syntheticDenial('TIMELY_FILING', ['29']) };
        await p.enterReview('payer has no record; timely filing passed');
      }
      return;
    case 'REJECTED':
      return reject(p, { category: cat, statusCode: status.statusCode, message: status.message });
    case 'DENIED': {
      d.denial = p.syntheticDenial('OTHER', []);
      d.firstDeniedAt ??= new Date().toISOString();
      d.appealDeadline = appealDeadlineFrom(
        p.rules,
        Date.parse(`${status.effectiveDate}T00:00:00Z`),
        1,
        p.deadlineZone(),
      );
      await p.enterReview(
        `payer reports ${cat === 'F2' ? 'a denial' : 'no payment forthcoming'}; the ERA will carry the reasons`,
      );
      return;
    }
    case 'INFORMATION_REQUESTED':
      d.denial = p.syntheticDenial('MISSING_INFORMATION', []);
      await p.enterReview(`payer requests information (${cat}): send documentation`);
      return;
    case 'KEEP_WAITING':
      d.followUpAt = addDays(Date.now(), p.rules.followUpDays);
      if (d.followUps >= p.rules.maxFollowUps) {
        await p.escalate(
          `FOLLOW_UPS_EXHAUSTED:${d.submissions}`,
          `${d.followUps} follow-ups without a remittance`,
        );
      }
      return;
  }
}

/** A 277 pushed by the clearinghouse: a front-end rejection moves a waiting claim; anything else is noted. */
export async function statusChanged(p: ClaimProcess, change: m.ClaimStatusChange): Promise<void> {
  const d = p.d;
  if (isFrontEndRejection(change.category)) {
    if (d.status === 'AWAITING_ADJUDICATION' || d.status === 'SUBMITTING') await reject(p, change);
    return;
  }
  const cat = normaliseStatusCategory(change.category);
  await p.record('CLAIM_STATUS', { reason: `${cat}: ${change.message}`, data: { ...change } });
}

/** A biller files a held claim as it is: the rule versions that held it are overridden, with the reason. */
export async function overrideClaimRules(p: ClaimProcess, input: m.OverrideClaimRulesInput): Promise<void> {
  const d = p.d;
  const hold = d.scrubHold;
  if (!hold) return;
  d.scrubOverrides = [...(d.scrubOverrides ?? []), ...hold.findings.map(overrideKey)];
  p.clearEscalation();
  d.reminders = [];
  await p.record('CLAIM_RULES_OVERRIDDEN', {
    actor: input,
    reason: input.reason,
    data: {
      rules: hold.findings.map((f) => ({ ruleKey: f.ruleKey, version: f.version, message: f.message })),
    },
  });
  await p.transition('SUBMITTING', `claim rules overridden: ${input.reason}`, input);
  await submit(p, hold.frequencyCode, input);
}
