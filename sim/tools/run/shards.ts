/**
 * Sharded runs: the accounts are split into contiguous ranges, each simulated
 * by its own worker thread (its own queue, world and metrics), and the shards'
 * tallies are merged. Every draw is keyed by account and accounts never
 * interact, so the merged result is byte-identical to a one-worker run.
 */
import { Worker } from 'node:worker_threads';
import type { PolicySet } from '../../../policies/sets.js';
import type { RunResult } from '../../world/result.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { resultFromTallies } from '../../world/engine/run.js';
import { Simulation, type AccountRange } from '../../world/engine/simulation.js';
import { tallyOf, type ShardTally } from '../../world/engine/tally.js';

/** What a shard worker needs: plain data (the policy set travels as its --policies spec). */
export interface ShardJob {
  readonly scenario: Scenario;
  readonly policiesSpec: string;
  readonly seed: number;
  readonly range: AccountRange;
}

/** `shards` contiguous ranges covering accounts 0..accounts-1, sizes differing by at most one. */
export function shardRanges(accounts: number, shards: number): AccountRange[] {
  const ranges: AccountRange[] = [];
  for (let k = 0; k < shards; k++) {
    const first = Math.floor((k * accounts) / shards);
    ranges.push({ first, count: Math.floor(((k + 1) * accounts) / shards) - first });
  }
  return ranges;
}

/** Simulates one shard in this thread. */
export function runShard(scenario: Scenario, policies: PolicySet, seed: number, range: AccountRange): ShardTally {
  const sim = new Simulation(scenario, policies, seed, { range });
  sim.run();
  return tallyOf(sim);
}

const WORKER_URL = new URL('./shard-worker.js', import.meta.url);

/** One worker thread running shards one after another: module loading and JIT warm-up are paid once per lane. */
class ShardLane {
  private readonly worker = new Worker(WORKER_URL);

  run(job: ShardJob): Promise<ShardTally> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        this.worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      const onMessage = (tally: ShardTally): void => { settle(); resolve(tally); };
      const onError = (error: Error): void => { settle(); reject(error); };
      const onExit = (code: number): void => {
        settle();
        reject(new Error(`shard ${job.range.first}+${job.range.count}: worker exited with code ${code} and no result`));
      };
      this.worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

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
export async function runSharded(scenario: Scenario, policies: PolicySet, policiesSpec: string, seed: number, workers: number,
  shardAccountsMax = SHARD_ACCOUNTS_MAX): Promise<RunResult> {
  const shards = Math.max(workers, Math.ceil(scenario.accounts / shardAccountsMax));
  const ranges = shardRanges(scenario.accounts, Math.min(shards, scenario.accounts));
  if (workers <= 1) return resultFromTallies(scenario, policies, seed, ranges.map((range) => runShard(scenario, policies, seed, range)));
  const tallies = await inPool(ranges.map((range) => ({ scenario, policiesSpec, seed, range })), workers);
  return resultFromTallies(scenario, policies, seed, tallies);
}

/** Runs the jobs on at most `workers` threads at once; tallies in job order. */
async function inPool(jobs: readonly ShardJob[], workers: number): Promise<ShardTally[]> {
  const tallies: ShardTally[] = new Array<ShardTally>(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    const thread = new ShardLane();
    try {
      while (next < jobs.length) {
        const k = next++;
        tallies[k] = await thread.run(jobs[k]!);
      }
    } finally {
      await thread.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
  return tallies;
}
