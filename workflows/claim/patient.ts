/**
 * Settling the claim once insurance is done: the patient's share goes to dunning in the patient-balance
 * child workflow (docs/dunning.md), a fully paid claim closes, and what nobody owes is written off.
 * Also the decisions that move money between payer, patient and write-off, and the patient-side
 * decisions (holds, payment plans) that the child must hear about.
 */
import * as wf from '@temporalio/workflow';
import { store } from '../activities.js';
import { patientBalanceWorkflowId } from '../ids.js';
import * as m from '../messages.js';
import { patientBalanceWorkflow } from '../patient-balance.js';
import type { ClaimProcess } from './process.js';
import { openBalance, PATIENT_STATES, patientOpen } from './state.js';

/** Insurance is done: the patient owes the rest, or the claim is settled. */
export async function settle(p: ClaimProcess, reason: string, actor?: m.Actor): Promise<void> {
  const d = p.d;
  d.followUpAt = undefined;
  d.appealFollowUpAt = undefined;
  d.reminders = [];
  d.reviewSlaAt = undefined;
  if (patientOpen(d) > 0) {
    await startPatientBalance(p, reason, actor);
  } else if (openBalance(d) <= 0) {
    await p.transition('PAID', reason, actor);
  } else {
    // Something is still open and nobody owes it: write it off explicitly rather than drop it.
    const rest = openBalance(d);
    d.writtenOffCents += rest;
    await p.transition('WRITTEN_OFF', `${reason}; remaining ${rest} cents written off`, actor);
  }
}

async function startPatientBalance(p: ClaimProcess, reason: string, actor?: m.Actor): Promise<void> {
  const d = p.d;
  const balance = {
    status: 'DUNNING' as const,
    balanceCents: patientOpen(d),
    statementsSent: 0,
    holds: [],
    started: false,
  };
  d.patientBalance = balance;
  await p.transition('PATIENT_BALANCE', reason, actor, { patientOwesCents: patientOpen(d) });
  await wf.startChild(patientBalanceWorkflow, {
    workflowId: patientBalanceWorkflowId(p.ref.practiceId, p.ref.claimId),
    // The child outlives a continue-as-new of this run and reports back by signal to the workflow id.
    parentClosePolicy: wf.ParentClosePolicy.ABANDON,
    args: [
      {
        claim: p.ref,
        parentWorkflowId: p.workflowId,
        balanceCents: patientOpen(d),
        rules: p.rules,
        holds: d.holds,
      },
    ],
  });
  balance.started = true;
}

/** Insurance is pending again (a reversal): never bill the patient meanwhile. */
export async function stopPatientBalance(p: ClaimProcess): Promise<void> {
  const d = p.d;
  if (PATIENT_STATES.has(d.status) && d.patientBalance?.started) {
    await p.childHandle().cancel();
    d.patientBalance = undefined;
  }
}

export async function patientPayment(p: ClaimProcess, payment: m.PatientPayment): Promise<void> {
  const d = p.d;
  const { posted } = await store.postPatientPayment({ claimUuid: p.ref.claimUuid, payment });
  if (!posted) return;
  d.patientPaidCents += payment.amountCents;
  await p.record('PATIENT_PAYMENT_POSTED', {
    reason: `${payment.amountCents} cents (${payment.method})`,
    data: { reference: payment.reference },
  });
  if (d.patientBalance?.started && PATIENT_STATES.has(d.status)) {
    await p.childHandle().signal(m.patientBalancePaymentSignal, payment);
  }
}

export async function patientBalanceProgress(p: ClaimProcess, view: m.PatientBalanceView): Promise<void> {
  const d = p.d;
  if (!d.patientBalance || !PATIENT_STATES.has(d.status)) return;
  // Only a child that had itself reported the plan can report it broken; a DUNNING report sent before
  // the child received the plan is stale.
  const childWasOnPlan = d.patientBalance.status === 'PAYMENT_PLAN';
  Object.assign(d.patientBalance, view, { started: true });
  // A missed installment ends the plan in the child; the claim shows dunning again.
  if (d.status === 'PAYMENT_PLAN' && childWasOnPlan && view.status === 'DUNNING') {
    await p.transition('PATIENT_BALANCE', 'payment plan broken: an installment was missed; dunning resumes');
  }
}

