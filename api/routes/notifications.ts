/**
 * Failed webhook deliveries for a practice's admin: the list, and a redeliver request that makes the
 * row due at once and starts a redelivery run (the same workflow the schedule runs), so the API never
 * sends a webhook itself.
 */
import { randomUUID } from 'node:crypto';
import { listFailedNotifications, requeueNotification } from '../../db/outbox.js';
import { practicesFor } from '../plugins/auth.js';
import { notFound } from '../plugins/problems.js';
import * as s from '../schemas/notifications.js';
import type { App, AppDeps } from '../types.js';

export function notificationRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/notifications/failed',
      {
        schema: {
          querystring: s.FailedQuery,
          tags: ['notifications'],
          operationId: 'listFailedNotifications',
          summary: 'Webhook deliveries that failed and wait for the redelivery job, newest first',
          response: { 200: s.FailedList },
        },
        config: { roles: ['admin'] },
      },
      async (req) => {
        const rows = await listFailedNotifications(
          deps.db,
          practicesFor(req, req.query.practiceId),
          req.query.limit ?? 100,
        );
        return {
          items: rows.map((r) => ({
            id: r.id,
            practiceId: r.practice_id,
            claimId: r.claim_id,
            channel: r.channel,
            kind: r.kind,
            attempts: r.attempts,
            lastError: r.last_error,
            lastAttemptAt: r.last_attempt_at ? r.last_attempt_at.toISOString() : null,
            createdAt: r.created_at.toISOString(),
          })),
        };
      },
    );

    app.post(
      '/notifications/:id/redeliver',
      {
        schema: {
          params: s.NotificationParams,
          tags: ['notifications'],
          operationId: 'redeliverNotification',
          summary: 'Send a failed webhook again now (same webhook-id, so receivers de-duplicate)',
          description: 'A notification that is not FAILED, or of another practice, answers 404.',
          response: { 202: s.RedeliveryAccepted },
        },
        config: { roles: ['admin'] },
      },
      async (req, reply) => {
        const queued = await requeueNotification(deps.db, req.params.id, practicesFor(req));
        if (!queued) throw notFound(`failed notification ${req.params.id}`);
        const workflowId = `webhook-redelivery-${req.params.id}-${randomUUID().slice(0, 8)}`;
        await deps.temporal.workflow.start('webhookRedeliveryWorkflow', {
          workflowId,
          taskQueue: deps.config.temporal.taskQueue,
          args: [{}],
        });
        req.log.info({ notificationId: req.params.id, workflowId }, 'webhook redelivery requested');
        return reply.status(202).send({ accepted: true as const, workflowId });
      },
    );
  };
}
