/**
 * The Temporal Schedule that pulls ERAs from the clearinghouse (hourly by default). Created at worker
 * start, or updated when the interval changed; Temporal, not a cron in our process, owns the timing.
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { eraPollScheduleId, ruleMinerScheduleId, webhookRedeliveryScheduleId } from '../workflows/ids.js';

export async function ensureEraPollSchedule(
  client: Client,
  opts: { taskQueue: string; intervalSeconds: number },
): Promise<void> {
  const spec = { intervals: [{ every: `${opts.intervalSeconds}s` as const }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'eraPollWorkflow',
    taskQueue: opts.taskQueue,
    workflowId: `era-poll-run-${opts.taskQueue}`,
    args: [],
  };
  try {
    await client.schedule.create({
      scheduleId: eraPollScheduleId(opts.taskQueue),
      spec,
      action,
      // A slow pull must not overlap the next one: both would fetch the same files.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(eraPollScheduleId(opts.taskQueue))
      .update((prev) => ({ ...prev, spec, action }));
  }
}

/**
 * The Temporal Schedule that sends failed webhook deliveries again (every five minutes by default).
 * Created at worker start, or updated; runs never overlap, so one row is never sent by two runs at once.
 */
export async function ensureWebhookRedeliverySchedule(
  client: Client,
  opts: { taskQueue: string; intervalSeconds?: number },
): Promise<void> {
  const scheduleId = webhookRedeliveryScheduleId(opts.taskQueue);
  const spec = { intervals: [{ every: `${opts.intervalSeconds ?? 300}s` as const }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'webhookRedeliveryWorkflow',
    taskQueue: opts.taskQueue,
    workflowId: `webhook-redelivery-run-${opts.taskQueue}`,
    args: [{}],
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10m' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action }));
  }
}

/**
 * The Temporal Schedule that mines first adjudications for claim-rule proposals, once a day: denial
 * patterns take weeks of remittances to show, so a daily refresh loses nothing.
 */
export async function ensureRuleMinerSchedule(client: Client, opts: { taskQueue: string }): Promise<void> {
  const scheduleId = ruleMinerScheduleId(opts.taskQueue);
  const spec = { intervals: [{ every: '1d' as const }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'ruleMinerWorkflow',
    taskQueue: opts.taskQueue,
    workflowId: `rule-miner-run-${opts.taskQueue}`,
    args: [{}],
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1d' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action }));
  }
}
