/**
 * A parameter sweep, or one run split by accounts, as a workflow: each task
 * (scenario, policy document, seed; a shard also its accounts) is one activity,
 * so tasks run on any number of workers polling the task queue; the workflow
 * counts them; the client reads their results from the history. An activity heartbeats while it runs: a
 * worker that dies is noticed within the heartbeat timeout and its task is
 * retried on another. Workflow code: only @temporalio/workflow and types here.
 */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { taskActivityId, type ShardedRunInput, type SweepActivities, type SweepInput } from './sweep-types.js';

/** Bound on a sweep's size: a few history events per task, and results travel in the history. */
export const SWEEP_TASKS_MAX = 2_000;

/**
 * A task's activity options. The heartbeat timeout is how long a dead worker
 * holds its task (the activity heartbeats every second: sweep-activities.ts);
 * a retry runs the task again from the start on whichever worker polls first,
 * and its result is the only one the history records.
 */
const TASK_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['InputError'],
  },
};

/**
 * Runs task k as activity `task-<k>`, at most `inFlightMax` at a time, and
 * returns how many ran. The results stay in the history (one completed event
 * per task), not in the workflow's result: the client reads each task's result
 * from its completed event (client.ts), so no single message carries them all.
 */
async function inLanes<T>(items: readonly T[], inFlightMax: number, activity: keyof SweepActivities): Promise<number> {
  if (items.length > SWEEP_TASKS_MAX) throw new Error(`sweep: ${items.length} tasks (at most ${SWEEP_TASKS_MAX})`);
  const lanes = Math.min(Math.max(1, Math.floor(inFlightMax)), items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      const run = proxyActivities<SweepActivities>({ ...TASK_OPTIONS, activityId: taskActivityId(k) })[activity];
      await (run as (item: T) => Promise<unknown>)(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return items.length;
}

export async function sweepWorkflow(input: SweepInput): Promise<number> {
  return inLanes(input.tasks, input.inFlightMax, 'runSweepTask');
}

export async function shardedRunWorkflow(input: ShardedRunInput): Promise<number> {
  return inLanes(input.shards, input.inFlightMax, 'runShardTask');
}
