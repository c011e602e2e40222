/** What a workflow's history holds: events, activities, timers, signals and workflow tasks (round trips). */
import type { Client } from '@temporalio/client';

export interface HistoryShape {
  events: number;
  activities: number;
  timers: number;
  signals: number;
  /** Updates accepted (a person's decision, such as filing an appeal). */
  updates: number;
  /** Workflow tasks completed: each is one round trip worker <-> server. */
  workflowTasks: number;
}

export async function historyShape(client: Client, workflowId: string): Promise<HistoryShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const shape: HistoryShape = {
    events: 0,
    activities: 0,
    timers: 0,
    signals: 0,
    updates: 0,
    workflowTasks: 0,
  };
  for (const e of history.events ?? []) {
    shape.events++;
    if (e.activityTaskScheduledEventAttributes) shape.activities++;
    if (e.timerStartedEventAttributes) shape.timers++;
    if (e.workflowExecutionSignaledEventAttributes) shape.signals++;
    if (e.workflowExecutionUpdateAcceptedEventAttributes) shape.updates++;
    if (e.workflowTaskCompletedEventAttributes) shape.workflowTasks++;
  }
  return shape;
}

/**
 * Start and close times (ms) of a workflow, from the server. The claims row turns terminal in the
 * run's last activity, a moment before the run itself closes, so a run still open is waited for (30 s
 * at most) rather than taken as a failure.
 */
export async function startToClose(
  client: Client,
  workflowId: string,
): Promise<{ start: number; close: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const d = await client.workflow.getHandle(workflowId).describe();
    if (d.closeTime) return { start: d.startTime.getTime(), close: d.closeTime.getTime() };
    if (Date.now() > deadline) throw new Error(`workflow ${workflowId} has not closed`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
