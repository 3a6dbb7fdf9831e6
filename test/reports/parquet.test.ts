import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportParquet } from '../../reports/parquet.js';
import { TABLES } from '../../reports/schema.js';
import { closeStore, openStore, query, writeRun, type Store } from '../../reports/store.js';
import { fixtureRuns } from './fixture.js';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'billsim-parquet-'));
  store = await openStore(join(dir, 'runs.duckdb'));
  const events = {
    timeMs: new Float64Array([0, 10, 20]),
    kind: new Uint8Array([0, 1, 0]),
    kindNames: ['a', 'b'],
    accountId: new Int32Array([1, 2, -1]),
  };
  for (const run of fixtureRuns()) await writeRun(store, run, { codeVersion: 'v', events });
});
afterAll(() => {
  closeStore(store);
  rmSync(dir, { recursive: true, force: true });
});

describe('parquet export', () => {
  it('writes one file per table that DuckDB reads back with the same rows', async () => {
    const paths = await exportParquet(store, join(dir, 'parquet'));
    expect(Object.keys(paths).sort()).toEqual([...TABLES].sort());
    for (const table of TABLES) {
      const path = paths[table];
      expect(existsSync(path), path).toBe(true);
      const [stored] = await query(store, `SELECT count(*) AS n FROM ${table}`);
      const [exported] = await query(store, `SELECT count(*) AS n FROM read_parquet('${path}')`);
      expect(exported?.['n'], table).toBe(stored?.['n']);
      expect(Number(stored?.['n']), table).toBeGreaterThan(0);
    }
  });

  it('keeps values and types: a KPI column and the invoice amounts match', async () => {
    const paths = await exportParquet(store, join(dir, 'parquet2'));
    const [a] = await query(store, `SELECT sum(amount_cents) AS s, count(first_failed_at_ms) AS f FROM invoices`);
    const [b] = await query(
      store,
      `SELECT sum(amount_cents) AS s, count(first_failed_at_ms) AS f FROM read_parquet('${paths.invoices}')`,
    );
    expect(b).toEqual(a);
    const kpis = await query(
      store,
      `SELECT run_id, rollbacks_per_day FROM read_parquet('${paths.runs}') ORDER BY created_seq`,
    );
    expect(kpis.map((r) => r['rollbacks_per_day'])).toEqual(fixtureRuns().map((r) => r.kpis.rollbacksPerDay));
  });
});
