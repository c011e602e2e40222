/**
 * The claim workflow: one run per claim from submission to the last cent collected or written off
 * (docs/architecture.md). Waiting is durable timers computed from payer rules, outside facts arrive as
 * signals, people act through validated updates. Every input becomes a command applied by the single
 * main loop, so no two handlers ever interleave around an activity call.
 */
import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import { isTerminal } from '../../domain/claim-status.js';
import type { RemittanceSummary } from '../../domain/remittance.js';
import * as m from '../messages.js';
import { waitFor } from '../wait.js';
import { appealDecisionReceived, appealFollowUp } from './appeals.js';
import { applyDecision, DECISIONS, type DecisionName, type Refusal, refusal } from './decisions.js';
import { patientBalanceClosed, patientBalanceProgress, patientPayment } from './patient.js';
import { ClaimProcess } from './process.js';
import { remittanceReceived } from './remittance.js';
import { type ClaimData, type ClaimTimer, initialState, type RunStart, timers } from './state.js';
import { followUp, statusChanged, submit } from './submission.js';

export type { ClaimData } from './state.js';

/** A client's start input (`ClaimStartInput`), or the whole state when the run continues as new. */
export interface ClaimWorkflowInput {
  claim: m.ClaimRef;
  /** Present when continuing as new, or when a closed claim is reopened from its Postgres row. */
  resume?: ClaimData | NonNullable<m.ClaimStartInput['resume']>;
  /** Continue as new past this many history events even if the server has not suggested it. */
  historyBudget?: number;
}

const DEFAULT_HISTORY_BUDGET = 4_000;

/** What the main loop applies, one at a time: a signal's fact or a person's decision. */
type Command =
  | { kind: 'remittance'; remittance: RemittanceSummary }
  | { kind: 'patientPayment'; payment: m.PatientPayment }
  | { kind: 'appealDecision'; decision: m.AppealDecision }
  | { kind: 'statusChanged'; change: m.ClaimStatusChange }
  | { kind: 'rulesChanged' }
  | { kind: 'patientBalanceClosed'; result: m.PatientBalanceResult }
  | { kind: 'patientBalanceProgress'; view: m.PatientBalanceView }
  | { kind: 'decision'; id: number; name: DecisionName; input: unknown };

/** The run: the claim's process plus the command queue its handlers fill and its main loop drains. */
class ClaimRun {
  private readonly queue: Command[] = [];
  private readonly outcomes = new Map<number, Refusal | undefined>();
  private nextDecisionId = 1;

  constructor(readonly process: ClaimProcess) {}

  /** Registered before the first await, so no message of the first workflow task is lost. */
  registerHandlers(): void {
    const enqueue = (c: Command): void => {
      this.queue.push(c);
    };
    wf.setHandler(m.stateQuery, () => this.process.view());
    wf.setHandler(m.remittanceReceivedSignal, (remittance) => enqueue({ kind: 'remittance', remittance }));
    wf.setHandler(m.patientPaymentReceivedSignal, (payment) => enqueue({ kind: 'patientPayment', payment }));
    wf.setHandler(m.appealDecisionReceivedSignal, (decision) =>
      enqueue({ kind: 'appealDecision', decision }),
    );
    wf.setHandler(m.claimStatusChangedSignal, (change) => enqueue({ kind: 'statusChanged', change }));
    wf.setHandler(m.payerRulesChangedSignal, () => enqueue({ kind: 'rulesChanged' }));
    wf.setHandler(m.patientBalanceClosedSignal, (result) =>
      enqueue({ kind: 'patientBalanceClosed', result }),
    );
    wf.setHandler(m.patientBalanceProgressSignal, (view) =>
      enqueue({ kind: 'patientBalanceProgress', view }),
    );
    for (const name of Object.keys(DECISIONS) as DecisionName[]) {
      // Decisions are updates, not signals: the person learns at once whether the claim accepted it,
      // and the validator keeps a refused decision out of history altogether.
      wf.setHandler(
        DECISIONS[name].update as UpdateDefinition<m.ClaimView, [unknown]>,
        async (input: unknown) => {
          const id = this.nextDecisionId++;
          enqueue({ kind: 'decision', id, name, input });
          await wf.condition(() => this.outcomes.has(id));
          const refused = this.outcomes.get(id);
          this.outcomes.delete(id);
          if (refused) throw refusalFailure(refused);
          return this.process.view();
        },
        {
          validator: (input: unknown) => {
            const refused = refusal(name, this.process.d, input, Date.now());
            if (refused) throw refusalFailure(refused);
          },
        },
      );
    }
  }

