/**
 * The activity proxies every workflow uses, one per activity group. Each proxy is typed to its group
 * only, so calling a payer activity through the store proxy (and so with the store's retry policy) is a
 * compile error rather than a naming convention. Activity types only: no activity code enters the bundle.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** Postgres bookkeeping of a claim and its patient balance. */
export type StoreActivities = Pick<
  Activities,
  | 'recordClaimEvent'
  | 'loadPayerRules'
  | 'applyCorrection'
  | 'recordAppealDecision'
  | 'postPatientPayment'
  | 'sendPatientStatement'
  | 'scrubClaim'
>;
/** Calls to the payer/clearinghouse on behalf of one claim. */
export type PayerActivities = Pick<
  Activities,
  'submitClaim' | 'claimStatusInquiry' | 'submitAppeal' | 'appealStatus'
>;
/** Notification outbox and delivery. */
export type NotifyActivities = Pick<Activities, 'notify'>;
/** ERA posting and the intake sweep, run by the ERA workflows. */
export type EraStoreActivities = Pick<
  Activities,
  'postEraFile' | 'signalPostedClaims' | 'startOrphanedClaims'
>;
/** Pulling ERA files from the clearinghouse. */
export type ClearinghouseActivities = Pick<Activities, 'pullEraFiles'>;
/** Sending failed webhook deliveries again. */
export type RedeliveryActivities = Pick<Activities, 'redeliverFailedNotifications'>;
/** Building, storing and sending documents (appeal packets). */
export type DocumentActivities = Pick<Activities, 'deliverAppealPacket'>;
/** Mining first adjudications for claim-rule proposals. */
export type MinerActivities = Pick<Activities, 'mineClaimRules'>;
/** Paging a payer-rule change out to the claims waiting on it. */
export type RolloutActivities = Pick<Activities, 'signalRulesChange' | 'recordRulesRollout'>;

/** Database and bookkeeping activities: short, retried with backoff until they succeed. */
export const store = proxyActivities<StoreActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m' },
});

/**
 * Payer calls: retried without limit so that an outage is ridden out; the gateway marks payer 4xx
 * answers non-retryable, and the idempotency key made in the workflow keeps a retried submission single.
 */
export const payer = proxyActivities<PayerActivities>({
  startToCloseTimeout: '45s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10m' },
});

/** Notifications: delivery is best effort after the outbox row exists; a dead webhook must not stall a claim. */
export const notifier = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 8 },
});

/** ERA posting: a whole file per call, so a longer timeout than the claim's bookkeeping. */
export const eraStore = proxyActivities<EraStoreActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m' },
});

/** The clearinghouse's file mailbox: bounded retries, the next scheduled pull tries again anyway. */
export const clearinghouse = proxyActivities<ClearinghouseActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10 },
});

/** One redelivery run sends up to a hundred webhooks, each with its own timeout: a generous timeout. */
export const redelivery = proxyActivities<RedeliveryActivities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 5 },
});

/** One page of a rule rollout signals up to a few hundred claims: a generous timeout. */
export const rollout = proxyActivities<RolloutActivities>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/**
 * Documents: rendering a packet has its own page/size/time budget (about a minute), then an upload to the
 * payer, so a longer timeout than a payer call; retried with backoff like payer calls (the packet is
 * stored once and sent under the workflow's idempotency key). A bad attachment or template is
 * non-retryable: retrying cannot fix it.
 */
export const documents = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '3m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m' },
});

/** One mining run reads every practice's first adjudications: a generous timeout, bounded retries. */
export const miner = proxyActivities<MinerActivities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 5 },
});
