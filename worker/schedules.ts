/**
 * The Temporal Schedule that pulls ERAs from the clearinghouse (hourly by default). Created at worker
 * start, or updated when the interval changed; Temporal, not a cron in our process, owns the timing.
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { eraPollScheduleId } from '../workflows/ids.js';

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
