/**
 * Replay determinism: the dunning histories recorded by
 * scripts/record-histories.ts (committed under test/hosts/temporal/histories/) must
 * replay against today's workflow code. A change that would break executions
 * already running fails here; re-record only for a deliberate, versioned change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowsPath } from '../../../sim/hosts/temporal/worker.js';
import { RECORDED_CASES } from './cases.js';

const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));
const CHANGED_WORKFLOW = fileURLToPath(new URL('./fixtures/changed-dunning-workflow.ts', import.meta.url));

function recordedHistories(): { workflowId: string; history: unknown }[] {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      workflowId: path.basename(f, '.json'),
      history: JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')) as unknown,
    }));
}

async function replayAll(workflowsFile: string): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const options = { workflowsPath: workflowsFile };
  for await (const result of Worker.runReplayHistories(options, recordedHistories())) results.push(result);
  return results;
}

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

describe('dunning workflow replay', () => {
  it('has a recorded history for every scripted case', () => {
    expect(
      recordedHistories()
        .map((h) => h.workflowId)
        .sort(),
    ).toEqual(RECORDED_CASES.map((c) => c.name).sort());
  });

  it('replays every recorded history against the current workflow code', async () => {
    const results = await replayAll(workflowsPath());
    expect(results.map((r) => [r.workflowId, r.error?.message ?? null])).toEqual(
      recordedHistories().map((h) => [h.workflowId, null]),
    );
  });

  it('fails on a workflow change that running executions could not survive', async () => {
    const results = await replayAll(CHANGED_WORKFLOW);
    expect(results).toHaveLength(RECORDED_CASES.length);
    for (const r of results) expect(r.error?.name, r.workflowId).toBe('DeterminismViolationError');
  });
});
