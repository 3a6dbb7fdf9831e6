/**
 * Work as it travels through Temporal: a run job (a parsed scenario, a policy
 * document, a seed, the lifecycle spec; sim/world/engine/job.ts), the same data
 * a sweep's worker thread is sent, answered by the run's RunResult; or a shard
 * job (the same plus a range of accounts), answered by the shard's tally.
 * Workflow code imports this file: types only.
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
