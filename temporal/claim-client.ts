/**
 * The one client-side place that starts and reopens claim workflows, used by intake (the API), the
 * manual match of a remittance loop (the API) and the ERA activities (posting, the intake sweep).
 * Both start the run from the claim's Postgres row, so the workflow id, the initial search attributes
 * and the id policies are written once. Client-side code only; nothing here is bundled into workflows.
 */
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { ClaimRef } from '../domain/claim.js';
import type { ClaimStatus } from '../domain/claim-status.js';
import type { Cents } from '../domain/money.js';
import type { RemittanceSummary } from '../domain/remittance.js';
import { CLAIM_WORKFLOW_TYPE, claimWorkflowId } from '../workflows/ids.js';
import {
  type ClaimStartInput,
  payerRulesChangedSignal,
  remittanceReceivedSignal,
} from '../workflows/messages.js';
import * as sa from '../workflows/search-attributes.js';

/** The claim workflow as a client sees it: started from a `ClaimStartInput`, never from its code. */
type ClaimRun = (input: ClaimStartInput) => Promise<unknown>;

/** What a claim's run starts from: its reference and where its Postgres row stands. */
export interface ClaimStart {
  claim: ClaimRef;
  status: ClaimStatus;
  openBalanceCents: Cents;
}

/** The state a reopened claim resumes from (read from Postgres by the caller). */
export type ClaimResume = NonNullable<ClaimStartInput['resume']>['fromRow'];

/**
 * The search attributes a run starts with; the workflow upserts them as it moves. Ids and amounts only:
 * no PHI is ever a search attribute.
 */
export function initialSearchAttributes(start: ClaimStart): SearchAttributePair[] {
  return [
    { key: sa.ClaimStatusKey, value: start.status },
    { key: sa.PracticeIdKey, value: start.claim.practiceId },
    { key: sa.PayerIdKey, value: start.claim.payerId },
    { key: sa.OpenBalanceCentsKey, value: start.openBalanceCents },
    { key: sa.EscalatedKey, value: false },
  ];
}

/**
 * Starts the claim's workflow (intake and the sweep of claims stored while Temporal was unreachable).
 * A running or finished run for the same id is left as it is: a claim that already ran to the end is
 * reopened only by a remittance, never by intake.
 */
export async function startClaim(client: Client, taskQueue: string, start: ClaimStart): Promise<void> {
  try {
    await client.workflow.start<ClaimRun>(CLAIM_WORKFLOW_TYPE, {
      workflowId: claimWorkflowId(start.claim.practiceId, start.claim.claimId),
      taskQueue,
      args: [{ claim: start.claim }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: initialSearchAttributes(start),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Tells a claim about one posted remittance loop. Signal-with-start: a running claim just gets the
 * signal; a closed one (a reversal or a late payment months later) is reopened as a new run of the same
 * workflow id from its Postgres row, which the id-reuse policy allows. Only claims we know reach here:
 * an unmatched loop never starts anything.
 */
export async function reopenWithRemittance(
  client: Client,
  taskQueue: string,
  input: ClaimStart & { resume: ClaimResume; summary: RemittanceSummary },
): Promise<void> {
  await client.workflow.signalWithStart<ClaimRun, [RemittanceSummary]>(CLAIM_WORKFLOW_TYPE, {
    workflowId: claimWorkflowId(input.claim.practiceId, input.claim.claimId),
    taskQueue,
    args: [{ claim: input.claim, resume: { fromRow: input.resume } }],
    signal: remittanceReceivedSignal,
    signalArgs: [input.summary],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: initialSearchAttributes(input),
  });
}

/**
 * Tells a claim's open run that its payer's rules changed, so its pending timers follow the rule now in
 * force. Answers false when the run has closed since the caller listed it: a closed claim has nothing
 * to reload.
 */
export async function tellRulesChanged(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(payerRulesChangedSignal);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
