/**
 * A sweep on Temporal: each point (scenario, policy set, seed) is an activity;
 * two workers poll the task queue and share the points; the results come back
 * in task order and equal local runs of the same points.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../../sim/world/engine/run.js';
import { parseScenarioText } from '../../../sim/tools/scenario/load.js';
import { runSweepOnTemporal } from '../../../sim/hosts/temporal/client.js';
import { BUILT_IN_DOCUMENTS } from '../../../policies/sets.js';
import { loadPolicySet } from '../../../sim/tools/policies/load.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';
import type { SweepTask } from '../../../sim/hosts/temporal/sweep-types.js';
import { createWorker } from '../../../sim/hosts/temporal/worker.js';
import { useTemporalTestEnv } from './env.js';
import { cli } from '../../support/cli.js';

const temporal = useTemporalTestEnv();

const WORKER_PROCESS = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));
const SMALL = parseScenarioText('name: small\naccounts: 300\ndays: 20\nsettleDays: 5\n', '(test small)');
const TASKS: SweepTask[] = ['legacy', 'target'].flatMap((set) =>
  [1, 2, 3].map((seed) => ({ scenario: SMALL, document: BUILT_IN_DOCUMENTS[set]!, seed, lifecycle: lifecycleSpec() })),
);

/** `billsim worker` in a child process; resolves once it polls the task queue. */
function startWorkerProcess(address: string, taskQueue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_PROCESS, address, taskQueue], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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
  it('runs the tasks as activities on two workers (two processes) and gathers the results in task order', async () => {
    const taskQueue = `sweep-${randomUUID()}`;
    const workflowId = `sweep-${randomUUID()}`;
    const { env, workflowBundle } = temporal();
    const child = await startWorkerProcess(env.address, taskQueue);
    try {
      // This worker takes one point at a time and dawdles, so the other process gets points too.
      const worker = await createWorker({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle,
        activitySlots: 1,
        identity: 'in-test-worker',
        sweep: {
          build: async (document) => {
            await new Promise((r) => setTimeout(r, 300));
            return loadPolicySet(document);
          },
        },
      });
      const results = await worker.runUntil(runSweepOnTemporal(TASKS, { client: env.client, taskQueue, workflowId }));

      expect(results.map((r) => [r.policies, r.seed])).toEqual(TASKS.map((t) => [t.document.name, t.seed]));
      for (const [k, task] of TASKS.entries()) {
        expect(results[k]).toEqual(
          runSimulation(task.scenario, await loadPolicySet(task.document), task.seed, { lifecycle: lifecycleSpec() }),
        );
      }
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      const identities = (history.events ?? []).flatMap((e) => {
        const identity = e.activityTaskStartedEventAttributes?.identity;
        return identity ? [identity] : [];
      });
      expect(identities).toHaveLength(TASKS.length);
      expect(new Set(identities).size).toBe(2);
      expect(identities).toContain('in-test-worker');
    } finally {
      await stopProcess(child);
    }
  });
});

describe('billsim sweep --temporal', () => {
  it('gives the same results as the local worker threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-sweep-temporal-'));
    const scenario = join(dir, 'small.yaml');
    writeFileSync(scenario, 'name: small\naccounts: 150\ndays: 20\n');
    const args = [
      'sweep',
      scenario,
      '--policies',
      'target',
      '--vary',
      'retry.attemptsPerPaymentMethodMax=4,8',
      '--seeds',
      '2',
      '--json',
    ];
    const local = await cli(...args, '--db', join(dir, 'local.duckdb'), '--workers', '1');
    expect(local.code).toBe(0);

    const taskQueue = `sweep-cli-${randomUUID()}`;
    const { env, workflowBundle } = temporal();
    const worker = await createWorker({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle,
      identity: 'cli-test-worker',
      sweep: { build: loadPolicySet },
    });
    const remote = await worker.runUntil(
      cli(...args, '--db', join(dir, 'remote.duckdb'), '--temporal', env.address, '--task-queue', taskQueue),
    );
    expect(remote.stderr).not.toMatch(/billsim: /);
    expect(remote.code).toBe(0);
    const withoutIds = (text: string) => JSON.stringify({ ...JSON.parse(text), sweepId: undefined, dbPath: undefined });
    expect(withoutIds(remote.stdout)).toBe(withoutIds(local.stdout));
  });
});
