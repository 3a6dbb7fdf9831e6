/**
 * A worker thread simulating one shard (see shards.ts): receives a ShardJob
 * as workerData, posts back the shard's tally. The policy set is rebuilt here
 * from its --policies spec (a built-in name or a policy file).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolvePolicies, setPolicyFileLoader } from '../cli/policies.js';
import { loadPolicyFile } from '../policy-file/load.js';
import { runShard, type ShardJob } from './shards.js';

const job = workerData as ShardJob;
setPolicyFileLoader(loadPolicyFile);
const policies = await resolvePolicies(job.policiesSpec);
parentPort?.postMessage(runShard(job.scenario, policies, job.seed, job.range));
