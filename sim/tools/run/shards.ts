/**
 * Sharded runs: the accounts are split into contiguous ranges, each simulated
 * by a worker thread of its own (its own queue, world and metrics), and the
 * shards' tallies are merged. Every draw is keyed by account and accounts never
 * interact, so the merged result is byte-identical to a one-worker run.
 */
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import { runShardsOnTemporal, type SweepOnTemporalOptions } from '../../hosts/temporal/client.js';
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

/** The run's shard jobs: at least `shards` ranges, none over `shardAccountsMax` accounts. */
function shardJobs(
  scenario: Scenario,
  policies: ResolvedPolicy,
  seed: number,
  shards: number,
  lifecycle: LifecycleSpec | null,
  shardAccountsMax: number,
): ShardJob[] {
  const count = Math.max(shards, Math.ceil(scenario.accounts / shardAccountsMax));
  return shardRanges(scenario.accounts, Math.min(count, scenario.accounts)).map((range) => ({
    scenario,
    document: policies.document,
    seed,
    lifecycle,
    range,
  }));
}

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
  const jobs = shardJobs(scenario, policies, seed, workers, lifecycle, shardAccountsMax);
  if (workers <= 1) {
    const tallies = jobs.map((job) => runShard(scenario, policies.set, seed, job.range));
    return resultFromTallies(scenario, policies.set, seed, tallies, lifecycle);
  }
  const tasks: WorkerTask[] = jobs.map((job) => ({ kind: 'shard', job }));
  const tallies = new Array<ShardTally>(tasks.length);
  await runOnThreads<WorkerTask, ShardTally>(compiledWorkerPath(WORKER_URL), tasks, workers, (k, tally) => {
    tallies[k] = tally;
  });
  return resultFromTallies(scenario, policies.set, seed, tallies, lifecycle);
}

/**
 * The same shards as `runSharded(…, shards, …)`, each an activity on the Temporal
 * workers polling `target`'s task queue (`billsim worker`), merged here: the same result.
 */
export async function runShardedOnTemporal(
  scenario: Scenario,
  policies: ResolvedPolicy,
  seed: number,
  shards: number,
  lifecycle: LifecycleSpec | null,
  target: SweepOnTemporalOptions,
): Promise<RunResult> {
  const jobs = shardJobs(scenario, policies, seed, shards, lifecycle, SHARD_ACCOUNTS_MAX);
  const tallies = await runShardsOnTemporal(jobs, target);
  return resultFromTallies(scenario, policies.set, seed, tallies, lifecycle);
}
