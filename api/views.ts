/**
 * Rows to API JSON, in one place (the kysely example's "map rows to domain objects once"). Timestamps
 * leave as ISO strings, money as integer cents, and every claim carries its Temporal Web UI link.
 */
import type { ClaimRow } from '../db/schema.js';
import type { ClaimStatus } from '../domain/claim-status.js';
import type { AppDeps } from './types.js';

/** The claim workflow's page in the Temporal Web UI. */
export function temporalUiUrl(deps: Pick<AppDeps, 'config'>, workflowId: string): string {
  const { uiUrl, namespace } = deps.config.temporal;
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

const iso = (d: Date | string | null | undefined): string | null =>
  d == null ? null : new Date(d).toISOString();

/**
 * The claim as every list and screen shows it. The workflow's stored `claims.priority` is not shown: the
 * one priority the API ships is the work queue's, computed at request time (`livePriority`), because
 * days to the deadline shrink while a claim waits and the stored number only changes when the claim does.
 */
export function claimJson(deps: Pick<AppDeps, 'config'>, row: ClaimRow) {
  return {
    id: row.id,
    practiceId: row.practice_id,
    claimId: row.claim_id,
    payerId: row.payer_id,
    status: row.status as ClaimStatus,
    workflowId: row.workflow_id,
    temporalUiUrl: temporalUiUrl(deps, row.workflow_id),
    dateOfService: row.date_of_service,
    totalChargeCents: row.total_charge_cents,
    paidCents: row.paid_cents,
    adjustmentCents: row.adjustment_cents,
    patientResponsibilityCents: row.patient_responsibility_cents,
    patientPaidCents: row.patient_paid_cents,
    writtenOffCents: row.written_off_cents,
    openBalanceCents: row.open_balance_cents,
    denialCategory: row.denial_category,
    recommendedAction: row.recommended_action,
    assignedTo: row.assigned_to,
    escalated: row.escalated,
    nextDeadline: iso(row.next_deadline),
    payerClaimNumber: row.payer_claim_number,
    submittedAt: iso(row.submitted_at),
    firstDeniedAt: iso(row.first_denied_at),
    firstActionAt: iso(row.first_action_at),
    lastActivityAt: iso(row.last_activity_at)!,
    createdAt: iso(row.created_at)!,
  };
}

/** ISO string of a timestamp column value. */
export function isoTimestamp(d: Date | string): string {
  return new Date(d).toISOString();
}