export async function patientBalanceClosed(p: ClaimProcess, result: m.PatientBalanceResult): Promise<void> {
  const d = p.d;
  if (!PATIENT_STATES.has(d.status)) return;
  if (d.patientBalance)
    Object.assign(d.patientBalance, { status: result.outcome, balanceCents: result.balanceCents });
  if (result.outcome === 'PAID') await settle(p, 'patient balance paid');
  else if (result.outcome === 'COLLECTIONS')
    await p.transition('COLLECTIONS', `handed to collections after ${result.statementsSent} statements`);
  else {
    d.writtenOffCents += result.balanceCents;
    await p.transition('WRITTEN_OFF', 'patient balance written off');
  }
}

/** Writes off the patient's balance (dunning stops), or what the payer will not pay. */
export async function writeOff(p: ClaimProcess, input: m.WriteOffInput): Promise<void> {
  const d = p.d;
  p.clearEscalation();
  if (PATIENT_STATES.has(d.status)) {
    const amount = patientOpen(d);
    if (d.patientBalance?.started) await p.childHandle().cancel();
    d.writtenOffCents += amount;
    d.patientBalance = undefined;
    await p.transition('WRITTEN_OFF', `${input.reasonCode}: ${input.note ?? ''}`.trim(), input, {
      amountCents: amount,
    });
    return;
  }
  // Write off what the payer will not pay; any patient share still follows its own path.
  const amount = Math.max(0, openBalance(d) - patientOpen(d));
  d.writtenOffCents += amount;
  d.denial = undefined;
  d.appealDeadline = undefined;
  await p.record('WRITE_OFF', {
    actor: input,
    reason: input.reasonCode,
    data: { amountCents: amount, note: input.note },
  });
  if (patientOpen(d) > 0) await settle(p, `insurance balance written off (${input.reasonCode})`, input);
  else
    await p.transition('WRITTEN_OFF', `${input.reasonCode}${input.note ? `: ${input.note}` : ''}`, input, {
      amountCents: amount,
    });
}

/** The denied amount becomes the patient's (a PR denial, or a CO denial with a signed waiver). */
export async function transferToPatient(p: ClaimProcess, input: m.TransferToPatientInput): Promise<void> {
  const d = p.d;
  d.patientResponsibilityCents += d.denial?.deniedCents ?? 0;
  d.denial = undefined;
  d.appealDeadline = undefined;
  p.clearEscalation();
  await settle(p, `transferred to patient: ${input.reason}`, input);
}

/** A hold (financial assistance, dispute, ...) placed or released; the child pauses or resumes dunning. */
export async function changeHold(
  p: ClaimProcess,
  input: m.PlaceHoldInput | m.ReleaseHoldInput,
  placed: boolean,
): Promise<void> {
  const d = p.d;
  d.holds = placed ? [...d.holds, input.reason] : d.holds.filter((h) => h !== input.reason);
  await p.record(placed ? 'HOLD_PLACED' : 'HOLD_RELEASED', { actor: input, reason: input.reason });
  if (d.patientBalance?.started)
    await p.childHandle().signal(m.patientBalanceHoldSignal, { reason: input.reason, placed });
}

/** A payment plan replaces dunning while it is kept (docs/dunning.md). */
export async function setupPaymentPlan(p: ClaimProcess, input: m.PaymentPlanInput): Promise<void> {
  const d = p.d;
  const plan = {
    installmentCents: input.installmentCents,
    intervalDays: input.intervalDays,
    firstDueDate: input.firstDueDate,
  };
  await p.transition(
    'PAYMENT_PLAN',
    `${input.installmentCents} cents every ${input.intervalDays} days`,
    input,
    plan,
  );
  if (d.patientBalance?.started) await p.childHandle().signal(m.patientBalancePlanSignal, plan);
}
