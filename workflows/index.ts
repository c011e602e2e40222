/** The workflow bundle's entry point: every workflow type the worker registers. */
export { claimWorkflow } from './claim/index.js';
export { eraIngestWorkflow, eraPollWorkflow } from './era.js';
export { patientBalanceWorkflow } from './patient-balance.js';
export { ruleMinerWorkflow } from './rule-miner.js';
export { payerRulesRolloutWorkflow } from './rules-rollout.js';
export { webhookRedeliveryWorkflow } from './webhook-redelivery.js';
