/**
 * A remittance (one 835 CLP loop, posted in Postgres before it is signalled) reaches the claim: paid,
 * denied in part or whole, informational, or a reversal of an earlier payment (docs/x12-835.md,
 * docs/carc-rarc.md). The same posting signalled twice counts once.
 */
import * as wf from '@temporalio/workflow';
import { ruleFor } from '../../domain/carc.js';
import { addDays } from '../../domain/dates.js';
import { assessRemittance, type RemittanceSummary } from '../../domain/remittance.js';
import { store } from '../activities.js';
import { settle, stopPatientBalance } from './patient.js';
import type { ClaimProcess } from './process.js';
import { appealDeadlineFrom, openBalance } from './state.js';

/** Remembers a posting key; false when this posting was already applied. */
function firstSighting(p: ClaimProcess, postingKey: string): boolean {
  const seen = p.d.seenPostings;
  if (seen.includes(postingKey)) return false;
  seen.push(postingKey);
  if (seen.length > 100) seen.splice(0, seen.length - 100);
  return true;
}

/**
 * Claims paid below their contracted rate wait in review as an UNDERPAYMENT instead of closing PAID.
 * Runs recorded before this change never carried a contract verdict, so they never reach the check.
 */
export const UNDERPAYMENT_PATCH = 'underpayment-holds-paid';

/**
 * A later posting re-judges the claim against its contract: the variance booked as owed by the payer
 * goes back to the contractual adjustment, and the new posting's verdict books it again if it stands.
 */
function reopenUnderpayment(p: ClaimProcess): void {
  const u = p.d.underpayment;
  if (!u) return;
  p.d.contractualCents += u.varianceCents;
  p.d.underpayment = undefined;
}

export async function remittanceReceived(p: ClaimProcess, r: RemittanceSummary): Promise<void> {
  const d = p.d;
  if (!firstSighting(p, r.postingKey)) return;
  if (r.payerClaimNumber) d.payerClaimNumber = r.payerClaimNumber;
  const outcome = assessRemittance(r);
  const data = {
    postingKey: r.postingKey,
    traceNumber: r.traceNumber,
    statusCode: r.statusCode,
    paidCents: r.paidCents,
  };

  if (outcome.kind === 'INFORMATIONAL') {
    await p.record('REMITTANCE_INFORMATIONAL', { reason: outcome.reason, data });
    return;
  }
  reopenUnderpayment(p);
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
    d.followUpAt = addDays(Date.now(), p.rules.followUpDays);
    await stopPatientBalance(p);
    if (d.paidCents > 0 && openBalance(d) <= 0) {
      // The corrected repost was applied before this reversal (same ERA, or out of order): settled.
      await p.record('REMITTANCE_REVERSED', {
        reason: `reversal applied after its repost (trace ${r.traceNumber})`,
        data,
      });
      await settle(p, 'reversal and repost both applied', { actor: 'payer' });
      return;
    }
    if (d.status === 'AWAITING_ADJUDICATION') {
      // The reversal of a replaced claim: the claim already waits for the new adjudication.
      await p.record('REMITTANCE_REVERSED', {
        reason: `payer reversed its payment (trace ${r.traceNumber})`,
        data,
      });
      return;
    }
    await p.transition(
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
        claimUuid: p.ref.claimUuid,
        level: pending.level,
        outcome: 'overturned',
        reason: 'paid on remittance',
        decidedAt: pending.decidedAt,
      });
    }
    d.denial = undefined;
    await p.record('REMITTANCE_POSTED', { reason: `paid ${outcome.paidCents} cents`, data });
    const contract = r.contract;
    if (contract?.kind === 'UNDERPAYMENT' && contract.varianceCents > 0 && wf.patched(UNDERPAYMENT_PATCH)) {
      await holdUnderpayment(p, r, contract);
      return;
    }
    await settle(
      p,
      `adjudicated: paid ${outcome.paidCents}, contractual ${outcome.contractualCents}, patient ${outcome.patientResponsibilityCents}`,
      { actor: 'payer' },
    );
    return;
  }

  // A denial: its appeal deadline runs from the remittance date, at the level after any appeal so far.
  const deniedAt = Date.parse(`${r.paymentDate}T00:00:00Z`);
  const lastAppeal = d.appeals[d.appeals.length - 1];
  const firstLevel = lastAppeal === undefined ? 1 : lastAppeal.level + 1;
  d.denial = { ...outcome.denial, deniedAt: new Date(deniedAt).toISOString() };
  d.firstDeniedAt ??= new Date().toISOString();
  d.appealDeadline = appealDeadlineFrom(p.rules, deniedAt, firstLevel, p.deadlineZone());
  await p.record('REMITTANCE_POSTED', {
    reason: `denied ${outcome.denial.deniedCents} cents (${outcome.denial.carcs.join(',')})`,
    data,
  });
  await p.transition(
    outcome.paidCents > 0 ? 'PARTIAL' : 'DENIED',
    `CARC ${outcome.denial.carcs.join(',')} (${outcome.denial.category})`,
    { actor: 'payer' },
  );
  await p.enterReview(`denial needs review: ${ruleFor(outcome.denial.category).action}`);
}

/**
 * The payer allowed less than the contract: the shortfall is owed by the payer, not a contractual
 * adjustment, so it stays open and the claim goes to review with its own category and next action
 * (ask for reprocessing, or appeal citing the contract) and an appeal deadline from the payment date.
 */
async function holdUnderpayment(
  p: ClaimProcess,
  r: RemittanceSummary,
  contract: NonNullable<RemittanceSummary['contract']>,
): Promise<void> {
  const d = p.d;
  const v = contract.varianceCents;
  d.contractualCents -= v;
  d.underpayment = {
    varianceCents: v,
    expectedCents: contract.expectedCents,
    payerAllowedCents: contract.payerAllowedCents,
  };
  const paidAt = Date.parse(`${r.paymentDate}T00:00:00Z`);
  const rule = ruleFor('UNDERPAYMENT');
  d.denial = {
    category: 'UNDERPAYMENT',
    action: rule.action,
    appealable: rule.appealable,
    // The shortfall was booked as CO-45 by the payer: the patient may not be billed for it.
    group: 'CO',
    carcs: ['45'],
    rarcs: r.remarkCodes,
    deniedCents: v,
    deniedAt: new Date(paidAt).toISOString(),
  };
  const lastAppeal = d.appeals[d.appeals.length - 1];
  d.appealDeadline = appealDeadlineFrom(
    p.rules,
    paidAt,
    lastAppeal === undefined ? 1 : lastAppeal.level + 1,
    p.deadlineZone(),
  );
  await p.record('UNDERPAYMENT_OPENED', {
    reason: `allowed ${contract.payerAllowedCents} cents against ${contract.expectedCents} contracted: ${v} cents short`,
    data: { postingKey: r.postingKey, ...d.underpayment },
  });
  await p.transition('PARTIAL', `underpaid ${v} cents against the contract`, { actor: 'payer' });
  await p.enterReview(`underpayment needs review: ${rule.action}`);
}
