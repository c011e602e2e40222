/**
 * A remittance (one 835 CLP loop, posted in Postgres before it is signalled) reaches the claim: paid,
 * denied in part or whole, informational, or a reversal of an earlier payment (docs/x12-835.md,
 * docs/carc-rarc.md). The same posting signalled twice counts once.
 */
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
  d.appealDeadline = appealDeadlineFrom(p.rules, deniedAt, firstLevel);
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
