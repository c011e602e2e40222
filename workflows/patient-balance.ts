/**
 * Patient dunning for one claim's patient balance (child of the claim workflow). Statements follow the
 * payer rule's cadence (default day 0/30/60 and a final notice at day 90); collections come no earlier
 * than `collectionsAfterDays` (>= 120, IRS 501(r)) after the first statement and 30 days after the final
 * notice. Holds (financial assistance, dispute, ...) and a payment plan in good standing stop the dunning
 * clock; a missed installment restarts it. Payment to zero ends it. The rules: docs/dunning.md.
 */
import * as wf from '@temporalio/workflow';
import { addDays, DAY, isoDate } from '../domain/dates.js';
import type { PayerRules } from '../domain/payer-rules.js';
import { store } from './activities.js';
import { statementKey } from './ids.js';
import * as m from './messages.js';
import { waitFor } from './wait.js';

/** Days after a due date before an installment counts as missed. */
const INSTALLMENT_GRACE_DAYS = 10;
/** 501(r): at least 30 days between the written final notice and any collection action. */
const MIN_DAYS_AFTER_FINAL_NOTICE = 30;

export interface PatientBalanceInput {
  claim: m.ClaimRef;
  parentWorkflowId: string;
  balanceCents: number;
  rules: PayerRules;
  holds: m.HoldReason[];
}

interface Plan {
  installmentCents: number;
  intervalDays: number;
  firstDueAt: number;
  paidSinceStart: number;
}

export async function patientBalanceWorkflow(input: PatientBalanceInput): Promise<void> {
  const rules = input.rules;
  const cadence = rules.dunningCadenceDays;
  let balance = input.balanceCents;
  const holds = new Set<m.HoldReason>(input.holds);
  let plan: Plan | undefined;
  let statementsSent = 0;
  let firstStatementAt: number | undefined;
  let finalNoticeAt: number | undefined;
  /** Dunning-clock time accrued while not paused, up to `runningSince`. */
  let accruedMs = 0;
  let runningSince: number | undefined;
  let changed = false;
  let nextActionAt: number | undefined;

  const planInGoodStanding = () => plan !== undefined;
  const paused = () => holds.size > 0 || planInGoodStanding();
  const clockMs = () => accruedMs + (runningSince === undefined ? 0 : Date.now() - runningSince);
  const status = (): m.PatientBalanceView['status'] =>
    balance <= 0 ? 'PAID' : holds.size > 0 ? 'ON_HOLD' : plan ? 'PAYMENT_PLAN' : 'DUNNING';
  const view = (): m.PatientBalanceView => ({
    status: status(),
    balanceCents: balance,
    statementsSent,
    holds: [...holds],
    nextActionAt: nextActionAt === undefined ? undefined : new Date(nextActionAt).toISOString(),
  });
  /** Starts or stops the dunning clock to match the current holds and plan. */
  const syncClock = () => {
    if (paused() && runningSince !== undefined) {
      accruedMs += Date.now() - runningSince;
      runningSince = undefined;
    } else if (!paused() && runningSince === undefined) {
      runningSince = Date.now();
    }
  };

  wf.setHandler(m.patientBalanceStateQuery, view);
  wf.setHandler(m.patientBalancePaymentSignal, (p) => {
    balance -= p.amountCents;
    if (plan) plan.paidSinceStart += p.amountCents;
    changed = true;
  });
  wf.setHandler(m.patientBalanceHoldSignal, ({ reason, placed }) => {
    if (placed) holds.add(reason);
    else holds.delete(reason);
    syncClock();
    changed = true;
  });
  wf.setHandler(m.patientBalancePlanSignal, (p) => {
    plan = {
      installmentCents: p.installmentCents,
      intervalDays: p.intervalDays,
      firstDueAt: Date.parse(`${p.firstDueDate}T00:00:00Z`),
      paidSinceStart: 0,
    };
    syncClock();
    changed = true;
  });

  const parent = wf.getExternalWorkflowHandle(input.parentWorkflowId);
  const reportProgress = async () => {
    await parent.signal(m.patientBalanceProgressSignal, view());
  };

  const sendStatement = async (index: number) => {
    const last = index === cadence.length - 1;
    const kind = index === 0 ? 'STATEMENT' : last ? 'FINAL_NOTICE' : 'REMINDER';
    const dueDate = isoDate(addDays(Date.now(), last ? rules.finalNoticeDays : 30));
    await store.sendPatientStatement({
      claimUuid: input.claim.claimUuid,
      practiceId: input.claim.practiceId,
      statementKey: statementKey(index),
      kind,
      amountDueCents: balance,
      dueDate,
      at: new Date().toISOString(),
    });
    statementsSent += 1;
    if (index === 0) firstStatementAt = Date.now();
    if (last) finalNoticeAt = Date.now();
    await reportProgress();
  };

  /** The next installment check: due date of the installment that the payments so far do not cover. */
  const nextInstallmentCheck = (p: Plan): number => {
    const covered = Math.floor(p.paidSinceStart / p.installmentCents);
    return addDays(p.firstDueAt, covered * p.intervalDays + INSTALLMENT_GRACE_DAYS);
  };

  let outcome: 'PAID' | 'COLLECTIONS' | undefined;
  syncClock();
  while (outcome === undefined) {
    if (balance <= 0) {
      outcome = 'PAID';
      break;
    }
    const now = Date.now();
    const candidates: { at: number; act: () => Promise<void> }[] = [];
    if (!paused()) {
      if (statementsSent < cadence.length) {
        const dueInMs = cadence[statementsSent]! * DAY - clockMs();
        const index = statementsSent;
        candidates.push({ at: now + Math.max(0, dueInMs), act: () => sendStatement(index) });
      } else if (firstStatementAt !== undefined && finalNoticeAt !== undefined) {
        // Every clock must agree: dunning days (holds excluded), calendar days since the first
        // statement, and the wait after the final notice.
        const byClock = now + Math.max(0, rules.collectionsAfterDays * DAY - clockMs());
        const byCalendar = addDays(firstStatementAt, rules.collectionsAfterDays);
        const afterNotice = addDays(
          finalNoticeAt,
          Math.max(rules.finalNoticeDays, MIN_DAYS_AFTER_FINAL_NOTICE),
        );
        candidates.push({
          at: Math.max(byClock, byCalendar, afterNotice),
          act: async () => {
            await store.sendPatientStatement({
              claimUuid: input.claim.claimUuid,
              practiceId: input.claim.practiceId,
              statementKey: statementKey('collections'),
              kind: 'COLLECTIONS',
              amountDueCents: balance,
              dueDate: null,
              at: new Date().toISOString(),
            });
            outcome = 'COLLECTIONS';
          },
        });
      }
    }
    if (plan && holds.size === 0) {
      const p = plan;
      candidates.push({
        at: nextInstallmentCheck(p),
        act: async () => {
          // The installment due before this check is still unpaid: the plan is broken, dunning resumes.
          plan = undefined;
          syncClock();
          await reportProgress();
        },
      });
    }
    candidates.sort((a, b) => a.at - b.at);
    const next = candidates[0];
    nextActionAt = next?.at;
    changed = false;
    const woke = await waitFor(
      () => changed,
      next === undefined ? undefined : Math.max(1, next.at - Date.now()),
    );
    if (woke) {
      await reportProgress();
      continue;
    }
    if (next) await next.act();
  }
  nextActionAt = undefined;
  await parent.signal(m.patientBalanceClosedSignal, {
    outcome,
    balanceCents: Math.max(0, balance),
    statementsSent,
  });
  await wf.condition(wf.allHandlersFinished);
}
