/**
 * `createActivities(deps)`: the only code that touches the world on behalf of workflows, assembled from
 * one module per concern. Every write is keyed so a retried activity never writes twice; payer errors
 * are classified for Temporal's retry (failures.ts). Activity names are the property names below and
 * recorded histories refer to them: rename none.
 */
import { createClaimRuleActivities } from './claim-rules.js';
import { createClaimStoreActivities } from './claim-store.js';
import type { ActivityDeps } from './deps.js';
import { createDocumentActivities } from './documents.js';
import { createEraActivities } from './era.js';
import { createNotificationActivities } from './notifications.js';
import { createPatientBalanceActivities } from './patient-balance.js';
import { createPayerActivities } from './payer.js';
import { createRulesRolloutActivities } from './rules-rollout.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  // Only the packet delivery is an activity; statements render inside sendPatientStatement.
  const { deliverAppealPacket } = createDocumentActivities(deps);
  return {
    ...createClaimStoreActivities(deps),
    ...createPayerActivities(deps),
    ...createNotificationActivities(deps),
    ...createPatientBalanceActivities(deps),
    ...createEraActivities(deps),
    ...createRulesRolloutActivities(deps),
    ...createClaimRuleActivities(deps),
    deliverAppealPacket,
  };
}

export type Activities = ReturnType<typeof createActivities>;
