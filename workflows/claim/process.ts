/**
 * The kernel every billing phase uses: the claim's state with its reference, and the few things every
 * step does the same way: write an audit event (with the claims-row projection and the search
 * attributes), change status, notify, escalate once per key, load payer rules, schedule reminders and
 * enter review. Phases sit above this file; nothing here imports a phase.
 */
import * as wf from '@temporalio/workflow';
import { ruleFor } from '../../domain/carc.js';
import type { ClaimStatus } from '../../domain/claim-status.js';
import { addDays, DAY, isoDate } from '../../domain/dates.js';
import { practiceTimeZoneOf, timelyFilingDeadlineFor } from '../../domain/deadline-rules.js';
import { describeCountedFrom } from '../../domain/deadlines.js';
import { FailureType } from '../../domain/failures.js';
import type { PayerRules } from '../../domain/payer-rules.js';
import { notifier, store } from '../activities.js';
import { claimEventKey, notificationKey, patientBalanceWorkflowId } from '../ids.js';
import type * as m from '../messages.js';
import {
  AssignedToKey,
  ClaimStatusKey,
  DenialCategoryKey,
  EscalatedKey,
  NextDeadlineKey,
  OpenBalanceCentsKey,
} from '../search-attributes.js';
import {
  appealDeadlineFrom,
  type ClaimData,
  deadlineDate,
  missKey,
  nextDeadlineMs,
  openBalance,
  type Reminder,
  shownDeadline,
  timelyFilingBinds,
} from './state.js';
import { claimView, projection } from './view.js';

/** The patch id of end-of-day deadlines in the practice's time zone. */
export const END_OF_DAY_DEADLINES = 'deadline-end-of-day-practice-zone';

/** The payer's message when an activity failed because the payer refused the request (4xx). */
export function payerRefusal(err: unknown): string | undefined {
  if (
    err instanceof wf.ActivityFailure &&
    err.cause instanceof wf.ApplicationFailure &&
    err.cause.type === FailureType.PayerRejected
  ) {
    return err.cause.message;
  }
  return undefined;
}

/** One claim run: its reference, its state, and the steps every phase is written in. */
export class ClaimProcess {
  constructor(
    readonly ref: m.ClaimRef,
    readonly d: ClaimData,
  ) {}

  get workflowId(): string {
    return wf.workflowInfo().workflowId;
  }

  /**
   * The payer rules in force. A run loads them before its first phase (new and reopened claims) or
   * carries them (continue-as-new), so a missing value here is a programming error: the workflow task
   * fails and retries rather than computing a deadline from nothing.
   */
  get rules(): PayerRules {
    const rules = this.d.rules;
    if (!rules) throw new Error('payer rules were read before the run loaded them');
    return rules;
  }

  view(): m.ClaimView {
    return claimView(this.workflowId, this.ref, this.d);
  }

