/**
 * Sharded runs: the accounts are split into contiguous ranges, each simulated
 * by a worker thread of its own (its own queue, world and metrics), and the
 * shards' tallies are merged. Every draw is keyed by account and accounts never
 * interact, so the merged result is byte-identical to a one-worker run.
 */
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import { compiledWorkerPath, runOnThreads } from '../../lib/pool.js';
import { runShard, shardRanges, type ShardJob } from '../../world/engine/job.js';
import { resultFromTallies } from '../../world/engine/run.js';
import type { ShardTally } from '../../world/engine/tally.js';
import type { RunResult } from '../../world/result.js';
import type { Scenario } from '../../world/scenario/schema.js';
import type { ResolvedPolicy } from '../policies/resolve.js';
import { WORKER_URL, type WorkerTask } from '../worker.js';

/**
 * Accounts per shard at most. A shard's world lives in memory until the shard
 * ends, so peak memory follows the accounts in flight (workers x this), not
 * the population: ~0.3 GiB per 100,000 accounts x 90 days (docs/scale.md).
 */
export const SHARD_ACCOUNTS_MAX = 100_000;

/**
 * Runs the scenario in shards of at most `shardAccountsMax` accounts, `workers`
 * at a time on worker threads (1: one after another in this thread), and merges them.
 */
export async function runSharded(
  scenario: Scenario,
  policies: ResolvedPolicy,
  seed: number,
  workers: number,
  lifecycle: LifecycleSpec | null,
  shardAccountsMax = SHARD_ACCOUNTS_MAX,
): Promise<RunResult> {
  const shards = Math.max(workers, Math.ceil(scenario.accounts / shardAccountsMax));
  const ranges = shardRanges(scenario.accounts, Math.min(shards, scenario.accounts));
  if (workers <= 1) {
    const tallies = ranges.map((range) => runShard(scenario, policies.set, seed, range));
    return resultFromTallies(scenario, policies.set, seed, tallies, lifecycle);
  }
  const tasks: WorkerTask[] = ranges.map((range) => ({
    kind: 'shard',
    job: { scenario, document: policies.document, seed, lifecycle, range } satisfies ShardJob,
  }));
  const tallies = new Array<ShardTally>(tasks.length);
  await runOnThreads<WorkerTask, ShardTally>(compiledWorkerPath(WORKER_URL), tasks, workers, (k, tally) => {
    tallies[k] = tally;
  });
  return resultFromTallies(scenario, policies.set, seed, tallies, lifecycle);
}
