/**
 * Every decision a person can make on a claim, each in one place: `refuse` says why the current state
 * forbids it (run by the update validator, so a refused decision never enters history, and again when
 * the decision is applied in turn), `apply` carries it out through the billing phases.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { isTerminal } from '../../domain/claim-status.js';
import { correctionError } from '../../domain/corrections.js';
import { isoDate } from '../../domain/dates.js';
import { deadlineOn, medicareCorrectionRoute, reopeningDeadline } from '../../domain/deadlines.js';
import { FailureType } from '../../domain/failures.js';
import * as m from '../messages.js';
import { appealDecided, fileAppeal } from './appeals.js';
import { changeHold, setupPaymentPlan, transferToPatient, writeOff } from './patient.js';
import type { ClaimProcess } from './process.js';
import { type ClaimData, PATIENT_STATES, shownDeadline } from './state.js';
import { overrideClaimRules, resubmitCorrected } from './submission.js';

/** Why a decision is refused, with the failure type the API maps (and the field, for a bad correction). */
export interface Refusal {
  message: string;
  type: typeof FailureType.DecisionRefused | typeof FailureType.InvalidCorrection;
  field?: string;
}

/** The input as it arrives from a client: any field may be missing or of the wrong type. */
type Unchecked = Record<string, unknown>;

interface Decision<I extends m.Actor> {
  update: UpdateDefinition<m.ClaimView, [I]>;
  /** Bookkeeping (notes, assignment) does not count as the claim's first action (docs/kpis.md). */
  bookkeeping?: true;
  /** The reason the state forbids the decision (a string is a plain refusal), or undefined. */
  refuse(d: ClaimData, input: Unchecked, now: number): Refusal | string | undefined;
  /** Applies the allowed decision; resolves to a reason (a string) only when the payer refuses it. */
  apply(p: ClaimProcess, input: I): Promise<unknown>;
}

function decision<I extends m.Actor>(d: Decision<I>): Decision<I> {
  return d;
}

const filled = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

function refuseHold(d: ClaimData, input: Unchecked, placing: boolean): string | undefined {
  if (!PATIENT_STATES.has(d.status)) return `holds apply to patient balances; the claim is ${d.status}`;
  const reason = input.reason as m.HoldReason;
  if (!m.HOLD_REASONS.includes(reason)) return `reason must be one of ${m.HOLD_REASONS.join(', ')}`;
  if (placing && d.holds.includes(reason)) return `a ${reason} hold is already in place`;
  if (!placing && !d.holds.includes(reason)) return `no ${reason} hold is in place`;
  return undefined;
}

/**
 * A correction of an adjudicated claim whose payer treats it as a reopening (Medicare: within one year
 * of the initial determination) is refused once that window ended, and steered to the appeal while the
 * appeal window is still open (docs/deadline-rules.md). Only end-of-day runs know the window.
 */
function reopeningRefusal(d: ClaimData, now: number): string | undefined {
  const window = d.rules?.reopeningWindow;
  if (!window || d.timeZone === undefined || d.status !== 'NEEDS_REVIEW' || !d.denial) return undefined;
  const initialDetermination = d.denial.deniedAt.slice(0, 10);
  const reopening = reopeningDeadline({
    initialDeterminationDate: initialDetermination,
    timeZone: d.timeZone,
    limit: window,
  });
  const a = d.appealDeadline;
  const appeal =
    a?.date !== undefined && d.denial.appealable
      ? deadlineOn(a.date, d.timeZone, { basis: 'remittance', date: a.noticeDate ?? initialDetermination })
      : undefined;
  const route = medicareCorrectionRoute(appeal ? { atMs: now, reopening, appeal } : { atMs: now, reopening });
  return route.allowed ? undefined : route.reason;
}

