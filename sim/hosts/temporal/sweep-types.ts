/**
 * Work as it travels through Temporal: a run job (a parsed scenario, a policy
 * document, a seed, the lifecycle spec; sim/world/engine/job.ts), the same data
 * a sweep's worker thread is sent, answered by the run's RunResult; or a shard
 * job (the same plus a range of accounts), answered by the shard's tally.
 * Workflow code imports this file: types and one pure function.
 */
import type { RunJob, ShardJob } from '../../world/engine/job.js';
import type { ShardTally } from '../../world/engine/tally.js';
import type { RunResult } from '../../world/result.js';

export type SweepTask = RunJob;

export interface SweepInput {
  readonly tasks: readonly SweepTask[];
  /** Tasks in flight at once (activities scheduled and not finished); the workers' slots bound it too. */
  readonly inFlightMax: number;
}

/** One run split by accounts: each shard an activity, the tallies merged by the client (resultFromTallies). */
export interface ShardedRunInput {
  readonly shards: readonly ShardJob[];
  readonly inFlightMax: number;
}

export interface SweepActivities {
  runSweepTask(task: SweepTask): Promise<RunResult>;
  runShardTask(job: ShardJob): Promise<ShardTally>;
}

/** The activity id of task k of a sweep or sharded run: how the client finds each task's result in the history. */
export function taskActivityId(k: number): string {
  return `task-${k}`;
}

/** Task k from its activity id, or null for another activity. */
export function taskIndexOf(activityId: string): number | null {
  const match = /^task-(\d+)$/.exec(activityId);
  return match === null ? null : Number(match[1]);
}
