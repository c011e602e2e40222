/**
 * Outbound notifications: written to the outbox once per dedupe key, then delivered as a webhook POST
 * in the Standard Webhooks format (`webhook-id`, `webhook-timestamp`, `webhook-signature:
 * v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), so receivers verify the sender and refuse replays
 * (an old timestamp, or an id already seen). The id is the outbox row's: every attempt at one
 * notification carries the same id, so a receiver de-duplicates redeliveries. A delivered notification
 * is never sent again, however often the activity is retried; failed ones are retried by the
 * redelivery job (`redeliverFailedNotifications`) once the activity's own retries are over.
 */
import { createHmac } from 'node:crypto';
import {
  enqueueNotification,
  failedNotificationsDue,
  markDelivered,
  markDeliveryFailed,
  markNoEndpoint,
  practiceForDelivery,
} from '../db/outbox.js';
import type { NotificationRequest } from '../db/records.js';
import type { NotificationRow } from '../db/schema.js';
import type { ActivityDeps } from './deps.js';
import { webhookFailed } from './failures.js';

/**
 * The HMAC key of a webhook secret: a Standard Webhooks secret (`whsec_<base64>`) is its decoded
 * bytes; any other secret is used as its UTF-8 bytes (receivers using the `standardwebhooks` package
 * pass `{ format: 'raw' }` for those).
 */
export function webhookKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

/** The `webhook-signature` value: `v1,<base64 HMAC-SHA256 over "id.timestamp.body">`. */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', webhookKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** The Standard Webhooks headers of one delivery attempt, signed at `now`. */
export function webhookHeaders(
  secret: string,
  id: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(secret, id, timestamp, body),
  };
}

/** Why the redelivery job waits before picking a failed row: past the notify activity's longest backoff. */
const REDELIVERY_GRACE_MS = 15 * 60_000;

export function createNotificationActivities(deps: ActivityDeps) {
  const { db } = deps;
  const httpFetch = deps.fetch ?? fetch;

  /** One delivery attempt of an outbox row; records the outcome on the row. */
  async function deliver(row: NotificationRow): Promise<'delivered' | 'no_endpoint' | { failed: unknown }> {
    const practice = await practiceForDelivery(db, row.practice_id);
    const url =
      row.channel === 'supervisor'
        ? (practice.supervisor_webhook_url ?? practice.webhook_url)
        : practice.webhook_url;
    if (!url || !practice.webhook_secret) {
      await markNoEndpoint(db, row.id);
      return 'no_endpoint';
    }
    const body = JSON.stringify({
      id: row.id,
      kind: row.kind,
      channel: row.channel,
      practiceId: row.practice_id,
      createdAt: row.created_at.toISOString(),
      payload: row.payload,
    });
    try {
      const res = await httpFetch(url, {
        method: 'POST',
        headers: webhookHeaders(practice.webhook_secret, row.id, body),
        body,
        signal: AbortSignal.timeout(deps.webhookTimeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    } catch (err) {
      await markDeliveryFailed(db, row.id, String(err));
      return { failed: err };
    }
    await markDelivered(db, row.id);
    return 'delivered';
  }

  return {
    /**
     * Writes the notification to the outbox (once per dedupe key), then delivers it. A failed delivery
     * throws so Temporal retries; the outbox row records attempts and the last error.
     */
    async notify(input: NotificationRequest): Promise<{ delivered: boolean; notificationId: string }> {
      const row = await enqueueNotification(db, input);
      if (row.status === 'DELIVERED') return { delivered: true, notificationId: row.id };
      const outcome = await deliver(row);
      if (typeof outcome === 'object') throw webhookFailed(outcome.failed);
      return { delivered: outcome === 'delivered', notificationId: row.id };
    },

    /**
     * The redelivery job: tries the failed deliveries that are due once more (a failed row last tried
     * more than `graceMs` ago, or one an admin re-queued). A failure is recorded on its row, not thrown:
     * one dead endpoint must not hold back the others.
     */
    async redeliverFailedNotifications(
      input: { limit?: number; graceMs?: number } = {},
    ): Promise<{ attempted: number; delivered: number; failed: number }> {
      const due = await failedNotificationsDue(
        db,
        new Date(Date.now() - (input.graceMs ?? REDELIVERY_GRACE_MS)),
        input.limit ?? 100,
      );
      let delivered = 0;
      let failed = 0;
      for (const row of due) {
        const outcome = await deliver(row);
        if (outcome === 'delivered') delivered++;
        else if (typeof outcome === 'object') failed++;
      }
      return { attempted: due.length, delivered, failed };
    },
  };
}
