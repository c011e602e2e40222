/**
 * Starting a claim's workflow from its Postgres row: used by intake (the API) and by the reconciliation
 * that the ERA schedule runs, so a claim stored while Temporal was unreachable is never left without
 * its process. Client-side code only; nothing here is bundled into workflows.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { claimRefOf } from '../db/claims.js';
import type { ClaimRow } from '../db/schema.js';
import * as sa from '../workflows/search-attributes.js';

/** Starts the claim workflow; a running or finished run for the same id is left as it is. */
export async function startClaimWorkflow(client: Client, taskQueue: string, row: ClaimRow): Promise<void> {
  try {
    await client.workflow.start('claimWorkflow', {
      workflowId: row.workflow_id,
      taskQueue,
      args: [{ claim: claimRefOf(row) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A claim that already ran to the end is reopened only by a remittance, never by intake.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: sa.ClaimStatusKey, value: 'SUBMITTING' },
        { key: sa.PracticeIdKey, value: row.practice_id },
        { key: sa.PayerIdKey, value: row.payer_id },
        { key: sa.OpenBalanceCentsKey, value: row.open_balance_cents },
        { key: sa.EscalatedKey, value: false },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
