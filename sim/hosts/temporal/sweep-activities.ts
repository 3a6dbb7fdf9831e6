/**
 * The sweep activities: run one task (a run job, or one shard of a run) and
 * heartbeat while it runs. How a task runs is a dependency: `billsim worker`
 * runs each on a worker thread of its own (sim/tools/sweep/pool.ts), so this
 * process's event loop stays free to heartbeat and poll; tests may run tasks
 * in process. A task that is bad input is not retried.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { runJob, runShardJob, type PolicyBuilder, type RunJob, type ShardJob } from '../../world/engine/job.js';
import type { ShardTally } from '../../world/engine/tally.js';
import type { RunResult } from '../../world/result.js';
import type { SweepActivities } from './sweep-types.js';

/** How often a running task heartbeats; the workflow's heartbeat timeout (sweep-workflow.ts) is ten times this. */
export const HEARTBEAT_INTERVAL_MS = 1_000;

export interface SweepDeps {
  readonly runJob: (job: RunJob) => Promise<RunResult>;
  readonly runShardJob: (job: ShardJob) => Promise<ShardTally>;
  /** Told when a task starts and ends (e.g. the worker's log). */
  readonly onTask?: (event: 'started' | 'finished', label: string) => void;
}

/** Tasks run in this process (its event loop is busy while a task runs: fine for small tasks and tests). */
export function inProcessSweepDeps(build: PolicyBuilder): SweepDeps {
  return { runJob: (job) => runJob(job, build), runShardJob: (job) => runShardJob(job, build) };
}

async function heartbeating<T>(deps: SweepDeps, work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const { workflowExecution, activityId, attempt } = context.info;
  const label = `${workflowExecution?.workflowId ?? '?'} activity ${activityId} attempt ${attempt}`;
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
  deps.onTask?.('started', label);
  try {
    const result = await work();
    deps.onTask?.('finished', label);
    return result;
  } catch (error) {
    if (error instanceof Error && error.name === 'InputError')
      throw ApplicationFailure.nonRetryable(error.message, 'InputError');
    throw error;
  } finally {
    clearInterval(timer);
  }
}

export function createSweepActivities(deps: SweepDeps): SweepActivities {
  return {
    runSweepTask: (task) => heartbeating(deps, () => deps.runJob(task)),
    runShardTask: (job) => heartbeating(deps, () => deps.runShardJob(job)),
  };
}
