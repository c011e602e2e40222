/**
 * Inputs and outputs of the activities, shared with workflow code as types only.
 */
import type { ClaimStatus } from '../domain/claim-status.js';
import type { Cents } from '../domain/money.js';

/** The claims-row projection written with every event so lists and work queues read Postgres only. */
export interface ClaimProjection {
  status: ClaimStatus;
  denialCategory: string | null;
  recommendedAction: string | null;
  assignedTo: string | null;
  escalated: boolean;
  /**
   * Ignored: the stored priority is computed in SQL from the projected row (db/claim-events.ts), and
   * the work queue computes it live. Optional so recorded histories whose inputs carry it still replay.
   */
  priority?: number;
  nextDeadline: string | null;
  payerClaimNumber: string | null;
  frequencyCode: string;
  paidCents: Cents;
  adjustmentCents: Cents;
  patientResponsibilityCents: Cents;
  patientPaidCents: Cents;
  writtenOffCents: Cents;
  openBalanceCents: Cents;
  submittedAt?: string;
  firstDeniedAt?: string;
  firstActionAt?: string;
  closedAt?: string | null;
}

export interface ClaimEventRecord {
  /** `<claimUuid>:<sequence>`: a retried activity writes the event once. */
  eventKey: string;
  claimUuid: string;
  practiceId: string;
  at: string;
  actor: string;
  kind: string;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus | null;
  reason?: string;
  data?: Record<string, unknown>;
  requestId?: string;
  projection: ClaimProjection;
}

export type NotificationChannel = 'practice' | 'supervisor';

export interface NotificationRequest {
  dedupeKey: string;
  practiceId: string;
  claimUuid: string;
  channel: NotificationChannel;
  kind: string;
  payload: Record<string, unknown>;
}

export interface StatementRequest {
  claimUuid: string;
  practiceId: string;
  statementKey: string;
  kind: 'STATEMENT' | 'REMINDER' | 'FINAL_NOTICE' | 'COLLECTIONS';
  amountDueCents: Cents;
  dueDate: string | null;
  at: string;
}

/** What the claim workflow needs to resume from Postgres (reopened claim, or a new run after a crash). */
export interface ClaimResumeRow {
  status: ClaimStatus;
  payerClaimNumber: string | null;
  frequencyCode: string;
  paidCents: Cents;
  adjustmentCents: Cents;
  patientResponsibilityCents: Cents;
  patientPaidCents: Cents;
  writtenOffCents: Cents;
  assignedTo: string | null;
  lastEventSeq: number;
  submissions: number;
  /** Posting keys this claim has already applied, so a re-delivered signal is not applied twice. */
  seenPostings: string[];
}