export const DECISIONS = {
  resubmitCorrected: decision<m.ResubmitCorrectedInput>({
    update: m.resubmitCorrectedUpdate,
    refuse(d, input, now) {
      if (d.status !== 'NEEDS_REVIEW' && d.status !== 'NEEDS_CORRECTION' && d.status !== 'HOLD')
        return `a corrected claim can be sent only from NEEDS_REVIEW, NEEDS_CORRECTION or HOLD, not ${d.status}`;
      if (d.denial?.category === 'DUPLICATE')
        return 'a duplicate denial is resolved by checking the original claim, not by resubmitting';
      if (now > d.timelyFilingAt && (d.status === 'NEEDS_CORRECTION' || d.status === 'HOLD'))
        return d.timeZone
          ? `the timely filing limit ended on ${shownDeadline(d, d.timelyFilingAt)}`
          : `the timely filing limit passed on ${isoDate(d.timelyFilingAt)}`;
      const reopening = reopeningRefusal(d, now);
      if (reopening) return reopening;
      if (!filled(input.reason)) return 'reason is required';
      // The one validation of a correction's content: the API maps this type to a 4xx naming the field.
      const bad = correctionError((input.changes ?? {}) as Unchecked);
      if (!bad) return undefined;
      const field = bad.field === 'changes' ? 'changes' : `changes.${bad.field}`;
      return { message: `changes.${bad.field} ${bad.message}`, type: FailureType.InvalidCorrection, field };
    },
    apply: resubmitCorrected,
  }),
  fileAppeal: decision<m.FileAppealInput>({
    update: m.fileAppealUpdate,
    refuse(d, input, now) {
      if (d.status !== 'NEEDS_REVIEW' || !d.denial)
        return `an appeal needs a denial in NEEDS_REVIEW, the claim is ${d.status}`;
      if (!d.denial.appealable) return `${d.denial.category} denials are not appealable`;
      if (!d.appealDeadline) return 'no appeal level remains for this claim';
      if (now > d.appealDeadline.at)
        return d.timeZone
          ? `the level ${d.appealDeadline.level} appeal deadline ended on ${shownDeadline(d, d.appealDeadline.at)}`
          : `the level ${d.appealDeadline.level} appeal deadline passed on ${isoDate(d.appealDeadline.at)}`;
      if (!filled(input.grounds)) return 'grounds are required';
      const attached =
        (Array.isArray(input.attachments) && input.attachments.length > 0) ||
        (Array.isArray(input.attachmentIds) && input.attachmentIds.length > 0);
      if (d.denial.category === 'TIMELY_FILING' && !attached)
        return 'a timely-filing appeal needs proof of timely filing attached';
      return undefined;
    },
    apply: fileAppeal,
  }),
  recordAppealDecision: decision<m.RecordAppealDecisionInput>({
    update: m.recordAppealDecisionUpdate,
    refuse(d, input) {
      if (d.status !== 'APPEALING') return `no appeal is pending (the claim is ${d.status})`;
      if (input.outcome !== 'overturned' && input.outcome !== 'upheld')
        return 'outcome must be overturned or upheld';
      return undefined;
    },
    apply: (p, input) => appealDecided(p, input, input),
  }),
  writeOff: decision<m.WriteOffInput>({
    update: m.writeOffUpdate,
    refuse(d, input) {
      const open = [
        'NEEDS_REVIEW',
        'NEEDS_CORRECTION',
        'HOLD',
        'PATIENT_BALANCE',
        'PAYMENT_PLAN',
        'AWAITING_PAYMENT',
      ];
      if (!open.includes(d.status)) return `nothing can be written off while the claim is ${d.status}`;
      if (typeof input.reasonCode !== 'string' || input.reasonCode === '') return 'reasonCode is required';
      return undefined;
    },
    apply: writeOff,
  }),
  transferToPatient: decision<m.TransferToPatientInput>({
    update: m.transferToPatientUpdate,
    refuse(d, input) {
      if (d.status !== 'NEEDS_REVIEW' || !d.denial)
        return `only a reviewed denial can be moved to the patient (the claim is ${d.status})`;
      if (d.denial.group === 'CO' && input.waiverOnFile !== true)
        return 'a CO (contractual) denial may not be billed to the patient without a signed waiver on file';
      return undefined;
    },
    apply: transferToPatient,
  }),
  overrideClaimRules: decision<m.OverrideClaimRulesInput>({
    update: m.overrideClaimRulesUpdate,
    refuse(d, input) {
      if (d.status !== 'HOLD' || !d.scrubHold)
        return `only a held claim can be filed over its rules (the claim is ${d.status})`;
      if (!filled(input.reason)) return 'a reason is required to override a claim rule';
      return undefined;
    },
    apply: overrideClaimRules,
  }),
  assign: decision<m.AssignInput>({
    update: m.assignUpdate,
    bookkeeping: true,
    refuse: (_d, input) =>
      input.assignee === null || typeof input.assignee === 'string'
        ? undefined
        : 'assignee must be a user id or null',
    async apply(p, input) {
      p.d.assignedTo = input.assignee ?? undefined;
      await p.record('ASSIGNED', { actor: input, reason: input.assignee ?? 'unassigned' });
    },
  }),
  addNote: decision<m.AddNoteInput>({
    update: m.addNoteUpdate,
    bookkeeping: true,
    refuse: (_d, input) => (filled(input.text) ? undefined : 'text is required'),
    async apply(p, input) {
      const notes = p.d.notes;
      notes.push({ at: new Date().toISOString(), actor: input.actor, text: input.text });
      if (notes.length > 100) notes.splice(0, notes.length - 100);
      await p.record('NOTE_ADDED', { actor: input, reason: input.text });
    },
  }),
  placeHold: decision<m.PlaceHoldInput>({
    update: m.placeHoldUpdate,
    refuse: (d, input) => refuseHold(d, input, true),
    apply: (p, input) => changeHold(p, input, true),
  }),
  releaseHold: decision<m.ReleaseHoldInput>({
    update: m.releaseHoldUpdate,
    refuse: (d, input) => refuseHold(d, input, false),
    apply: (p, input) => changeHold(p, input, false),
  }),
  setupPaymentPlan: decision<m.PaymentPlanInput>({
    update: m.setupPaymentPlanUpdate,
    refuse(d, input) {
      if (!PATIENT_STATES.has(d.status))
        return `a payment plan needs a patient balance; the claim is ${d.status}`;
      const cents = input.installmentCents;
      if (!(typeof cents === 'number' && Number.isInteger(cents) && cents > 0))
        return 'installmentCents must be a positive whole number';
      if (!(typeof input.intervalDays === 'number' && input.intervalDays >= 7))
        return 'intervalDays must be at least 7';
      return undefined;
    },
    apply: setupPaymentPlan,
  }),
};

