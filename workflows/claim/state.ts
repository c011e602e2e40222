/**
 * A claim run's state as plain data (so continue-as-new can carry it), how a run starts (new, continued,
 * reopened from its Postgres row), and what is derived from it: balances, deadlines and the next timer
 * (the claim screen and the projection are in view.ts). Nothing here awaits or calls Temporal.
 */

import type { ClaimResumeRow } from '../../activities/types.js';
import { timelyFilingMatters } from '../../domain/claim-rules.js';
import type { ScrubFinding } from '../../domain/claim-scrubber.js';
import type { ClaimStatus } from '../../domain/claim-status.js';
import { addDays, isoDate } from '../../domain/dates.js';
import { appealDeadlineFor } from '../../domain/deadline-rules.js';
import { describeCountedFrom } from '../../domain/deadlines.js';
import type { PayerRules } from '../../domain/payer-rules.js';
import { localDateOf } from '../../domain/time-zones.js';
import type * as m from '../messages.js';

/** A reminder before a deadline, sent `offsetDays` before it (docs/deadlines.md). */
export interface Reminder {
  deadline: 'APPEAL' | 'TIMELY_FILING';
  deadlineAt: number;
  offsetDays: number;
  at: number;
  level?: number;
}

/** All state of a claim run: plain data, so it can be carried through continue-as-new. */
export interface ClaimData {
  status: ClaimStatus;
  /**
   * The payer rules in force. Absent only between the start of a new or reopened claim and its first
   * activity (which loads them); every phase runs after that load and reads them through the kernel.
   */
  rules?: PayerRules;
  payerClaimNumber?: string;
  frequencyCode: '1' | '7';
  chargeCents: number;
  paidCents: number;
  contractualCents: number;
  patientResponsibilityCents: number;
  patientPaidCents: number;
  writtenOffCents: number;
  denial?: m.DenialView;
  /**
   * An open underpayment against the contracted rates: `varianceCents` was moved out of the
   * contractual adjustment into the open balance (the payer owes it). Absent in runs recorded before
   * fee schedules existed.
   */
  underpayment?: { varianceCents: number; expectedCents: number; payerAllowedCents: number };
  rejection?: m.ClaimStatusChange;
  /** Held before submission: the claim-rule findings and the submission they stopped. */
  scrubHold?: { findings: ScrubFinding[]; frequencyCode: '1' | '7' };
  /** Rule versions (`key@version`) a biller overrode for this claim: they hold it no more. */
  scrubOverrides?: string[];
  appeals: m.AppealView[];
  timelyFilingAt: number;
  /** The timely filing deadline's date and clock start, when it ends at the end of a local day. */
  timelyFiling?: { date: string; countedFrom: string };
  appealDeadline?: AppealDeadline;
  /**
   * The practice time zone deadlines end in (docs/deadline-rules.md). Absent in runs recorded before
   * deadlines ended at 23:59:59.999 local: those keep 00:00 UTC of the date.
   */
  timeZone?: string;
  followUpAt?: number;
  appealFollowUpAt?: number;
  reviewSlaAt?: number;
  reminders: Reminder[];
  followUps: number;
  submissions: number;
  assignedTo?: string;
  escalated: boolean;
  escalations: string[];
  notes: { at: string; actor: string; text: string }[];
  decisions: m.DecisionRecord[];
  eventSeq: number;
  seenPostings: string[];
  submittedAt?: string;
  firstDeniedAt?: string;
  firstActionAt?: string;
  patientBalance?: m.PatientBalanceView & { started: boolean };
  holds: m.HoldReason[];
}

/** How a run begins: a new claim, the next run after continue-as-new, or a closed claim reopened. */
export type RunStart = 'NEW' | 'CONTINUED' | 'REOPENED';

/** The statuses in which the patient owes the rest and the dunning child may be running. */
export const PATIENT_STATES: ReadonlySet<ClaimStatus> = new Set(['PATIENT_BALANCE', 'PAYMENT_PLAN']);