  private async apply(c: Command): Promise<void> {
    const p = this.process;
    switch (c.kind) {
      case 'remittance':
        return remittanceReceived(p, c.remittance);
      case 'patientPayment':
        return patientPayment(p, c.payment);
      case 'appealDecision':
        return appealDecisionReceived(p, c.decision, { actor: 'payer' });
      case 'statusChanged':
        return statusChanged(p, c.change);
      case 'rulesChanged':
        return p.applyRulesChange();
      case 'patientBalanceClosed':
        return patientBalanceClosed(p, c.result);
      case 'patientBalanceProgress':
        return patientBalanceProgress(p, c.view);
      case 'decision': {
        // The state may have changed since the validator ran: check again before applying.
        const refused =
          refusal(c.name, p.d, c.input, Date.now()) ?? (await applyDecision(p, c.name, c.input));
        this.outcomes.set(c.id, refused);
        return;
      }
    }
  }

  private async fire(t: ClaimTimer): Promise<void> {
    const p = this.process;
    switch (t.kind) {
      case 'FOLLOW_UP':
        return followUp(p);
      case 'APPEAL_FOLLOW_UP':
        return appealFollowUp(p);
      case 'REMINDER':
        return p.sendDueReminders();
      case 'DEADLINE':
        return p.deadlineMissed(t.deadline);
    }
  }

  private continueAsNewDue(budget: number): boolean {
    const info = wf.workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > budget;
  }

  /**
   * Applies commands and fires timers until the claim closes; returns the state to carry when the run
   * should continue as new instead.
   */
  async run(budget: number): Promise<ClaimData | undefined> {
    const d = this.process.d;
    // A reopened claim starts in its closed status with the reopening signal queued: drain it first.
    while (!isTerminal(d.status) || this.queue.length > 0) {
      if (this.queue.length === 0 && this.continueAsNewDue(budget)) {
        await wf.condition(wf.allHandlersFinished);
        if (this.queue.length === 0) return d;
      }
      const next = timers(d)[0];
      const wait = next === undefined ? undefined : Math.max(1, next.at - Date.now());
      const woke = await waitFor(() => this.queue.length > 0, wait);
      const command = woke ? this.queue.shift() : undefined;
      if (command) await this.apply(command);
      else if (next) await this.fire(next);
    }
    await wf.condition(wf.allHandlersFinished);
    // A signal that arrived while the last handlers finished (a remittance racing the close) must not
    // be dropped with the run: handle it before returning.
    if (this.queue.length > 0) {
      // The search attributes are published again as at the start of every loop (recorded histories
      // carry this upsert: it must stay).
      this.process.publishSearchAttributes();
      return this.run(budget);
    }
    return undefined;
  }
}

function refusalFailure(r: Refusal): wf.ApplicationFailure {
  return wf.ApplicationFailure.nonRetryable(r.message, r.type, ...(r.field ? [{ field: r.field }] : []));
}

/** The first steps of a run, before its main loop: what depends on how the run began. */
async function begin(process: ClaimProcess, start: RunStart): Promise<void> {
  switch (start) {
    case 'NEW':
      await process.reloadRules();
      process.publishSearchAttributes();
      await submit(process, '1');
      return;
    case 'REOPENED':
      // A late remittance or reversal reopened a closed claim: rules may have changed since it closed.
      await process.reloadRules();
      await process.record('REOPENED', { reason: `reopened from ${process.d.status}` });
      process.publishSearchAttributes();
      return;
    case 'CONTINUED':
      process.publishSearchAttributes();
      return;
  }
}

/**
 * One claim, from submission to settlement. Started by the API (`claim-<practiceId>-<claimId>`); a
 * closed claim is reopened by signal-with-start from its Postgres row.
 */
export async function claimWorkflow(input: ClaimWorkflowInput): Promise<m.ClaimView> {
  const { data, start } = initialState(input.claim, input.resume);
  const process = new ClaimProcess(input.claim, data);
  const run = new ClaimRun(process);
  run.registerHandlers();
  await begin(process, start);
  const carry = await run.run(input.historyBudget ?? DEFAULT_HISTORY_BUDGET);
  if (carry) {
    // Long life: the next run starts from this state with a fresh history (docs/architecture.md).
    return wf.continueAsNew<typeof claimWorkflow>({
      claim: input.claim,
      resume: carry,
      historyBudget: input.historyBudget,
    });
  }
  return process.view();
}