export type DecisionName = keyof typeof DECISIONS;

/** Why the claim refuses decision `name` now: the checks every decision shares, then its own. */
export function refusal(name: DecisionName, d: ClaimData, raw: unknown, now: number): Refusal | undefined {
  const input = (raw ?? {}) as Unchecked;
  const plain = (message: string): Refusal => ({ message, type: FailureType.DecisionRefused });
  if (typeof input.actor !== 'string' || input.actor === '') return plain('actor is required');
  if (isTerminal(d.status) && name !== 'addNote') return plain(`the claim is closed (${d.status})`);
  // A decision made against a state the claim has left (another biller decided first) is refused.
  if (typeof input.expectedStatus === 'string' && input.expectedStatus !== d.status) {
    return plain(
      `the claim is ${d.status} now, not ${input.expectedStatus} as this decision expected: someone decided first; read the claim again`,
    );
  }
  const r = DECISIONS[name].refuse(d, input, now);
  return typeof r === 'string' ? plain(r) : r;
}

/** Applies an allowed decision; returns the payer's refusal when the payer refuses it. */
export async function applyDecision(
  p: ClaimProcess,
  name: DecisionName,
  input: unknown,
): Promise<Refusal | undefined> {
  const entry = DECISIONS[name] as Decision<m.Actor>;
  if (!entry.bookkeeping) p.d.firstActionAt ??= new Date().toISOString();
  const refused = await entry.apply(p, input as m.Actor);
  return typeof refused === 'string' ? { message: refused, type: FailureType.DecisionRefused } : undefined;
}
