/**
 * A run as data: the scenario, the policy document, the seed and the
 * lifecycle spec (and, for a shard, its accounts). It is what a worker
 * thread or a Temporal activity is sent, and every one of them runs it here
 * the same way. The document becomes a policy set through the caller's
 * builder, since only a tool may load a designer's module.
 */
import type { PolicyDocument } from '../../../policies/document.js';
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import type { PolicySet } from '../../../policies/sets.js';
import type { RunResult } from '../result.js';
import type { Scenario } from '../scenario/schema.js';
import { runSimulation } from './run.js';
import { Simulation, type AccountRange } from './simulation.js';
import { tallyOf, type ShardTally } from './tally.js';

export interface RunJob {
  readonly scenario: Scenario;
  readonly document: PolicyDocument;
  readonly seed: number;
  /** The spec the run's transitions are checked against; null: none. */
  readonly lifecycle: LifecycleSpec | null;
}

export interface ShardJob extends RunJob {
  readonly range: AccountRange;
}

/** How a job's document becomes the policy set it runs. */
export type PolicyBuilder = (document: PolicyDocument) => PolicySet | Promise<PolicySet>;

export async function runJob(job: RunJob, build: PolicyBuilder): Promise<RunResult> {
  const policies = await build(job.document);
  return runSimulation(job.scenario, policies, job.seed, job.lifecycle === null ? {} : { lifecycle: job.lifecycle });
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

/** Simulates one shard of the accounts; the shards' tallies merge into the unsharded result (resultFromTallies). */
export function runShard(scenario: Scenario, policies: PolicySet, seed: number, range: AccountRange): ShardTally {
  const sim = new Simulation(scenario, policies, seed, { range });
  sim.run();
  return tallyOf(sim);
}

export async function runShardJob(job: ShardJob, build: PolicyBuilder): Promise<ShardTally> {
  return runShard(job.scenario, await build(job.document), job.seed, job.range);
}
