/**
 * A sweep on Temporal: each point (scenario, policy set, seed) is an activity;
 * two workers poll the task queue and share the points; the results come back
 * in point order and equal local runs of the same points.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolvePolicies } from '../../sim/cli/policies.js';
import { runSimulation } from '../../sim/engine/run.js';
import { parseScenarioText } from '../../sim/scenario/load.js';
import { runSweepOnTemporal } from '../../sim/temporal/client.js';
import type { SweepPoint } from '../../sim/temporal/sweep-types.js';
import { createWorker } from '../../sim/temporal/worker.js';
import { useTemporalTestEnv } from './env.js';

const temporal = useTemporalTestEnv();

const WORKER_PROCESS = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));
const SMALL = parseScenarioText('name: small\naccounts: 300\ndays: 20\nsettleDays: 5\n', '(test small)');
const POINTS: SweepPoint[] = ['legacy', 'target'].flatMap((policies) => [1, 2, 3].map((seed) => ({ scenario: SMALL, policies, seed })));

/** `billsim worker` in a child process; resolves once it polls the task queue. */
function startWorkerProcess(address: string, taskQueue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_PROCESS, address, taskQueue], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.includes('billsim worker: polling')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker process exited (${code}) before polling:\n${log}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('runSweepOnTemporal', () => {
  it('runs the points as activities on two workers (two processes) and gathers the results in point order', async () => {
    const taskQueue = `sweep-${randomUUID()}`;
    const workflowId = `sweep-${randomUUID()}`;
    const { env, workflowBundle } = temporal();
    const child = await startWorkerProcess(env.address, taskQueue);
    try {
      // This worker takes one point at a time and dawdles, so the other process gets points too.
      const worker = await createWorker({
        connection: env.nativeConnection, taskQueue, workflowBundle, activitySlots: 1, identity: 'in-test-worker',
        sweep: { resolve: async (spec) => { await new Promise((r) => setTimeout(r, 300)); return resolvePolicies(spec); } },
      });
      const results = await worker.runUntil(runSweepOnTemporal(POINTS, { client: env.client, taskQueue, workflowId }));

      expect(results.map((r) => [r.index, r.policies, r.seed])).toEqual(POINTS.map((p, i) => [i, p.policies, p.seed]));
      for (const [i, point] of POINTS.entries()) {
        const local = runSimulation(point.scenario, await resolvePolicies(point.policies), point.seed);
        expect(results[i]!.kpis).toEqual(local.kpis);
        expect(results[i]!.recovery).toEqual(local.recovery);
      }
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      const identities = (history.events ?? []).flatMap((e) => {
        const identity = e.activityTaskStartedEventAttributes?.identity;
        return identity ? [identity] : [];
      });
      expect(identities).toHaveLength(POINTS.length);
      expect(new Set(identities).size).toBe(2);
      expect(identities).toContain('in-test-worker');
    } finally {
      await stopProcess(child);
    }
  });
});
