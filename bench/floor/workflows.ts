/**
 * The floor workflow: the same number of activities, timers and signals as a claim's path, with
 * activities that do nothing. What a claim costs above it is our code; what it costs up to it is the
 * engine. Bundled on its own and run by its own worker on its own task queue.
 */
import * as wf from '@temporalio/workflow';
import type { FloorActivities } from './activities.js';

const { noop } = wf.proxyActivities<FloorActivities>({ startToCloseTimeout: '30s' });

/** One step of the floor: a fact arriving from outside, as a claim's remittance or decision does. */
export const floorSignal = wf.defineSignal('floorStep');

/** How many of each a run does, taken from the histories of the path it stands in for. */
export interface FloorShape {
  activities: number;
  timers: number;
  signals: number;
}

export async function floorWorkflow(shape: FloorShape): Promise<void> {
  let received = 0;
  wf.setHandler(floorSignal, () => {
    received++;
  });
  const phases = shape.signals + 1;
  let activitiesLeft = shape.activities;
  let timersLeft = shape.timers;
  for (let phase = 0; phase < phases; phase++) {
    const share = Math.ceil(activitiesLeft / (phases - phase));
    for (let i = 0; i < share; i++) await noop();
    activitiesLeft -= share;
    if (phase < shape.signals) {
      // A claim waits for its next fact with a follow-up timer running: one timer per wait.
      const target = phase + 1;
      if (timersLeft > 0) {
        timersLeft--;
        await wf.condition(() => received >= target, '30 days');
      } else await wf.condition(() => received >= target);
    }
  }
  for (; timersLeft > 0; timersLeft--) await wf.sleep(1);
}