/**
 * The state a run starts from: fresh for a new claim, the carried data after continue-as-new, or the
 * claim's Postgres row for a closed claim reopened by a late remittance (signal-with-start).
 */
export function initialState(
  claim: m.ClaimRef,
  resume: ClaimData | { fromRow: ClaimResumeRow } | undefined,
): { data: ClaimData; start: RunStart } {
  if (resume && !('fromRow' in resume)) return { data: resume, start: 'CONTINUED' };
  const base: ClaimData = {
    status: 'SUBMITTING',
    frequencyCode: '1',
    chargeCents: claim.totalChargeCents,
    paidCents: 0,
    contractualCents: 0,
    patientResponsibilityCents: 0,
    patientPaidCents: 0,
    writtenOffCents: 0,
    appeals: [],
    timelyFilingAt: 0,
    reminders: [],
    followUps: 0,
    submissions: 0,
    escalated: false,
    escalations: [],
    notes: [],
    decisions: [],
    eventSeq: 0,
    seenPostings: [],
    holds: [],
  };
  if (!resume) return { data: base, start: 'NEW' };
  const row = resume.fromRow;
  return {
    start: 'REOPENED',
    data: {
      ...base,
      status: row.status,
      payerClaimNumber: row.payerClaimNumber ?? undefined,
      frequencyCode: row.frequencyCode === '7' ? '7' : '1',
      paidCents: row.paidCents,
      contractualCents: row.adjustmentCents,
      patientResponsibilityCents: row.patientResponsibilityCents,
      patientPaidCents: row.patientPaidCents,
      writtenOffCents: row.writtenOffCents,
      assignedTo: row.assignedTo ?? undefined,
      eventSeq: row.lastEventSeq,
      submissions: row.submissions,
      seenPostings: row.seenPostings,
    },
  };
}

/** What is still owed on the claim by anyone. */
export function openBalance(d: ClaimData): number {
  return d.chargeCents - d.paidCents - d.contractualCents - d.writtenOffCents - d.patientPaidCents;
}

/** What the patient still owes. */
export function patientOpen(d: ClaimData): number {
  return Math.max(0, d.patientResponsibilityCents - d.patientPaidCents);
}

/** Timely filing binds until the payer has the claim: while it must be corrected and refiled. */
export function timelyFilingBinds(d: ClaimData, status: ClaimStatus = d.status): boolean {
  return timelyFilingMatters(status, d.denial);
}

