/**
 * One time-skipping test environment per test file (vitest runs each file in
 * its own process, so one Runtime each), with a workflow bundle built once.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { workflowsPath } from '../../../sim/hosts/temporal/worker.js';
import { startTemporalTestEnv } from '../../support/servers.js';

export interface TemporalTestContext {
  readonly env: TestWorkflowEnvironment;
  readonly workflowBundle: WorkflowBundle;
}

export function useTemporalTestEnv(): () => TemporalTestContext {
  let context: TemporalTestContext | null = null;
  let env: TestWorkflowEnvironment | null = null;
  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    env = await startTemporalTestEnv();
    context = {
      env,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') }),
    };
  });
  afterAll(async () => {
    await env?.teardown();
  });
  return () => {
    if (context === null) throw new Error('useTemporalTestEnv: the environment is not started (use it inside a test)');
    return context;
  };
}
