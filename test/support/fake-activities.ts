/**
 * In-memory activities for time-skipping workflow tests, where the point is the workflow: the same
 * signatures as `createActivities`, recording every call so tests assert what was done and when.
 * Payer answers are scripted per test.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities/index.js';
import type { ClaimStatusResult, SubmissionResult } from '../../activities/payer/gateway.js';
import type { ClaimEventRecord, NotificationRequest, StatementRequest } from '../../db/records.js';
import type { ScrubFinding } from '../../domain/claim-scrubber.js';
import { FailureType } from '../../domain/failures.js';
import { DEFAULT_RULES, type PayerRules } from '../../domain/payer-rules.js';

export interface FakeCall {
  name: keyof Activities;
  /** Workflow time of the call, as reported by the test environment's clock. */
  at: number;
  input: unknown;
}

export interface FakeScript {
  rules?: PayerRules;
  /** Answers for successive submissions; the last one repeats. */
  submissions?: SubmissionResult[];
  /** Answers for successive status inquiries; the last one repeats. */
  statuses?: Omit<ClaimStatusResult, 'effectiveDate'>[];
  appealStatuses?: ('pending' | 'overturned' | 'upheld')[];
  /** When set, appeal packets are refused with this message (a non-retryable failure). */
  packetRefusal?: string;
  /** Scrubber findings for successive scrubs; the last one repeats (none when absent). */
  scrubs?: ScrubFinding[][];
}

export class FakeWorld {
  calls: FakeCall[] = [];
  events: ClaimEventRecord[] = [];
  notifications: NotificationRequest[] = [];
  statements: StatementRequest[] = [];
  payments = new Set<string>();
  private submitN = 0;
  private scrubN = 0;
  private statusN = 0;
  private appealN = 0;

  constructor(public script: FakeScript) {}

  /** Workflow time of the running activity (the test server's skipped clock). */
  private now(): number {
    return Context.current().info.currentAttemptScheduledTimestampMs;
  }

  count(name: keyof Activities): number {
    return this.calls.filter((c) => c.name === name).length;
  }

  statuses(): string[] {
    return this.events.filter((e) => e.kind === 'STATUS_CHANGED').map((e) => e.toStatus ?? '');
  }

  activities(): Activities {
    const rec = (name: keyof Activities, input: unknown) => this.calls.push({ name, at: this.now(), input });
    const pick = <T>(list: T[] | undefined, n: number, fallback: T): T =>
      list && list.length > 0 ? list[Math.min(n, list.length - 1)]! : fallback;
    const world = this;
    const acts: Partial<Activities> = {
      async loadPayerRules(input) {
        rec('loadPayerRules', input);
        return world.script.rules ?? DEFAULT_RULES.COMMERCIAL;
      },
      async scrubClaim(input) {
        rec('scrubClaim', input);
        return pick(world.script.scrubs, world.scrubN++, []);
      },
      async submitClaim(input) {
        rec('submitClaim', input);
        return pick(world.script.submissions, world.submitN++, {
          status: 'accepted',
          clearinghouseClaimId: `CH-${world.submitN}`,
          acceptedAt: new Date(world.now()).toISOString(),
        } as SubmissionResult);
      },
      async claimStatusInquiry(input) {
        rec('claimStatusInquiry', input);
        const s = pick(world.script.statuses, world.statusN++, { category: 'P1', message: 'pending' });
        return { ...s, effectiveDate: new Date(world.now()).toISOString().slice(0, 10) };
      },
      async submitAppeal(input) {
        rec('submitAppeal', input);
        return { appealId: `APL-${input.level}`, receivedAt: new Date(world.now()).toISOString() };
      },
      async deliverAppealPacket(input) {
        rec('deliverAppealPacket', input);
        if (world.script.packetRefusal) {
          throw ApplicationFailure.nonRetryable(world.script.packetRefusal, FailureType.AttachmentNotFound);
        }
        return {
          documentId: `DOC-${input.level}`,
          sha256: 'a'.repeat(64),
          pageCount: 3 + input.attachmentIds.length,
          packetId: `PKT-${input.level}`,
          receivedAt: new Date(world.now()).toISOString(),
        };
      },
      async appealStatus(input) {
        rec('appealStatus', input);
        const status = pick(world.script.appealStatuses, world.appealN++, 'pending' as const);
        return {
          appealId: input.appealId,
          status,
          decidedAt: status === 'pending' ? undefined : new Date(world.now()).toISOString(),
        };
      },
      async recordAppealDecision(input) {
        rec('recordAppealDecision', input);
      },
      async applyCorrection(input) {
        rec('applyCorrection', input);
        return Object.fromEntries(Object.entries(input.changes).map(([k, v]) => [k, { from: null, to: v }]));
      },
      async recordClaimEvent(input) {
        rec('recordClaimEvent', input);
        if (!world.events.some((e) => e.eventKey === input.eventKey)) world.events.push(input);
      },
      async notify(input) {
        rec('notify', input);
        if (!world.notifications.some((n) => n.dedupeKey === input.dedupeKey))
          world.notifications.push(input);
        return { delivered: true, notificationId: input.dedupeKey };
      },
      async postPatientPayment(input) {
        rec('postPatientPayment', input);
        const key = `${input.claimUuid}:${input.payment.reference}`;
        const posted = !world.payments.has(key);
        world.payments.add(key);
        return { posted };
      },
      async sendPatientStatement(input) {
        rec('sendPatientStatement', input);
        if (
          !world.statements.some(
            (s) => s.statementKey === input.statementKey && s.claimUuid === input.claimUuid,
          )
        ) {
          world.statements.push(input);
        }
      },
    };
    return acts as Activities;
  }
}
