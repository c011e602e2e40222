/**
 * The claim workflow: one run per claim from submission to the last cent collected or written off.
 * Waiting is durable timers computed from payer rules, outside facts arrive as signals, people act through
 * validated updates. Every input is turned into a command and applied by the single main loop, so no two
 * handlers ever interleave around an activity call.
 */
import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { ClaimProjection, ClaimResumeRow } from '../activities/types.js';
import { ruleFor } from '../domain/carc.js';
import { type ClaimStatus, isTerminal } from '../domain/claim-status.js';
import { correctionError } from '../domain/corrections.js';
import { addDays, DAY, daysUntil, isoDate } from '../domain/dates.js';
import type { PayerRules } from '../domain/payer-rules.js';
import { denialPriority } from '../domain/priority.js';
import { assessRemittance, type RemittanceSummary } from '../domain/remittance.js';
import { patientBalanceWorkflowId } from './ids.js';
import * as m from './messages.js';
import { patientBalanceWorkflow } from './patient-balance.js';
import {
  AssignedToKey,
  ClaimStatusKey,
  DenialCategoryKey,
  EscalatedKey,
  NextDeadlineKey,
  OpenBalanceCentsKey,
} from './search-attributes.js';
import { waitFor } from './wait.js';

type Activities = ReturnType<typeof createActivities>;

/** Database and bookkeeping activities: short, retried with backoff until they succeed. */
const store = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m' },
});
/**
 * Payer calls: retried without limit so that an outage is ridden out; the gateway marks payer 4xx
 * answers non-retryable, and the idempotency key made here keeps a retried submission single.
 */
const payer = wf.proxyActivities<Activities>({
  startToCloseTimeout: '45s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10m' },
});
/** Notifications: delivery is best effort after the outbox row exists; a dead webhook must not stall a claim. */
const notifier = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 8 },
});

export interface ClaimWorkflowInput {
  claim: m.ClaimRef;
  /** Present when continuing as new, or when a closed claim is reopened from its Postgres row. */
  resume?: ClaimData | { fromRow: ClaimResumeRow };
  /** Continue as new past this many history events even if the server has not suggested it. */
  historyBudget?: number;
}

interface Reminder {
  deadline: 'APPEAL' | 'TIMELY_FILING';
  deadlineAt: number;
  offsetDays: number;
  at: number;
  level?: number;
}

/** All state of a claim run: plain data, so it can be carried through continue-as-new. */
export interface ClaimData {
  status: ClaimStatus;
  rules: PayerRules;
  payerClaimNumber?: string;
  frequencyCode: '1' | '7';
  chargeCents: number;
  paidCents: number;
  contractualCents: number;
  patientResponsibilityCents: number;
  patientPaidCents: number;
  writtenOffCents: number;
  denial?: m.DenialView;
  rejection?: m.ClaimStatusChange;
  appeals: m.AppealView[];
  timelyFilingAt: number;
  appealDeadline?: { at: number; level: number };
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

type Command =
  | { kind: 'remittance'; remittance: RemittanceSummary }
  | { kind: 'patientPayment'; payment: m.PatientPayment }
  | { kind: 'appealDecision'; decision: m.AppealDecision; actor: m.Actor }
  | { kind: 'statusChanged'; change: m.ClaimStatusChange }
  | { kind: 'rulesChanged' }
  | { kind: 'patientBalanceClosed'; result: PatientBalanceResult }
  | { kind: 'patientBalanceProgress'; view: m.PatientBalanceView }
  | { kind: 'update'; id: number; name: UpdateName; input: unknown };

type UpdateName =
  | 'resubmitCorrected'
  | 'fileAppeal'
  | 'recordAppealDecision'
  | 'writeOff'
  | 'transferToPatient'
  | 'assign'
  | 'addNote'
  | 'placeHold'
  | 'releaseHold'
  | 'setupPaymentPlan';

export interface PatientBalanceResult {
  outcome: 'PAID' | 'COLLECTIONS' | 'WRITTEN_OFF';
  balanceCents: number;
  statementsSent: number;
}

/** Sent by the patient-balance child to its parent when dunning ends (the parent may have continued as new). */
export const patientBalanceClosedSignal = wf.defineSignal<[PatientBalanceResult]>('patientBalanceClosed');
export const patientBalanceProgressSignal = wf.defineSignal<[m.PatientBalanceView]>('patientBalanceProgress');

const RESUBMIT_ACTIONS = new Set([
  'CORRECT_AND_RESUBMIT',
  'READ_REMARK_AND_RESUBMIT',
  'VERIFY_ELIGIBILITY_AND_REBILL',
  'FIX_ENROLLMENT_AND_REBILL',
  'BILL_CORRECT_PAYER',
]);
const DEFAULT_HISTORY_BUDGET = 4_000;
const PATIENT_STATES: ReadonlySet<ClaimStatus> = new Set(['PATIENT_BALANCE', 'PAYMENT_PLAN']);

/** The payer's message when an activity failed because the payer refused the request (4xx). */
function payerRefusal(err: unknown): string | undefined {
  if (
    err instanceof wf.ActivityFailure &&
    err.cause instanceof wf.ApplicationFailure &&
    err.cause.type === 'PayerRejected'
  ) {
    return err.cause.message;
  }
  return undefined;
}

class ClaimProcess {
  private readonly queue: Command[] = [];
  private readonly done = new Map<number, string | undefined>();
  private nextUpdateId = 1;

  constructor(
    readonly ref: m.ClaimRef,
    readonly d: ClaimData,
  ) {}

  get workflowId(): string {
    return wf.workflowInfo().workflowId;
  }

  // ---------- views ----------

  openBalance(): number {
    const d = this.d;
    return d.chargeCents - d.paidCents - d.contractualCents - d.writtenOffCents - d.patientPaidCents;
  }

  patientOpen(): number {
    return Math.max(0, this.d.patientResponsibilityCents - this.d.patientPaidCents);
  }