  publishSearchAttributes(): void {
    const d = this.d;
    const deadline = nextDeadlineMs(d);
    wf.upsertSearchAttributes([
      { key: ClaimStatusKey, value: d.status },
      { key: DenialCategoryKey, value: d.denial?.category ?? null },
      { key: AssignedToKey, value: d.assignedTo ?? null },
      { key: NextDeadlineKey, value: deadline === undefined ? null : new Date(deadline) },
      { key: OpenBalanceCentsKey, value: openBalance(d) },
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
    const at = new Date().toISOString();
    await store.recordClaimEvent({
      eventKey: claimEventKey(this.ref.claimUuid, d.eventSeq),
      claimUuid: this.ref.claimUuid,
      practiceId: this.ref.practiceId,
      at,
      actor,
      kind,
      fromStatus: opts.from === undefined ? d.status : opts.from,
      toStatus: d.status,
      reason: opts.reason,
      data: opts.data,
      requestId: opts.actor?.requestId,
      projection: projection(d, at),
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
        dedupeKey: notificationKey(this.ref.claimUuid, dedupe),
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

  /** Flags the claim for a supervisor, once per `key` (one key per missed deadline or exhausted wait). */
  async escalate(key: string, reason: string): Promise<void> {
    const d = this.d;
    if (d.escalations.includes(key)) return;
    d.escalations.push(key);
    d.escalated = true;
    await this.record('ESCALATED', { reason, data: { key } });
    await this.notify('supervisor', 'ESCALATION', `escalation:${key}`, { reason });
  }

  /** A person acted on the claim: it is no longer waiting on a supervisor. */
  clearEscalation(): void {
    this.d.escalated = false;
  }

  /** Loads the payer rules in force today and re-derives the timely-filing limit from them. */
  async reloadRules(): Promise<void> {
    const rules = await store.loadPayerRules({
      payerId: this.ref.payerId,
      practiceId: this.ref.practiceId,
      asOf: isoDate(Date.now()),
    });
    this.d.rules = rules;
    if (this.endOfDayDeadlines()) {
      const timeZone = practiceTimeZoneOf(rules);
      const tf = timelyFilingDeadlineFor({ rules, dateOfService: this.ref.dateOfService, timeZone });
      this.d.timeZone = timeZone;
      this.d.timelyFilingAt = tf.endsAt;
      this.d.timelyFiling = { date: tf.date, countedFrom: describeCountedFrom(tf.countedFrom) };
      return;
    }
    this.d.timelyFilingAt = addDays(
      Date.parse(`${this.ref.dateOfService}T00:00:00Z`),
      rules.timelyFilingDays,
    );
  }

  /**
   * True when deadlines end at 23:59:59.999 on their date in the practice's time zone and count from
   * the remittance or the presumed receipt as the rule says (docs/deadline-rules.md). Runs recorded
   * before the change keep deadlines at 00:00 UTC of notice date + presumption + window.
   */
  endOfDayDeadlines(): boolean {
    return wf.patched(END_OF_DAY_DEADLINES);
  }

  /** The zone deadlines end in, or undefined for runs that keep the old 00:00 UTC deadlines. */
  deadlineZone(): string | undefined {
    return this.endOfDayDeadlines() ? (this.d.timeZone ?? practiceTimeZoneOf(this.rules)) : undefined;
  }

  /** Replaces the reminders before one deadline with those of the rule's offsets still ahead. */
  scheduleReminders(deadline: Reminder['deadline'], deadlineAt: number, level?: number): void {
    const now = Date.now();
    this.d.reminders = this.d.reminders.filter((r) => r.deadline !== deadline);
    for (const offsetDays of this.rules.reminderOffsetsDays) {
      const at = deadlineAt - offsetDays * DAY;
      if (at > now) this.d.reminders.push({ deadline, deadlineAt, offsetDays, at, level });
    }
  }

  /** A reminder timer fired: send every reminder now due (docs/deadlines.md). */
  async sendDueReminders(): Promise<void> {
    const d = this.d;
    const now = Date.now();
    const due = d.reminders.filter((r) => r.at <= now);
    d.reminders = d.reminders.filter((r) => r.at > now);
    for (const r of due) {
      await this.record('DEADLINE_REMINDER', {
        reason: `${r.deadline} deadline in ${r.offsetDays} days (${deadlineDate(d, r.deadlineAt)})`,
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
  }

  /** A deadline passed with nobody acting: escalate it once. */
  async deadlineMissed(kind: m.DeadlineView['kind']): Promise<void> {
    const d = this.d;
    const key = missKey(d, kind);
    switch (kind) {
      case 'APPEAL':
        return this.escalate(
          key,
          `level ${d.appealDeadline?.level} appeal deadline missed (${d.appealDeadline ? shownDeadline(d, d.appealDeadline.at) : 'none'})`,
        );
      case 'TIMELY_FILING':
        return this.escalate(key, `timely filing limit passed (${shownDeadline(d, d.timelyFilingAt)})`);
      case 'REVIEW_SLA':
        return this.escalate(key, `waiting in review longer than the ${this.rules.reviewSlaDays}-day SLA`);
    }
  }

  /** A denial the payer did not send as an ERA (a 277 answer): the category's rule with no CARC detail. */
  syntheticDenial(category: m.DenialView['category'], carcs: string[]): m.DenialView {
    const rule = ruleFor(category);
    return {
      category,
      action: rule.action,
      appealable: rule.appealable,
      group: 'CO',
      carcs,
      rarcs: [],
      deniedCents: openBalance(this.d),
      deniedAt: new Date().toISOString(),
    };
  }

  /** The claim waits for a person: payer timers stop, the review SLA and deadline reminders start. */
  async enterReview(reason: string): Promise<void> {
    const d = this.d;
    d.followUpAt = undefined;
    d.appealFollowUpAt = undefined;
    d.reviewSlaAt = addDays(Date.now(), this.rules.reviewSlaDays);
    d.reminders = [];
    if (d.denial?.appealable && d.appealDeadline)
      this.scheduleReminders('APPEAL', d.appealDeadline.at, d.appealDeadline.level);
    if (timelyFilingBinds(d, 'NEEDS_REVIEW')) this.scheduleReminders('TIMELY_FILING', d.timelyFilingAt);
    await this.transition('NEEDS_REVIEW', reason, undefined, { denial: d.denial });
  }

  /** A payer rule changed: reload it and re-derive every pending timer from the rule now in force. */
  async applyRulesChange(): Promise<void> {
    const d = this.d;
    const before = this.rules;
    await this.reloadRules();
    const after = this.rules;
    if (d.followUpAt !== undefined)
      d.followUpAt = d.followUpAt - before.followUpDays * DAY + after.followUpDays * DAY;
    if (d.reviewSlaAt !== undefined)
      d.reviewSlaAt = d.reviewSlaAt - before.reviewSlaDays * DAY + after.reviewSlaDays * DAY;
    let deadline = d.appealDeadline;
    if (deadline?.noticeDate && d.denial) {
      // An end-of-day deadline is counted again from its notice date under the new rule.
      const again = appealDeadlineFrom(
        after,
        Date.parse(`${deadline.noticeDate}T00:00:00Z`),
        deadline.level,
        d.timeZone,
      );
      if (again) d.appealDeadline = again;
      deadline = d.appealDeadline;
    } else if (deadline && d.denial) {
      const level = deadline.level;
      const window = (r: PayerRules) => r.appealWindowDays[level - 1] ?? 0;
      deadline.at = deadline.at - window(before) * DAY + window(after) * DAY;
    }
    if (d.status === 'NEEDS_REVIEW' && deadline)
      this.scheduleReminders('APPEAL', deadline.at, deadline.level);
    if (timelyFilingBinds(d)) this.scheduleReminders('TIMELY_FILING', d.timelyFilingAt);
    await this.record('PAYER_RULES_CHANGED', { data: { rules: d.rules } });
  }

  /** The patient-balance child of this claim (it may outlive this run; its id is fixed by the claim). */
  childHandle(): wf.ExternalWorkflowHandle {
    return wf.getExternalWorkflowHandle(patientBalanceWorkflowId(this.ref.practiceId, this.ref.claimId));
  }
}
