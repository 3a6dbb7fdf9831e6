import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeStore, openStore, query, writeRun, type Store } from '../../reports/store.js';
import { TABLES } from '../../reports/schema.js';
import { fixtureRuns, makeRun } from './fixture.js';

let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'billsim-atomic-'));
  dbPath = join(dir, 'runs.duckdb');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Rows per table, all runs together. */
async function tableCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES)
    counts[table] = Number((await query(store, `SELECT count(*) AS n FROM ${table}`))[0]?.['n']);
  return counts;
}

describe('atomic run writes', () => {
  it('a write that throws mid-way leaves the earlier run and nothing of its own', async () => {
    const store = await openStore(dbPath);
    const [legacy, recompute] = fixtureRuns();
    const keptId = await writeRun(store, legacy, { codeVersion: 'v' });
    const before = await tableCounts(store);
    const failing = writeRun(store, recompute, {
      codeVersion: 'v',
      onTableWritten: (table) => {
        if (table === 'daily_drift') throw new Error('crash after daily_drift');
      },
    });
    await expect(failing).rejects.toThrow('crash after daily_drift');
    expect(await tableCounts(store)).toEqual(before);
    expect((await query(store, 'SELECT run_id FROM runs')).map((r) => r['run_id'])).toEqual([keptId]);
    const nextId = await writeRun(store, recompute, { codeVersion: 'v' });
    expect(nextId.endsWith('-1')).toBe(true);
    closeStore(store);
  });

  it('a writer process killed mid-run leaves the earlier runs and no half run', async () => {
    let store = await openStore(dbPath);
    const keptId = await writeRun(store, makeRun('legacy', 3), { codeVersion: 'v' });
    const before = await tableCounts(store);
    closeStore(store);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'kill-writer.ts'), dbPath],
      { encoding: 'utf8' },
    );
    expect(child.signal, child.stderr).toBe('SIGKILL');
    store = await openStore(dbPath);
    expect(await tableCounts(store)).toEqual(before);
    expect((await query(store, 'SELECT run_id FROM runs')).map((r) => r['run_id'])).toEqual([keptId]);
    closeStore(store);
  });
});
