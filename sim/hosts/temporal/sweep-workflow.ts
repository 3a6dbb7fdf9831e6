/**
 * A parameter sweep, or one run split by accounts, as a workflow: each task
 * (scenario, policy document, seed; a shard also its accounts) is one activity,
 * so tasks run on any number of workers polling the task queue; the workflow
 * gathers the results in task order. An activity heartbeats while it runs: a
 * worker that dies is noticed within the heartbeat timeout and its task is
 * retried on another. Workflow code: only @temporalio/workflow and types here.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ShardJob } from '../../world/engine/job.js';
import type { ShardTally } from '../../world/engine/tally.js';
import type { RunResult } from '../../world/result.js';
import type { ShardedRunInput, SweepActivities, SweepInput } from './sweep-types.js';

/** Bound on a sweep's size: a few history events per task, and results travel in the history. */
export const SWEEP_TASKS_MAX = 2_000;

/**
 * A task's activity options. The heartbeat timeout is how long a dead worker
 * holds its task (the activity heartbeats every second: sweep-activities.ts);
 * a retry runs the task again from the start on whichever worker polls first,
 * and its result is the only one the workflow records.
 */
const { runSweepTask, runShardTask } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['InputError'],
  },
});

/** Runs `run` on every item, at most `inFlightMax` at a time, and returns the results in item order. */
async function inLanes<T, R>(items: readonly T[], inFlightMax: number, run: (item: T) => Promise<R>): Promise<R[]> {
  if (items.length > SWEEP_TASKS_MAX) throw new Error(`sweep: ${items.length} tasks (at most ${SWEEP_TASKS_MAX})`);
  const lanes = Math.min(Math.max(1, Math.floor(inFlightMax)), items.length);
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      results[k] = await run(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}

export async function sweepWorkflow(input: SweepInput): Promise<RunResult[]> {
  return inLanes(input.tasks, input.inFlightMax, runSweepTask);
}

export async function shardedRunWorkflow(input: ShardedRunInput): Promise<ShardTally[]> {
  return inLanes<ShardJob, ShardTally>(input.shards, input.inFlightMax, runShardTask);
}
