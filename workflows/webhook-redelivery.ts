/**
 * Sends failed webhook deliveries again. Started by the Temporal Schedule `webhook-redelivery-<taskQueue>`
 * (every few minutes) and by an admin's redeliver request; the activity picks the outbox rows that are
 * due, so two runs never need to agree on anything but the rows' status.
 */
import { redelivery } from './activities.js';

export interface WebhookRedeliveryInput {
  /** How long after its last attempt a failed row is due (the activity's default when absent). */
  graceMs?: number;
}

export async function webhookRedeliveryWorkflow(
  input: WebhookRedeliveryInput = {},
): Promise<{ attempted: number; delivered: number; failed: number }> {
  return redelivery.redeliverFailedNotifications({ graceMs: input.graceMs });
}
