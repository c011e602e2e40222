/**
 * Outbound notifications: written to the outbox once per dedupe key, then delivered as a webhook POST
 * signed with HMAC-SHA256 over the exact body (`X-Signature: sha256=<hex>`). A delivered notification
 * is never sent again, however often the activity is retried.
 */
import { createHmac } from 'node:crypto';
import {
  enqueueNotification,
  markDelivered,
  markDeliveryFailed,
  markNoEndpoint,
  practiceForDelivery,
} from '../db/outbox.js';
import type { NotificationRequest } from '../db/records.js';
import type { ActivityDeps } from './deps.js';
import { webhookFailed } from './failures.js';

/** The `X-Signature` header value of a webhook body. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function createNotificationActivities(deps: ActivityDeps) {
  const { db } = deps;
  const httpFetch = deps.fetch ?? fetch;
  return {
    /**
     * Writes the notification to the outbox (once per dedupe key), then delivers it. A failed delivery
     * throws so Temporal retries; the outbox row records attempts and the last error.
     */
    async notify(input: NotificationRequest): Promise<{ delivered: boolean; notificationId: string }> {
      const row = await enqueueNotification(db, input);
      if (row.status === 'DELIVERED') return { delivered: true, notificationId: row.id };
      const practice = await practiceForDelivery(db, input.practiceId);
      const url =
        input.channel === 'supervisor'
          ? (practice.supervisor_webhook_url ?? practice.webhook_url)
          : practice.webhook_url;
      if (!url || !practice.webhook_secret) {
        await markNoEndpoint(db, row.id);
        return { delivered: false, notificationId: row.id };
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
          headers: {
            'content-type': 'application/json',
            'x-notification-id': row.id,
            'x-signature': signBody(practice.webhook_secret, body),
          },
          body,
          signal: AbortSignal.timeout(deps.webhookTimeoutMs ?? 10_000),
        });
        if (!res.ok) throw new Error(`webhook answered ${res.status}`);
      } catch (err) {
        await markDeliveryFailed(db, row.id, String(err));
        throw webhookFailed(err);
      }
      await markDelivered(db, row.id);
      return { delivered: true, notificationId: row.id };
    },
  };
}