  deadlines(): m.DeadlineView[] {
    const d = this.d;
    const out: m.DeadlineView[] = [];
    if (this.timelyFilingMatters())
      out.push({ kind: 'TIMELY_FILING', at: new Date(d.timelyFilingAt).toISOString() });
    if (d.appealDeadline && d.status === 'NEEDS_REVIEW' && d.denial?.appealable) {
      out.push({
        kind: 'APPEAL',
        at: new Date(d.appealDeadline.at).toISOString(),
        level: d.appealDeadline.level,
      });
    }
    if (d.reviewSlaAt !== undefined && d.status === 'NEEDS_REVIEW') {
      out.push({ kind: 'REVIEW_SLA', at: new Date(d.reviewSlaAt).toISOString() });
    }
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Timely filing binds until the payer has the claim: while it must be corrected and refiled. */
  timelyFilingMatters(): boolean {
    const d = this.d;
    if (d.status === 'NEEDS_CORRECTION' || d.status === 'SUBMITTING') return true;
    return d.status === 'NEEDS_REVIEW' && !!d.denial && RESUBMIT_ACTIONS.has(d.denial.action);
  }

  nextDeadlineMs(): number | undefined {
    const first = this.deadlines()[0];
    return first ? Date.parse(first.at) : undefined;
  }

  priority(): number {
    const d = this.d;
    if (d.status !== 'NEEDS_REVIEW' && d.status !== 'NEEDS_CORRECTION') return 0;
    const deadline = this.nextDeadlineMs();
    return denialPriority({
      amountCents: d.denial?.deniedCents ?? this.openBalance(),
      category: d.denial?.category ?? 'MISSING_INFORMATION',
      daysToDeadline: deadline === undefined ? undefined : daysUntil(Date.now(), deadline),
    });
  }

  timers(): { kind: string; at: number }[] {
    const d = this.d;
    const t: { kind: string; at: number }[] = [];
    if (d.followUpAt !== undefined) t.push({ kind: 'FOLLOW_UP', at: d.followUpAt });
    if (d.appealFollowUpAt !== undefined) t.push({ kind: 'APPEAL_FOLLOW_UP', at: d.appealFollowUpAt });
    for (const r of d.reminders) t.push({ kind: `REMINDER_${r.deadline}_${r.offsetDays}D`, at: r.at });
    for (const dl of this.deadlines()) {
      const at = Date.parse(dl.at);
      const already = d.escalations.includes(this.missKey(dl.kind));
      if (!already) t.push({ kind: `DEADLINE_${dl.kind}`, at });
    }
    return t.sort((a, b) => a.at - b.at);
  }

  missKey(kind: m.DeadlineView['kind']): string {
    const level = kind === 'APPEAL' ? `:${this.d.appealDeadline?.level}` : '';
    return `${kind}_MISSED${level}@${kind === 'REVIEW_SLA' ? this.d.reviewSlaAt : ''}`;
  }

  view(): m.ClaimView {
    const d = this.d;
    const next = this.timers()[0];
    const deadline = this.nextDeadlineMs();
    return {
      workflowId: this.workflowId,
      claim: this.ref,
      status: d.status,
      payerClaimNumber: d.payerClaimNumber,
      balances: {
        chargeCents: d.chargeCents,
        paidCents: d.paidCents,
        contractualCents: d.contractualCents,
        patientResponsibilityCents: d.patientResponsibilityCents,
        patientPaidCents: d.patientPaidCents,
        writtenOffCents: d.writtenOffCents,
        deniedCents: d.denial?.deniedCents ?? 0,
        openBalanceCents: this.openBalance(),
      },
      denial: d.denial,
      rejection: d.rejection,
      appeals: d.appeals,
      deadlines: this.deadlines(),
      nextDeadline: deadline === undefined ? undefined : new Date(deadline).toISOString(),
      nextTimer: next ? { kind: next.kind, at: new Date(next.at).toISOString() } : undefined,
      followUps: d.followUps,
      submissions: d.submissions,
      assignedTo: d.assignedTo,
      escalated: d.escalated,
      escalations: d.escalations,
      priority: this.priority(),
      notes: d.notes,
      decisions: d.decisions,
      patientBalance: d.patientBalance
        ? {
            status: d.patientBalance.status,
            balanceCents: d.patientBalance.balanceCents,
            statementsSent: d.patientBalance.statementsSent,
            holds: d.holds,
            nextActionAt: d.patientBalance.nextActionAt,
          }
        : undefined,
      rules: d.rules,
    };
  }

  // ---------- handlers ----------

  registerHandlers(): void {
    wf.setHandler(m.stateQuery, () => this.view());
    wf.setHandler(m.remittanceReceivedSignal, (remittance) =>
      this.enqueue({ kind: 'remittance', remittance }),
    );
    wf.setHandler(m.patientPaymentReceivedSignal, (payment) =>
      this.enqueue({ kind: 'patientPayment', payment }),
    );
    wf.setHandler(m.appealDecisionReceivedSignal, (decision) =>
      this.enqueue({ kind: 'appealDecision', decision, actor: { actor: 'payer' } }),
    );
    wf.setHandler(m.claimStatusChangedSignal, (change) => this.enqueue({ kind: 'statusChanged', change }));
    wf.setHandler(m.payerRulesChangedSignal, () => this.enqueue({ kind: 'rulesChanged' }));
    wf.setHandler(patientBalanceClosedSignal, (result) =>
      this.enqueue({ kind: 'patientBalanceClosed', result }),
    );
    wf.setHandler(patientBalanceProgressSignal, (view) =>
      this.enqueue({ kind: 'patientBalanceProgress', view }),
    );

    const updates: [
      UpdateDefinition<m.ClaimView, [never]> | UpdateDefinition<m.ClaimView, [m.Actor]>,
      UpdateName,
    ][] = [
      [m.resubmitCorrectedUpdate, 'resubmitCorrected'],
      [m.fileAppealUpdate, 'fileAppeal'],
      [m.recordAppealDecisionUpdate, 'recordAppealDecision'],
      [m.writeOffUpdate, 'writeOff'],
      [m.transferToPatientUpdate, 'transferToPatient'],
      [m.assignUpdate, 'assign'],
      [m.addNoteUpdate, 'addNote'],
      [m.placeHoldUpdate, 'placeHold'],
      [m.releaseHoldUpdate, 'releaseHold'],
      [m.setupPaymentPlanUpdate, 'setupPaymentPlan'],
    ];
    for (const [def, name] of updates) {
      // Every decision goes through the same queue; the per-update input types are checked by refusal().
      wf.setHandler(
        def as unknown as UpdateDefinition<m.ClaimView, [unknown]>,
        async (input: unknown) => {
          const id = this.nextUpdateId++;
          this.enqueue({ kind: 'update', id, name, input });
          await wf.condition(() => this.done.has(id));
          const refusal = this.done.get(id);
          this.done.delete(id);
          if (refusal) throw wf.ApplicationFailure.nonRetryable(refusal, 'DecisionRefused');
          return this.view();
        },
        {
          validator: (input: unknown) => {
            const refusal = this.refusal(name, input);
            if (refusal) throw new Error(refusal);
          },
        },
      );
    }
  }

  enqueue(c: Command): void {
    this.queue.push(c);
  }

  /** Why the current state forbids a decision, or undefined when it is allowed. Checked twice: in the
   * update validator (nothing enters history) and again when the command is applied. */
  refusal(name: UpdateName, raw: unknown): string | undefined {
    const d = this.d;
    const now = Date.now();
    const input = (raw ?? {}) as Record<string, unknown>;
    if (typeof input.actor !== 'string' || input.actor === '') return 'actor is required';
    if (isTerminal(d.status) && name !== 'addNote') return `the claim is closed (${d.status})`;
    switch (name) {
      case 'resubmitCorrected': {
        if (d.status !== 'NEEDS_REVIEW' && d.status !== 'NEEDS_CORRECTION') {
          return `a corrected claim can be sent only from NEEDS_REVIEW or NEEDS_CORRECTION, not ${d.status}`;
        }
        if (d.denial?.category === 'DUPLICATE')
          return 'a duplicate denial is resolved by checking the original claim, not by resubmitting';
        if (now > d.timelyFilingAt && d.status === 'NEEDS_CORRECTION') {
          return `the timely filing limit passed on ${isoDate(d.timelyFilingAt)}`;
        }
        if (typeof input.reason !== 'string' || input.reason.trim() === '') return 'reason is required';
        const bad = correctionError((input.changes ?? {}) as Record<string, unknown>);
        return bad ? `changes.${bad.field} ${bad.message}` : undefined;
      }
      case 'fileAppeal': {
        if (d.status !== 'NEEDS_REVIEW' || !d.denial)
          return `an appeal needs a denial in NEEDS_REVIEW, the claim is ${d.status}`;
        if (!d.denial.appealable) return `${d.denial.category} denials are not appealable`;
        if (!d.appealDeadline) return 'no appeal level remains for this claim';
        if (now > d.appealDeadline.at) {
          return `the level ${d.appealDeadline.level} appeal deadline passed on ${isoDate(d.appealDeadline.at)}`;
        }
        if (typeof input.grounds !== 'string' || input.grounds.trim() === '') return 'grounds are required';
        if (
          d.denial.category === 'TIMELY_FILING' &&
          !(Array.isArray(input.attachments) && input.attachments.length > 0)
        ) {
          return 'a timely-filing appeal needs proof of timely filing attached';
        }
        return undefined;
      }
      case 'recordAppealDecision':
        if (d.status !== 'APPEALING') return `no appeal is pending (the claim is ${d.status})`;
        if (input.outcome !== 'overturned' && input.outcome !== 'upheld')
          return 'outcome must be overturned or upheld';
        return undefined;
      case 'writeOff':
        if (
          ![
            'NEEDS_REVIEW',
            'NEEDS_CORRECTION',
            'PATIENT_BALANCE',
            'PAYMENT_PLAN',
            'AWAITING_PAYMENT',
          ].includes(d.status)
        ) {
          return `nothing can be written off while the claim is ${d.status}`;
        }
        if (typeof input.reasonCode !== 'string' || input.reasonCode === '') return 'reasonCode is required';
        return undefined;
      case 'transferToPatient':
        if (d.status !== 'NEEDS_REVIEW' || !d.denial)
          return `only a reviewed denial can be moved to the patient (the claim is ${d.status})`;
        if (d.denial.group === 'CO' && input.waiverOnFile !== true) {
          return 'a CO (contractual) denial may not be billed to the patient without a signed waiver on file';
        }
        return undefined;
      case 'assign':
        return input.assignee === null || typeof input.assignee === 'string'
          ? undefined
          : 'assignee must be a user id or null';
      case 'addNote':
        return typeof input.text === 'string' && input.text.trim() !== '' ? undefined : 'text is required';
      case 'placeHold':
      case 'releaseHold': {
        if (!PATIENT_STATES.has(d.status)) return `holds apply to patient balances; the claim is ${d.status}`;
        const reason = input.reason as m.HoldReason;
        if (!m.HOLD_REASONS.includes(reason)) return `reason must be one of ${m.HOLD_REASONS.join(', ')}`;
        if (name === 'placeHold' && d.holds.includes(reason)) return `a ${reason} hold is already in place`;
        if (name === 'releaseHold' && !d.holds.includes(reason)) return `no ${reason} hold is in place`;
        return undefined;
      }
      case 'setupPaymentPlan': {
        if (!PATIENT_STATES.has(d.status))
          return `a payment plan needs a patient balance; the claim is ${d.status}`;
        const cents = input.installmentCents;
        if (!(typeof cents === 'number' && Number.isInteger(cents) && cents > 0))
          return 'installmentCents must be a positive whole number';
        if (!(typeof input.intervalDays === 'number' && input.intervalDays >= 7))
          return 'intervalDays must be at least 7';
        return undefined;
      }
    }
  }

  // ---------- bookkeeping ----------

  projection(): ClaimProjection {
    const d = this.d;
    const deadline = this.nextDeadlineMs();
    return {
      status: d.status,
      denialCategory: d.denial?.category ?? null,
      recommendedAction: d.denial?.action ?? null,
      assignedTo: d.assignedTo ?? null,
      escalated: d.escalated,
      priority: this.priority(),
      nextDeadline: deadline === undefined ? null : new Date(deadline).toISOString(),
      payerClaimNumber: d.payerClaimNumber ?? null,
      frequencyCode: d.frequencyCode,
      paidCents: d.paidCents,
      adjustmentCents: d.contractualCents,
      patientResponsibilityCents: d.patientResponsibilityCents,
      patientPaidCents: d.patientPaidCents,
      writtenOffCents: d.writtenOffCents,
      openBalanceCents: this.openBalance(),
      submittedAt: d.submittedAt,
      firstDeniedAt: d.firstDeniedAt,
      firstActionAt: d.firstActionAt,
      closedAt: isTerminal(d.status) ? new Date().toISOString() : null,
    };
  }

  publishSearchAttributes(): void {
    const d = this.d;
    const deadline = this.nextDeadlineMs();
    wf.upsertSearchAttributes([
      { key: ClaimStatusKey, value: d.status },
      { key: DenialCategoryKey, value: d.denial?.category ?? null },
      { key: AssignedToKey, value: d.assignedTo ?? null },
      { key: NextDeadlineKey, value: deadline === undefined ? null : new Date(deadline) },
      { key: OpenBalanceCentsKey, value: this.openBalance() },
      { key: EscalatedKey, value: d.escalated },
    ]);
  }

  /** Writes one audit event (with the claims-row projection) and refreshes the search attributes. */
  async record(
    kind: string,
    opts: {
      actor?: m.Actor;
      from?: ClaimStatus | null;
      reason?: string;
      data?: Record<string, unknown>;
    } = {},
  ): Promise<void> {
    const d = this.d;
    d.eventSeq += 1;
    const actor = opts.actor?.actor ?? 'system';
    if (actor !== 'system' && actor !== 'payer') {
      d.decisions.push({ at: new Date().toISOString(), actor, kind, detail: opts.reason });
      if (d.decisions.length > 200) d.decisions.splice(0, d.decisions.length - 200);
    }
    this.publishSearchAttributes();
    await store.recordClaimEvent({
      eventKey: `${this.ref.claimUuid}:${d.eventSeq}`,
      claimUuid: this.ref.claimUuid,
      practiceId: this.ref.practiceId,
      at: new Date().toISOString(),
      actor,
      kind,
      fromStatus: opts.from === undefined ? d.status : opts.from,
      toStatus: d.status,
      reason: opts.reason,
      data: opts.data,
      requestId: opts.actor?.requestId,
      projection: this.projection(),
    });
  }

  async transition(
    to: ClaimStatus,
    reason: string,
    actor?: m.Actor,
    data?: Record<string, unknown>,
  ): Promise<void> {
    const from = this.d.status;
    this.d.status = to;
    wf.log.info('claim transition', { claimId: this.ref.claimId, from, to });
    await this.record('STATUS_CHANGED', { from, reason, actor, data });
  }

  async notify(
    channel: 'practice' | 'supervisor',
    kind: string,
    dedupe: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    try {
      await notifier.notify({
        dedupeKey: `${this.ref.claimUuid}:${dedupe}`,
        practiceId: this.ref.practiceId,
        claimUuid: this.ref.claimUuid,
        channel,
        kind,
        payload: {
          ...payload,
          claimId: this.ref.claimId,
          workflowId: this.workflowId,
          status: this.d.status,
        },
      });
    } catch (err) {
      // The outbox row is written before delivery is attempted, so a failed webhook is visible and
      // re-deliverable from Postgres; the claim itself moves on.
      wf.log.warn('notification delivery failed', { kind, error: String(err) });
    }
  }

  async escalate(key: string, reason: string): Promise<void> {
    const d = this.d;
    if (d.escalations.includes(key)) return;
    d.escalations.push(key);
    d.escalated = true;
    await this.record('ESCALATED', { reason, data: { key } });
    await this.notify('supervisor', 'ESCALATION', `escalation:${key}`, { reason });
  }

  clearEscalation(): void {
    this.d.escalated = false;
  }

  async reloadRules(): Promise<void> {
    this.d.rules = await store.loadPayerRules({
      payerId: this.ref.payerId,
      practiceId: this.ref.practiceId,
      asOf: isoDate(Date.now()),
    });
    this.d.timelyFilingAt = addDays(
      Date.parse(`${this.ref.dateOfService}T00:00:00Z`),
      this.d.rules.timelyFilingDays,
    );
  }

  scheduleReminders(deadline: Reminder['deadline'], deadlineAt: number, level?: number): void {
    const now = Date.now();
    this.d.reminders = this.d.reminders.filter((r) => r.deadline !== deadline);
    for (const offsetDays of this.d.rules.reminderOffsetsDays) {
      const at = deadlineAt - offsetDays * DAY;
      if (at > now) this.d.reminders.push({ deadline, deadlineAt, offsetDays, at, level });
    }
  }

  // ---------- phases ----------

  async submit(frequencyCode: '1' | '7', actor?: m.Actor): Promise<void> {
    const d = this.d;
    d.submissions += 1;
    d.frequencyCode = frequencyCode;
    // Made here, not in the activity: every retry of this submission carries the same key.
    const idempotencyKey = `${this.ref.claimUuid}:submission:${d.submissions}`;
    let result: Awaited<ReturnType<Activities['submitClaim']>>;
    try {
      result = await payer.submitClaim({ claimUuid: this.ref.claimUuid, idempotencyKey, frequencyCode });
    } catch (err) {
      const refusal = payerRefusal(err);
      if (refusal === undefined) throw err;
      // The clearinghouse refused the request itself: same remedy as a front-end rejection.
      await this.reject({ category: 'A7', statusCode: '21', message: refusal });
      return;
    }
    d.submittedAt ??= new Date().toISOString();
    if (result.status === 'accepted') {
      d.rejection = undefined;
      d.followUps = 0;
      d.followUpAt = addDays(Date.now(), d.rules.followUpDays);
      d.reminders = d.reminders.filter((r) => r.deadline !== 'TIMELY_FILING');
      await this.transition(
        'AWAITING_ADJUDICATION',
        `accepted by the clearinghouse (${result.clearinghouseClaimId})`,
        actor,
        {
          frequencyCode,
          submission: d.submissions,
        },
      );
    } else {
      await this.reject({
        category: result.category,
        statusCode: result.statusCode,
        message: result.message,
        field: result.field,
      });
    }
  }

  /** A front-end rejection never reached adjudication: correct and refile, no appeal rights. */
  async reject(change: m.ClaimStatusChange): Promise<void> {
    const d = this.d;
    d.rejection = change;
    d.followUpAt = undefined;
    this.scheduleReminders('TIMELY_FILING', d.timelyFilingAt);
    await this.transition('NEEDS_CORRECTION', `rejected ${change.category}: ${change.message}`, undefined, {
      ...change,
    });
  }

  async enterReview(reason: string): Promise<void> {
    const d = this.d;
    d.followUpAt = undefined;
    d.appealFollowUpAt = undefined;
    d.reviewSlaAt = addDays(Date.now(), d.rules.reviewSlaDays);
    d.reminders = [];
    if (d.denial?.appealable && d.appealDeadline)
      this.scheduleReminders('APPEAL', d.appealDeadline.at, d.appealDeadline.level);
    if (this.timelyFilingMattersIn('NEEDS_REVIEW')) this.scheduleReminders('TIMELY_FILING', d.timelyFilingAt);
    await this.transition('NEEDS_REVIEW', reason, undefined, { denial: d.denial });
  }

  timelyFilingMattersIn(status: ClaimStatus): boolean {
    const saved = this.d.status;
    this.d.status = status;
    const matters = this.timelyFilingMatters();
    this.d.status = saved;
    return matters;
  }

  /** Insurance is done: the patient owes the rest, or the claim is settled. */
  async settle(reason: string, actor?: m.Actor): Promise<void> {
    const d = this.d;
    d.followUpAt = undefined;
    d.appealFollowUpAt = undefined;
    d.reminders = [];
    d.reviewSlaAt = undefined;
    if (this.patientOpen() > 0) {
      await this.startPatientBalance(reason, actor);
    } else if (this.openBalance() <= 0) {
      await this.transition('PAID', reason, actor);
    } else {
      // Something is still open and nobody owes it: write it off explicitly rather than drop it.
      const rest = this.openBalance();
      d.writtenOffCents += rest;
      await this.transition('WRITTEN_OFF', `${reason}; remaining ${rest} cents written off`, actor);
    }
  }

  async startPatientBalance(reason: string, actor?: m.Actor): Promise<void> {
    const d = this.d;
    d.patientBalance = {
      status: 'DUNNING',
      balanceCents: this.patientOpen(),
      statementsSent: 0,
      holds: [],
      started: false,
    };
    await this.transition('PATIENT_BALANCE', reason, actor, { patientOwesCents: this.patientOpen() });
    await wf.startChild(patientBalanceWorkflow, {
      workflowId: patientBalanceWorkflowId(this.ref.practiceId, this.ref.claimId),
      // The child outlives a continue-as-new of this run and reports back by signal to the workflow id.
      parentClosePolicy: wf.ParentClosePolicy.ABANDON,
      args: [
        {
          claim: this.ref,
          parentWorkflowId: this.workflowId,
          balanceCents: this.patientOpen(),
          rules: d.rules,
          holds: d.holds,
        },
      ],
    });
    d.patientBalance.started = true;
  }

  childHandle() {
    return wf.getExternalWorkflowHandle(patientBalanceWorkflowId(this.ref.practiceId, this.ref.claimId));
  }

  // ---------- command handling ----------

  async apply(c: Command): Promise<void> {
    switch (c.kind) {
      case 'remittance':
        return this.onRemittance(c.remittance);
      case 'patientPayment':
        return this.onPatientPayment(c.payment);
      case 'appealDecision':
        if (this.d.status !== 'APPEALING') {
          await this.record('APPEAL_DECISION_IGNORED', {
            reason: `received in ${this.d.status}`,
            data: { ...c.decision },
          });
          return;
        }
        return this.onAppealDecision(c.decision, c.actor);
      case 'statusChanged':
        return this.onStatusChanged(c.change);
      case 'rulesChanged':
        return this.onRulesChanged();
      case 'patientBalanceClosed':
        return this.onPatientBalanceClosed(c.result);
      case 'patientBalanceProgress':
        return this.onPatientBalanceProgress(c.view);
      case 'update': {
        const refusal = this.refusal(c.name, c.input) ?? (await this.decide(c.name, c.input));
        this.done.set(c.id, refusal);
        return;
      }
    }
  }

  async onRemittance(r: RemittanceSummary): Promise<void> {
    const d = this.d;
    if (d.seenPostings.includes(r.postingKey)) return;
    d.seenPostings.push(r.postingKey);
    if (d.seenPostings.length > 100) d.seenPostings.splice(0, d.seenPostings.length - 100);
    if (r.payerClaimNumber) d.payerClaimNumber = r.payerClaimNumber;
    const outcome = assessRemittance(r);
    const data = {
      postingKey: r.postingKey,
      traceNumber: r.traceNumber,
      statusCode: r.statusCode,
      paidCents: r.paidCents,
    };

    if (outcome.kind === 'INFORMATIONAL') {
      await this.record('REMITTANCE_INFORMATIONAL', { reason: outcome.reason, data });
      return;
    }
    if (outcome.kind === 'REVERSAL') {
      // CLP02=22 carries the negated amounts of the original posting: add them to undo it.
      d.paidCents += outcome.paidCents;
      d.contractualCents += outcome.contractualCents;
      d.patientResponsibilityCents = Math.max(
        0,
        d.patientResponsibilityCents + outcome.patientResponsibilityCents,
      );
      d.denial = undefined;
      d.followUps = 0;
      d.followUpAt = addDays(Date.now(), d.rules.followUpDays);
      if (PATIENT_STATES.has(d.status) && d.patientBalance?.started) {
        // Never bill the patient while insurance is pending again.
        await this.childHandle().cancel();
        d.patientBalance = undefined;
      }
      if (d.paidCents > 0 && this.openBalance() <= 0) {
        // The corrected repost was applied before this reversal (same ERA, or out of order): settled.
        await this.record('REMITTANCE_REVERSED', {
          reason: `reversal applied after its repost (trace ${r.traceNumber})`,
          data,
        });
        await this.settle('reversal and repost both applied', { actor: 'payer' });
        return;
      }
      if (d.status === 'AWAITING_ADJUDICATION') {
        // The reversal of a replaced claim: the claim already waits for the new adjudication.
        await this.record('REMITTANCE_REVERSED', {
          reason: `payer reversed its payment (trace ${r.traceNumber})`,
          data,
        });
        return;
      }
      await this.transition(
        'AWAITING_ADJUDICATION',
        `payer reversed its payment (trace ${r.traceNumber}); awaiting the repost`,
        { actor: 'payer' },
        data,
      );
      return;
    }

    d.paidCents += outcome.paidCents;
    d.contractualCents += outcome.contractualCents;
    d.patientResponsibilityCents = outcome.patientResponsibilityCents;
    if (!outcome.denial) {
      const pending = d.appeals[d.appeals.length - 1];
      if (d.status === 'APPEALING' && pending?.status === 'pending') {
        // Payment on an appealed claim is the payer's overturn, even before its letter arrives.
        pending.status = 'overturned';
        pending.decidedAt = new Date().toISOString();
        d.appealFollowUpAt = undefined;
        await store.recordAppealDecision({
          claimUuid: this.ref.claimUuid,
          level: pending.level,
          outcome: 'overturned',
          reason: 'paid on remittance',
          decidedAt: pending.decidedAt,
        });
      }
      d.denial = undefined;
      await this.record('REMITTANCE_POSTED', { reason: `paid ${outcome.paidCents} cents`, data });
      await this.settle(
        `adjudicated: paid ${outcome.paidCents}, contractual ${outcome.contractualCents}, patient ${outcome.patientResponsibilityCents}`,
        {
          actor: 'payer',
        },
      );
      return;
    }

    const deniedAt = Date.parse(`${r.paymentDate}T00:00:00Z`);
    const firstLevel = d.appeals.length === 0 ? 1 : d.appeals[d.appeals.length - 1]!.level + 1;
    d.denial = { ...outcome.denial, deniedAt: new Date(deniedAt).toISOString() };
    d.firstDeniedAt ??= new Date().toISOString();
    d.appealDeadline = this.appealDeadlineFrom(deniedAt, firstLevel);
    await this.record('REMITTANCE_POSTED', {
      reason: `denied ${outcome.denial.deniedCents} cents (${outcome.denial.carcs.join(',')})`,
      data,
    });
    await this.transition(
      outcome.paidCents > 0 ? 'PARTIAL' : 'DENIED',
      `CARC ${outcome.denial.carcs.join(',')} (${outcome.denial.category})`,
      {
        actor: 'payer',
      },
    );
    await this.enterReview(`denial needs review: ${ruleFor(outcome.denial.category).action}`);
  }

  appealDeadlineFrom(decisionMs: number, level: number): { at: number; level: number } | undefined {
    const windowDays = this.d.rules.appealWindowDays[level - 1];
    if (windowDays === undefined) return undefined;
    return { at: addDays(decisionMs, this.d.rules.receiptPresumptionDays + windowDays), level };
  }

  async onPatientPayment(p: m.PatientPayment): Promise<void> {
    const d = this.d;
    const { posted } = await store.postPatientPayment({ claimUuid: this.ref.claimUuid, payment: p });
    if (!posted) return;
    d.patientPaidCents += p.amountCents;
    await this.record('PATIENT_PAYMENT_POSTED', {
      reason: `${p.amountCents} cents (${p.method})`,
      data: { reference: p.reference },
    });
    if (d.patientBalance?.started && PATIENT_STATES.has(d.status)) {
      await this.childHandle().signal(m.patientBalancePaymentSignal, p);
    }
  }

  async onAppealDecision(decision: m.AppealDecision, actor: m.Actor): Promise<void> {
    const d = this.d;
    const appeal = d.appeals[d.appeals.length - 1]!;
    const decidedMs = decision.decidedAt ? Date.parse(decision.decidedAt) : Date.now();
    appeal.status = decision.outcome;
    appeal.decidedAt = new Date(decidedMs).toISOString();
    appeal.reason = decision.reason;
    d.appealFollowUpAt = undefined;
    await store.recordAppealDecision({
      claimUuid: this.ref.claimUuid,
      level: appeal.level,
      outcome: decision.outcome,
      reason: decision.reason ?? null,
      decidedAt: appeal.decidedAt,
    });
    if (decision.outcome === 'overturned') {
      d.followUps = 0;
      d.followUpAt = addDays(Date.now(), d.rules.followUpDays);
      await this.transition('AWAITING_PAYMENT', `level ${appeal.level} appeal overturned`, actor, {
        level: appeal.level,
      });
      return;
    }
    await this.reloadRules();
    d.appealDeadline = this.appealDeadlineFrom(decidedMs, appeal.level + 1);
    if (d.denial)
      d.denial.appealable = d.appealDeadline !== undefined && ruleFor(d.denial.category).appealable;
    await this.enterReview(
      d.appealDeadline
        ? `level ${appeal.level} appeal upheld; level ${d.appealDeadline.level} due ${isoDate(d.appealDeadline.at)}`
        : `level ${appeal.level} appeal upheld; no appeal level remains`,
    );
  }

  async onStatusChanged(change: m.ClaimStatusChange): Promise<void> {
    const d = this.d;
    const cat = change.category.toUpperCase();
    if (/^A[3678]$/.test(cat)) {
      if (d.status === 'AWAITING_ADJUDICATION' || d.status === 'SUBMITTING') await this.reject(change);
      return;
    }
    await this.record('CLAIM_STATUS', { reason: `${cat}: ${change.message}`, data: { ...change } });
  }

  async onRulesChanged(): Promise<void> {
    const d = this.d;
    const before = d.rules;
    await this.reloadRules();
    // Re-derive every pending timer from the rule now in force.
    if (d.followUpAt !== undefined)
      d.followUpAt = d.followUpAt - before.followUpDays * DAY + d.rules.followUpDays * DAY;
    if (d.reviewSlaAt !== undefined)
      d.reviewSlaAt = d.reviewSlaAt - before.reviewSlaDays * DAY + d.rules.reviewSlaDays * DAY;
    if (d.appealDeadline && d.denial) {
      const window = (r: PayerRules) => r.appealWindowDays[d.appealDeadline!.level - 1] ?? 0;
      d.appealDeadline.at = d.appealDeadline.at - window(before) * DAY + window(d.rules) * DAY;
    }
    if (d.status === 'NEEDS_REVIEW' && d.appealDeadline)
      this.scheduleReminders('APPEAL', d.appealDeadline.at, d.appealDeadline.level);
    if (this.timelyFilingMatters()) this.scheduleReminders('TIMELY_FILING', d.timelyFilingAt);
    await this.record('PAYER_RULES_CHANGED', { data: { rules: d.rules } });
  }

  async onPatientBalanceProgress(view: m.PatientBalanceView): Promise<void> {
    const d = this.d;
    if (!d.patientBalance || !PATIENT_STATES.has(d.status)) return;
    // Only a child that had itself reported the plan can report it broken; a DUNNING report sent before
    // the child received the plan is stale.
    const childWasOnPlan = d.patientBalance.status === 'PAYMENT_PLAN';
    Object.assign(d.patientBalance, view, { started: true });
    // A missed installment ends the plan in the child; the claim shows dunning again.
    if (d.status === 'PAYMENT_PLAN' && childWasOnPlan && view.status === 'DUNNING') {
      await this.transition(
        'PATIENT_BALANCE',
        'payment plan broken: an installment was missed; dunning resumes',
      );
    }
  }

  async onPatientBalanceClosed(result: PatientBalanceResult): Promise<void> {
    const d = this.d;
    if (!PATIENT_STATES.has(d.status)) return;
    if (d.patientBalance)
      Object.assign(d.patientBalance, { status: result.outcome, balanceCents: result.balanceCents });
    if (result.outcome === 'PAID') await this.settle('patient balance paid');
    else if (result.outcome === 'COLLECTIONS')
      await this.transition('COLLECTIONS', `handed to collections after ${result.statementsSent} statements`);
    else {
      d.writtenOffCents += result.balanceCents;
      await this.transition('WRITTEN_OFF', 'patient balance written off');
    }
  }

  /** Applies an allowed decision; returns a refusal only when the payer refuses it (e.g. an appeal). */
  async decide(name: UpdateName, raw: unknown): Promise<string | undefined> {
    const d = this.d;
    const actor = raw as m.Actor;
    if (name !== 'addNote' && name !== 'assign') d.firstActionAt ??= new Date().toISOString();
    switch (name) {
      case 'resubmitCorrected': {
        const input = raw as m.ResubmitCorrectedInput;
        const applied = await store.applyCorrection({
          claimUuid: this.ref.claimUuid,
          changes: input.changes,
          actor: input.actor,
        });
        this.clearEscalation();
        // A rejected claim never reached adjudication: it is refiled as a new original (frequency 1).
        // An adjudicated one is replaced (frequency 7, REF*F8 with the payer's claim number).
        const frequency = d.status === 'NEEDS_REVIEW' && d.payerClaimNumber ? '7' : '1';
        d.denial = undefined;
        d.appealDeadline = undefined;
        d.reviewSlaAt = undefined;
        d.reminders = [];
        await this.transition('RESUBMITTED', input.reason, actor, {
          changes: applied,
          frequencyCode: frequency,
        });
        await this.submit(frequency, actor);
        return;
      }
      case 'fileAppeal': {
        const input = raw as m.FileAppealInput;
        const level = d.appealDeadline!.level;
        let appealId: string;
        try {
          ({ appealId } = await payer.submitAppeal({
            claimUuid: this.ref.claimUuid,
            level,
            grounds: input.grounds,
            attachments: input.attachments ?? [],
            idempotencyKey: `${this.ref.claimUuid}:appeal:${level}`,
            deadline: new Date(d.appealDeadline!.at).toISOString(),
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
          deadline: new Date(d.appealDeadline!.at).toISOString(),
          payerAppealId: appealId,
          status: 'pending',
        });
        d.reviewSlaAt = undefined;
        d.reminders = [];
        d.appealFollowUpAt = addDays(Date.now(), d.rules.appealDecisionFollowUpDays);
        this.clearEscalation();
        await this.transition('APPEALING', `level ${level} appeal filed: ${input.grounds}`, actor, {
          level,
          attachments: input.attachments,
        });
        return;
      }
      case 'recordAppealDecision':
        await this.onAppealDecision(raw as m.RecordAppealDecisionInput, actor);
        return;
      case 'writeOff': {
        const input = raw as m.WriteOffInput;
        this.clearEscalation();
        if (PATIENT_STATES.has(d.status)) {
          const amount = this.patientOpen();
          if (d.patientBalance?.started) await this.childHandle().cancel();
          d.writtenOffCents += amount;
          d.patientBalance = undefined;
          await this.transition('WRITTEN_OFF', `${input.reasonCode}: ${input.note ?? ''}`.trim(), actor, {
            amountCents: amount,
          });
          return;
        }
        // Write off what the payer will not pay; any patient share still follows its own path.
        const amount = Math.max(0, this.openBalance() - this.patientOpen());
        d.writtenOffCents += amount;
        d.denial = undefined;
        d.appealDeadline = undefined;
        await this.record('WRITE_OFF', {
          actor,
          reason: input.reasonCode,
          data: { amountCents: amount, note: input.note },
        });
        if (this.patientOpen() > 0)
          await this.settle(`insurance balance written off (${input.reasonCode})`, actor);
        else
          await this.transition(
            'WRITTEN_OFF',
            `${input.reasonCode}${input.note ? `: ${input.note}` : ''}`,
            actor,
            { amountCents: amount },
          );
        return;
      }
      case 'transferToPatient': {
        const input = raw as m.TransferToPatientInput;
        d.patientResponsibilityCents += d.denial?.deniedCents ?? 0;
        d.denial = undefined;
        d.appealDeadline = undefined;
        this.clearEscalation();
        await this.settle(`transferred to patient: ${input.reason}`, actor);
        return;
      }
      case 'assign': {
        const input = raw as m.AssignInput;
        d.assignedTo = input.assignee ?? undefined;
        await this.record('ASSIGNED', { actor, reason: input.assignee ?? 'unassigned' });
        return;
      }
      case 'addNote': {
        const input = raw as m.AddNoteInput;
        d.notes.push({ at: new Date().toISOString(), actor: input.actor, text: input.text });
        if (d.notes.length > 100) d.notes.splice(0, d.notes.length - 100);
        await this.record('NOTE_ADDED', { actor, reason: input.text });
        return;
      }
      case 'placeHold':
      case 'releaseHold': {
        const input = raw as m.PlaceHoldInput;
        const placed = name === 'placeHold';
        d.holds = placed ? [...d.holds, input.reason] : d.holds.filter((h) => h !== input.reason);
        await this.record(placed ? 'HOLD_PLACED' : 'HOLD_RELEASED', { actor, reason: input.reason });
        if (d.patientBalance?.started)
          await this.childHandle().signal(m.patientBalanceHoldSignal, { reason: input.reason, placed });
        return;
      }
      case 'setupPaymentPlan': {
        const input = raw as m.PaymentPlanInput;
        await this.transition(
          'PAYMENT_PLAN',
          `${input.installmentCents} cents every ${input.intervalDays} days`,
          actor,
          {
            installmentCents: input.installmentCents,
            intervalDays: input.intervalDays,
            firstDueDate: input.firstDueDate,
          },
        );
        if (d.patientBalance?.started) {
          await this.childHandle().signal(m.patientBalancePlanSignal, {
            installmentCents: input.installmentCents,
            intervalDays: input.intervalDays,
            firstDueDate: input.firstDueDate,
          });
        }
        return;
      }
    }
  }

  // ---------- timers ----------

  async onTimer(kind: string): Promise<void> {
    const d = this.d;
    const now = Date.now();
    if (kind === 'FOLLOW_UP') return this.followUp();
    if (kind === 'APPEAL_FOLLOW_UP') return this.appealFollowUp();
    if (kind.startsWith('REMINDER_')) {
      const due = d.reminders.filter((r) => r.at <= now);
      d.reminders = d.reminders.filter((r) => r.at > now);
      for (const r of due) {
        await this.record('DEADLINE_REMINDER', {
          reason: `${r.deadline} deadline in ${r.offsetDays} days (${isoDate(r.deadlineAt)})`,
          data: { deadline: r.deadline, offsetDays: r.offsetDays, level: r.level },
        });
        await this.notify(
          'practice',
          'DEADLINE_REMINDER',
          `reminder:${r.deadline}:${r.level ?? 0}:${r.deadlineAt}:${r.offsetDays}`,
          {
            deadline: r.deadline,
            deadlineAt: new Date(r.deadlineAt).toISOString(),
            daysLeft: r.offsetDays,
            level: r.level,
          },
        );
      }
      return;
    }
    if (kind === 'DEADLINE_APPEAL') {
      return this.escalate(
        this.missKey('APPEAL'),
        `level ${d.appealDeadline?.level} appeal deadline missed (${isoDate(d.appealDeadline!.at)})`,
      );
    }
    if (kind === 'DEADLINE_TIMELY_FILING') {
      return this.escalate(
        this.missKey('TIMELY_FILING'),
        `timely filing limit passed (${isoDate(d.timelyFilingAt)})`,
      );
    }
    if (kind === 'DEADLINE_REVIEW_SLA') {
      return this.escalate(
        this.missKey('REVIEW_SLA'),
        `waiting in review longer than the ${d.rules.reviewSlaDays}-day SLA`,
      );
    }
  }

  /** No remittance in time: ask the payer (276/277) and act on its category. */
  async followUp(): Promise<void> {
    const d = this.d;
    d.followUpAt = undefined;
    d.followUps += 1;
    let status: Awaited<ReturnType<Activities['claimStatusInquiry']>>;
    try {
      status = await payer.claimStatusInquiry({
        payerId: this.ref.payerId,
        patientControlNumber: this.ref.patientControlNumber,
      });
    } catch (err) {
      const refusal = payerRefusal(err);
      if (refusal === undefined) throw err;
      // 277 E-category equivalent: the inquiry itself was refused. Fix the data, re-ask next cycle.
      status = { category: 'E1', message: refusal, effectiveDate: isoDate(Date.now()) };
    }
    if (status.payerClaimNumber) d.payerClaimNumber = status.payerClaimNumber;
    const cat = status.category.toUpperCase();
    await this.record('STATUS_INQUIRY', {
      reason: `follow-up ${d.followUps}: ${cat} ${status.message}`,
      data: { category: cat, statusCode: status.statusCode, followUp: d.followUps },
    });
    const again = () => {
      d.followUpAt = addDays(Date.now(), d.rules.followUpDays);
    };
    if (cat === 'A4') {
      if (Date.now() <= d.timelyFilingAt) {
        await this.transition(
          'RESUBMITTED',
          'payer has no record of the claim (277 A4); resubmitting within timely filing',
        );
        await this.submit('1');
      } else {
        await this.escalate(
          'NO_RECORD_PAST_TIMELY_FILING',
          'payer has no record and the timely filing limit has passed',
        );
        d.denial = { ...this.syntheticDenial('TIMELY_FILING', ['29']) };
        await this.enterReview('payer has no record; timely filing passed');
      }
      return;
    }
    if (/^A[3678]$/.test(cat))
      return this.reject({ category: cat, statusCode: status.statusCode, message: status.message });
    if (cat === 'F2' || cat === 'F4') {
      d.denial = this.syntheticDenial('OTHER', []);
      d.firstDeniedAt ??= new Date().toISOString();
      d.appealDeadline = this.appealDeadlineFrom(Date.parse(`${status.effectiveDate}T00:00:00Z`), 1);
      await this.enterReview(
        `payer reports ${cat === 'F2' ? 'a denial' : 'no payment forthcoming'}; the ERA will carry the reasons`,
      );
      return;
    }
    if (cat.startsWith('R')) {
      d.denial = this.syntheticDenial('MISSING_INFORMATION', []);
      await this.enterReview(`payer requests information (${cat}): send documentation`);
      return;
    }
    // P* pending, A1/A2 acknowledged, F1 paid (the ERA is on its way), E*/D0 inquiry errors: keep waiting.
    again();
    if (d.followUps >= d.rules.maxFollowUps) {
      await this.escalate(
        `FOLLOW_UPS_EXHAUSTED:${d.submissions}`,
        `${d.followUps} follow-ups without a remittance`,
      );
    }
  }

  syntheticDenial(category: m.DenialView['category'], carcs: string[]): m.DenialView {
    const rule = ruleFor(category);
    return {
      category,
      action: rule.action,
      appealable: rule.appealable,
      group: 'CO',
      carcs,
      rarcs: [],
      deniedCents: this.openBalance(),
      deniedAt: new Date().toISOString(),
    };
  }

  async appealFollowUp(): Promise<void> {
    const d = this.d;
    const appeal = d.appeals[d.appeals.length - 1];
    d.appealFollowUpAt = undefined;
    if (!appeal?.payerAppealId) return;
    const status = await payer.appealStatus({ appealId: appeal.payerAppealId });
    if (status.status === 'pending') {
      d.appealFollowUpAt = addDays(Date.now(), d.rules.appealDecisionFollowUpDays);
      await this.record('APPEAL_STATUS', { reason: `level ${appeal.level} appeal still pending` });
      return;
    }
    await this.onAppealDecision(
      { outcome: status.status, reason: status.reason, decidedAt: status.decidedAt },
      { actor: 'payer' },
    );
  }

  // ---------- main loop ----------

  shouldContinueAsNew(budget: number): boolean {
    const info = wf.workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > budget;
  }

  async run(isNew: boolean, budget: number): Promise<ClaimData | undefined> {
    if (isNew) {
      await this.reloadRules();
      this.publishSearchAttributes();
      await this.submit('1');
    } else {
      this.publishSearchAttributes();
    }
    // A reopened claim starts in its closed status with the reopening signal queued: drain it first.
    while (!isTerminal(this.d.status) || this.queue.length > 0) {
      if (this.queue.length === 0 && this.shouldContinueAsNew(budget)) {
        await wf.condition(wf.allHandlersFinished);
        if (this.queue.length === 0) return this.d;
      }
      const next = this.timers()[0];
      const wait = next === undefined ? undefined : Math.max(1, next.at - Date.now());
      const woke = await waitFor(() => this.queue.length > 0, wait);
      if (woke) {
        const c = this.queue.shift()!;
        await this.apply(c);
      } else if (next) {
        await this.onTimer(next.kind);
      }
    }
    await wf.condition(wf.allHandlersFinished);
    // A signal that arrived while the last handlers finished (a remittance racing the close) must not
    // be dropped with the run: handle it before returning.
    if (this.queue.length > 0) return this.run(false, budget);
    return undefined;
  }
}

function freshData(
  claim: m.ClaimRef,
  resume: ClaimWorkflowInput['resume'],
): { data: ClaimData; isNew: boolean } {
  if (resume && !('fromRow' in resume)) return { data: resume, isNew: false };
  const base: ClaimData = {
    status: 'SUBMITTING',
    rules: undefined as unknown as PayerRules,
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
  if (!resume) return { data: base, isNew: true };
  const row = resume.fromRow;
  return {
    isNew: false,
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

/**
 * One claim, from submission to settlement. Started by the API (`claim-<practiceId>-<claimId>`); a
 * closed claim is reopened by signal-with-start from its Postgres row.
 */
export async function claimWorkflow(input: ClaimWorkflowInput): Promise<m.ClaimView> {
  const { data, isNew } = freshData(input.claim, input.resume);
  const process = new ClaimProcess(input.claim, data);
  process.registerHandlers();
  if (input.resume && 'fromRow' in input.resume) {
    // A reopened claim: rules may have changed since it closed.
    await process.reloadRules();
    await process.record('REOPENED', { reason: `reopened from ${data.status}` });
  }
  const budget = input.historyBudget ?? DEFAULT_HISTORY_BUDGET;
  const carry = await process.run(isNew, budget);
  if (carry) {
    return wf.continueAsNew<typeof claimWorkflow>({
      claim: input.claim,
      resume: carry,
      historyBudget: input.historyBudget,
    });
  }
  return process.view();
}
