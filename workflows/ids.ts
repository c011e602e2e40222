/**
 * Workflow ids, the task queue and the idempotency keys the workflows hand to activities come from here
 * only. Ids carry practice and claim ids (or a uuid), never PHI.
 */
export const CLAIMS_TASK_QUEUE_DEFAULT = 'claims';

/** The registered workflow type of the claim workflow: the name of `claimWorkflow`, checked by a unit test. */
export const CLAIM_WORKFLOW_TYPE = 'claimWorkflow';

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

/** The ERA ingestion workflow id: one ingestion per distinct file content. */
export function eraIngestWorkflowId(checksum: string): string {
  return `era-${checksum}`;
}

/** One claim-rule mining schedule per task queue. */
export function ruleMinerScheduleId(taskQueue: string): string {
  return `rule-miner-${taskQueue}`;
}

/** One webhook redelivery schedule per task queue. */
export function webhookRedeliveryScheduleId(taskQueue: string): string {
  return `webhook-redelivery-${taskQueue}`;
}

/** The rollout of one payer-rule change to the claims waiting on it. */
export function rulesRolloutWorkflowId(changeId: string): string {
  return `rules-rollout-${changeId}`;
}

/** The audit event of a claim with this sequence number: a retried activity writes it once. */
export function claimEventKey(claimUuid: string, seq: number): string {
  return `${claimUuid}:${seq}`;
}

/** The n-th submission of a claim: every retry of one submission carries the same key. */
export function submissionKey(claimUuid: string, submission: number): string {
  return `${claimUuid}:submission:${submission}`;
}

/** The appeal of a claim at one level: a retried filing files once. */
export function appealKey(claimUuid: string, level: number): string {
  return `${claimUuid}:appeal:${level}`;
}

/** A notification about a claim: one outbox row per claim and `dedupe` (its own reason for existing). */
export function notificationKey(claimUuid: string, dedupe: string): string {
  return `${claimUuid}:${dedupe}`;
}

/** The patient statement at one step of the dunning cadence (`dunning:<n>` or `collections`). */
export function statementKey(step: number | 'collections'): string {
  return step === 'collections' ? 'collections' : `dunning:${step}`;
}

/** Idempotency key of a claim's appeal packet at one level: the payer files one packet per key. */
export function appealPacketDeliveryKey(claimUuid: string, level: number): string {
  return `${claimUuid}:appeal-packet:${level}`;
}
