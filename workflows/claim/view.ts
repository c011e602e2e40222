/**
 * The pure views of a claim run's state: the claim screen (what the `state` query and every update
 * return) and the claims-row projection the store activity writes.
 */
import type { ClaimProjection } from '../../activities/types.js';
import { isTerminal } from '../../domain/claim-status.js';
import type * as m from '../messages.js';
import { type ClaimData, deadlines, nextDeadlineMs, openBalance, timerLabel, timers } from './state.js';

/** The claim screen: what the `state` query and every update return. */
export function claimView(workflowId: string, ref: m.ClaimRef, d: ClaimData): m.ClaimView {
  const next = timers(d)[0];
  const deadline = nextDeadlineMs(d);
  return {
    workflowId,
    claim: ref,
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
      openBalanceCents: openBalance(d),
    },
    denial: d.denial,
    rejection: d.rejection,
    appeals: d.appeals,
    deadlines: deadlines(d),
    nextDeadline: deadline === undefined ? undefined : new Date(deadline).toISOString(),
    nextTimer: next ? { kind: timerLabel(next), at: new Date(next.at).toISOString() } : undefined,
    followUps: d.followUps,
    submissions: d.submissions,
    assignedTo: d.assignedTo,
    escalated: d.escalated,
    escalations: d.escalations,
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

/**
 * The claims-row projection written with every audit event, so lists read Postgres only. It carries no
 * priority: the work queue computes that at read time from these fields (docs/kpis.md).
 */
export function projection(d: ClaimData, nowIso: string): ClaimProjection {
  const deadline = nextDeadlineMs(d);
  return {
    status: d.status,
    denialCategory: d.denial?.category ?? null,
    recommendedAction: d.denial?.action ?? null,
    assignedTo: d.assignedTo ?? null,
    escalated: d.escalated,
    nextDeadline: deadline === undefined ? null : new Date(deadline).toISOString(),
    payerClaimNumber: d.payerClaimNumber ?? null,
    frequencyCode: d.frequencyCode,
    paidCents: d.paidCents,
    adjustmentCents: d.contractualCents,
    patientResponsibilityCents: d.patientResponsibilityCents,
    patientPaidCents: d.patientPaidCents,
    writtenOffCents: d.writtenOffCents,
    openBalanceCents: openBalance(d),
    submittedAt: d.submittedAt,
    firstDeniedAt: d.firstDeniedAt,
    firstActionAt: d.firstActionAt,
    closedAt: isTerminal(d.status) ? nowIso : null,
  };
}
