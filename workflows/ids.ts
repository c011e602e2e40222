/**
 * Workflow ids and the task queue come from here only. Ids carry practice and claim ids, never PHI.
 */
export const CLAIMS_TASK_QUEUE_DEFAULT = 'claims';

export function claimWorkflowId(practiceId: string, claimId: string): string {
  return `claim-${practiceId}-${claimId}`;
}

export function patientBalanceWorkflowId(practiceId: string, claimId: string): string {
  return `patient-balance-${practiceId}-${claimId}`;
}

/** One ERA pull schedule per task queue (several deployments may share a namespace). */
export function eraPollScheduleId(taskQueue: string): string {
  return `era-poll-${taskQueue}`;
}

/** The rollout of one payer-rule change to the claims waiting on it. */
export function rulesRolloutWorkflowId(changeId: string): string {
  return `rules-rollout-${changeId}`;
}
