/**
 * The Temporal Schedule that pulls ERAs from the clearinghouse (hourly by default). Created at worker
 * start, or updated when the interval changed; Temporal, not a cron in our process, owns the timing.
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { eraPollScheduleId, ruleMinerScheduleId, webhookRedeliveryScheduleId } from '../workflows/ids.js';

type ScheduleOptions = Parameters<Client['schedule']['create']>[0];

/** Creates the schedule, or updates its spec and action when it exists (a worker restart, a new interval). */
async function ensureSchedule(client: Client, opts: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(opts);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(opts.scheduleId)
      .update((prev) => ({ ...prev, spec: opts.spec, action: opts.action }));
  }
}

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
  await ensureSchedule(client, {
    scheduleId: eraPollScheduleId(opts.taskQueue),
    spec,
    action,
    // A slow pull must not overlap the next one: both would fetch the same files.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
  });
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
  await ensureSchedule(client, {
    scheduleId,
    spec,
    action,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10m' },
  });
}

/**
 * The Temporal Schedule that mines first adjudications for claim-rule proposals, once a day: denial
 * patterns take weeks of remittances to show, so a daily refresh loses nothing.
 */
export async function ensureRuleMinerSchedule(
  client: Client,
  opts: { taskQueue: string; thresholds: { minLines: number; minDenialRate: number } },
): Promise<void> {
  const scheduleId = ruleMinerScheduleId(opts.taskQueue);
  const spec = { intervals: [{ every: '1d' as const }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'ruleMinerWorkflow',
    taskQueue: opts.taskQueue,
    workflowId: `rule-miner-run-${opts.taskQueue}`,
    args: [{ thresholds: opts.thresholds }],
  };
  await ensureSchedule(client, {
    scheduleId,
    spec,
    action,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1d' },
  });
}