/** The deadlines that bind the claim now, earliest first. */
export function deadlines(d: ClaimData): m.DeadlineView[] {
  const out: m.DeadlineView[] = [];
  if (timelyFilingBinds(d)) {
    const view: m.DeadlineView = { kind: 'TIMELY_FILING', at: new Date(d.timelyFilingAt).toISOString() };
    if (d.timelyFiling && d.timeZone) {
      view.date = d.timelyFiling.date;
      view.timeZone = d.timeZone;
      view.countedFrom = d.timelyFiling.countedFrom;
    }
    out.push(view);
  }
  const appeal = d.appealDeadline;
  if (appeal && d.status === 'NEEDS_REVIEW' && d.denial?.appealable) {
    const view: m.DeadlineView = {
      kind: 'APPEAL',
      at: new Date(appeal.at).toISOString(),
      level: appeal.level,
    };
    if (appeal.date && d.timeZone) {
      view.date = appeal.date;
      view.timeZone = d.timeZone;
      if (appeal.countedFrom) view.countedFrom = appeal.countedFrom;
    }
    out.push(view);
  }
  if (d.reviewSlaAt !== undefined && d.status === 'NEEDS_REVIEW') {
    out.push({ kind: 'REVIEW_SLA', at: new Date(d.reviewSlaAt).toISOString() });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

export function nextDeadlineMs(d: ClaimData): number | undefined {
  const first = deadlines(d)[0];
  return first ? Date.parse(first.at) : undefined;
}

/** An appeal deadline: its instant, level and, for end-of-day deadlines, the date and clock start shown. */
export interface AppealDeadline {
  at: number;
  level: number;
  date?: string;
  /** The notice date the window counts from (remittance or decision date). */
  noticeDate?: string;
  /** "counted from receipt on ... (presumed 5 days after the notice of ...)". */
  countedFrom?: string;
}

/**
 * The appeal deadline of `level` after a payer decision dated `decisionMs` (00:00 UTC of the notice
 * date), or none when the payer has no such level. With `timeZone` it ends at the end of its date
 * there and counts from the remittance or the presumed receipt as the rule says; without it (runs
 * recorded before) it is 00:00 UTC of notice date + presumption + window.
 */
export function appealDeadlineFrom(
  rules: PayerRules,
  decisionMs: number,
  level: number,
  timeZone?: string,
): AppealDeadline | undefined {
  if (timeZone !== undefined) {
    const noticeDate = isoDate(decisionMs);
    const dl = appealDeadlineFor({ rules, level, noticeDate, timeZone });
    if (!dl) return undefined;
    return {
      at: dl.endsAt,
      level,
      date: dl.date,
      noticeDate,
      countedFrom: describeCountedFrom(dl.countedFrom),
    };
  }
  const windowDays = rules.appealWindowDays[level - 1];
  if (windowDays === undefined) return undefined;
  return { at: addDays(decisionMs, rules.receiptPresumptionDays + windowDays), level };
}

/** The date a deadline instant is shown as: its local date for end-of-day deadlines, else its UTC date. */
export function deadlineDate(d: ClaimData, at: number): string {
  return d.timeZone !== undefined ? localDateOf(at, d.timeZone) : isoDate(at);
}

/** "2025-07-18 (end of day, America/New_York)", or the UTC date for runs recorded before. */
export function shownDeadline(d: ClaimData, at: number): string {
  return d.timeZone !== undefined ? `${deadlineDate(d, at)} (end of day, ${d.timeZone})` : isoDate(at);
}

/**
 * Everything the claim waits for on a clock, as data: the main loop sleeps until the earliest and hands
 * it back to the kernel, which switches on `kind`. No timer is ever identified by parsing a string.
 */
export type ClaimTimer =
  | { kind: 'FOLLOW_UP'; at: number }
  | { kind: 'APPEAL_FOLLOW_UP'; at: number }
  | { kind: 'REMINDER'; at: number; reminder: Reminder }
  | { kind: 'DEADLINE'; at: number; deadline: m.DeadlineView['kind'] };

/** The key under which a missed deadline escalates once (one key per deadline instance). */
export function missKey(d: ClaimData, kind: m.DeadlineView['kind']): string {
  const level = kind === 'APPEAL' ? `:${d.appealDeadline?.level}` : '';
  return `${kind}_MISSED${level}@${kind === 'REVIEW_SLA' ? d.reviewSlaAt : ''}`;
}

/** Every pending timer, earliest first (ties keep this order: follow-ups, reminders, deadlines). */
export function timers(d: ClaimData): ClaimTimer[] {
  const t: ClaimTimer[] = [];
  if (d.followUpAt !== undefined) t.push({ kind: 'FOLLOW_UP', at: d.followUpAt });
  if (d.appealFollowUpAt !== undefined) t.push({ kind: 'APPEAL_FOLLOW_UP', at: d.appealFollowUpAt });
  for (const r of d.reminders) t.push({ kind: 'REMINDER', at: r.at, reminder: r });
  for (const dl of deadlines(d)) {
    if (!d.escalations.includes(missKey(d, dl.kind)))
      t.push({ kind: 'DEADLINE', at: Date.parse(dl.at), deadline: dl.kind });
  }
  return t.sort((a, b) => a.at - b.at);
}

/** The timer's name on the claim screen (e.g. `REMINDER_APPEAL_14D`, `DEADLINE_REVIEW_SLA`). */
export function timerLabel(t: ClaimTimer): string {
  switch (t.kind) {
    case 'REMINDER':
      return `REMINDER_${t.reminder.deadline}_${t.reminder.offsetDays}D`;
    case 'DEADLINE':
      return `DEADLINE_${t.deadline}`;
    default:
      return t.kind;
  }
}
