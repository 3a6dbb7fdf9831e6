/**
 * Smoke test for Temporal's time-skipping test server (Java, from Maven Central,
 * installed by scripts/install-servers.sh): a workflow that sleeps 30 days must
 * complete, because the server skips time while the client awaits the result.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { startTemporalTestEnv } from '../../support/servers.js';
import { THIRTY_DAYS_MS, type sleepThirtyDays } from './fixtures/sleep-workflow.js';

const workflowsPath = fileURLToPath(new URL('./fixtures/sleep-workflow.ts', import.meta.url));

describe('Temporal time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    // One Runtime per process (vitest runs each file in its own fork): keep the worker quiet.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    env = await startTemporalTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow that sleeps 30 days to completion', async () => {
    const taskQueue = `sleep-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
    });
    const serverTimeBefore = await env.currentTimeMs();
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof sleepThirtyDays>('sleepThirtyDays', {
        taskQueue,
        workflowId: `sleep-${randomUUID()}`,
      }),
    );
    expect(result.wokeAtMs - result.startedAtMs).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);
    expect((await env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);
  });
});
