import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRuns } from '../../reports/report-from-store.js';
import { closeStore, contentHash, openStore, query, writeRun, type Store } from '../../reports/store.js';
import { fixtureRuns, INVARIANTS } from './fixture.js';

const CODE_VERSION = 'billsim@test';
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'billsim-store-'));
  store = await openStore(join(dir, 'nested', 'runs.duckdb'));
});

afterEach(() => {
  closeStore(store);
  rmSync(dir, { recursive: true, force: true });
});

async function count(table: string, runId?: string): Promise<number> {
  const where = runId === undefined ? '' : ` WHERE run_id = '${runId}'`;
  const [row] = await query(store, `SELECT count(*) AS n FROM ${table}${where}`);
  return Number(row?.['n']);
}

describe('run store', () => {
  it('round-trips a run: columns, long tables and the exact RunResult', async () => {
    const [legacy] = fixtureRuns();
    const runId = await writeRun(store, legacy, { codeVersion: CODE_VERSION });
    expect(runId).toBe(`${contentHash(legacy)}-1`);
    const [run] = await query(store, `SELECT * FROM runs WHERE run_id = '${runId}'`);
    expect(run?.['rollbacks_per_day']).toBeCloseTo(legacy.kpis.rollbacksPerDay, 9);
    expect(run?.['seed']).toBe(42n);
    expect(run?.['code_version']).toBe(CODE_VERSION);
    expect(JSON.parse(String(run?.['parameters']))).toEqual(legacy.parameters);
    expect(await count('daily_kpis', runId)).toBe(30);
    expect(await count('daily_drift', runId)).toBe(30 * INVARIANTS.length);
    expect(await count('daily_consequences', runId)).toBe(30 * 6);
    expect(await count('invoices', runId)).toBe(legacy.invoices.length);
    expect(await count('run_drift', runId)).toBe(INVARIANTS.length);
    expect(await loadRuns(store, [runId])).toEqual([legacy]);
  });

  it('stores invoices column by column, with "never" (-1) as NULL', async () => {
    const [legacy] = fixtureRuns();
    const runId = await writeRun(store, legacy, { codeVersion: CODE_VERSION });
    const rows = await query(store, `SELECT * FROM invoices WHERE run_id = '${runId}' ORDER BY invoice_id`);
    const neverFailed = legacy.invoices.filter((i) => i.firstFailedAtMs < 0).length;
    expect(rows.filter((r) => r['first_failed_at_ms'] === null)).toHaveLength(neverFailed);
    const first = legacy.invoices[0];
    expect(rows[0]).toMatchObject({
      invoice_id: BigInt(first?.invoiceId ?? 0),
      account_id: first?.accountId,
      kind: first?.kind,
      amount_cents: BigInt(first?.amountCents ?? 0),
      attempts: first?.attempts,
      first_decline_code: first?.firstDeclineCode,
    });
  });

  it('gives deterministic ids: same inputs count up, created_seq is global', async () => {
    const [legacy, recompute] = fixtureRuns();
    const ids = [
      await writeRun(store, legacy, { codeVersion: CODE_VERSION }),
      await writeRun(store, recompute, { codeVersion: CODE_VERSION }),
      await writeRun(store, legacy, { codeVersion: CODE_VERSION }),
    ];
    const hash = contentHash(legacy);
    expect(ids).toEqual([`${hash}-1`, `${contentHash(recompute)}-1`, `${hash}-2`]);
    const seqs = await query(store, 'SELECT run_id, created_seq FROM runs ORDER BY created_seq');
    expect(seqs.map((r) => [r['run_id'], r['created_seq']])).toEqual(ids.map((id, i) => [id, i + 1]));
  });
});

describe('events table', () => {
  it('writes events from typed arrays', async () => {
    const [legacy] = fixtureRuns();
    const n = 5000;
    const events = {
      timeMs: Float64Array.from({ length: n }, (_, i) => i * 1000),
      kind: Uint8Array.from({ length: n }, (_, i) => i % 3),
      kindNames: ['renewal_due', 'payment_attempt', 'webhook'],
      accountId: Int32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? -1 : i % 200)),
    };
    const runId = await writeRun(store, legacy, { codeVersion: CODE_VERSION, events });
    const [agg] = await query(
      store,
      `SELECT count(*) AS n, max(seq) AS s, max(time_ms) AS t,
      count(*) FILTER (WHERE account_id IS NULL) AS no_account, count(*) FILTER (WHERE kind = 'webhook') AS webhooks
      FROM events WHERE run_id = '${runId}'`,
    );
    expect(agg).toEqual({ n: 5000n, s: 4999n, t: 4_999_000n, no_account: 500n, webhooks: 1666n });
  });

  it('keeps given seqs, row order and every kind name, and stores any negative account id as NULL', async () => {
    const [legacy] = fixtureRuns();
    const events = {
      timeMs: new Float64Array([5, 5, 9, 2 ** 40]),
      kind: new Uint8Array([2, 0, 1, 2]),
      kindNames: ['a', 'b', 'webhook_delivery'],
      accountId: new Int32Array([7, -1, -42, 0]),
      seq: new Float64Array([10, 11, 12, 13]),
    };
    const runId = await writeRun(store, legacy, { codeVersion: CODE_VERSION, events });
    const rows = await query(
      store,
      `SELECT seq, time_ms, kind, account_id FROM events WHERE run_id = '${runId}' ORDER BY seq`,
    );
    expect(rows).toEqual([
      { seq: 10n, time_ms: 5n, kind: 'webhook_delivery', account_id: 7 },
      { seq: 11n, time_ms: 5n, kind: 'a', account_id: null },
      { seq: 12n, time_ms: 9n, kind: 'b', account_id: null },
      { seq: 13n, time_ms: 2n ** 40n, kind: 'webhook_delivery', account_id: 0 },
    ]);
  });

  it('refuses an event kind without a name and writes nothing of the run', async () => {
    const [legacy] = fixtureRuns();
    const before = await query(store, 'SELECT count(*) AS n FROM runs');
    const events = {
      timeMs: new Float64Array([1]),
      kind: new Uint8Array([3]),
      kindNames: ['a'],
      accountId: new Int32Array([1]),
    };
    await expect(writeRun(store, legacy, { codeVersion: CODE_VERSION, events })).rejects.toThrow(/kind 3 has no name/);
    expect(await query(store, 'SELECT count(*) AS n FROM runs')).toEqual(before);
  });
});

describe('events table: stores written before the compact layout', () => {
  it("moves an older store's events table into the compact layout on open, row for row", async () => {
    const [legacy] = fixtureRuns();
    const runId = await writeRun(store, legacy, { codeVersion: CODE_VERSION });
    await store.connection.run(`DROP VIEW events;
      CREATE TABLE events (run_id VARCHAR NOT NULL, seq BIGINT NOT NULL, time_ms BIGINT NOT NULL, kind VARCHAR NOT NULL, account_id INTEGER);
      INSERT INTO events VALUES ('${runId}', 0, 5, 'renewal', 3), ('${runId}', 1, 7, 'day', NULL), ('${runId}', 2, 9, 'renewal', 4)`);
    const path = store.path;
    closeStore(store);
    store = await openStore(path);
    expect(await query(store, 'SELECT * FROM events ORDER BY seq')).toEqual([
      { run_id: runId, seq: 0n, time_ms: 5n, kind: 'renewal', account_id: 3 },
      { run_id: runId, seq: 1n, time_ms: 7n, kind: 'day', account_id: null },
      { run_id: runId, seq: 2n, time_ms: 9n, kind: 'renewal', account_id: 4 },
    ]);
    const [kinds] = await query(store, 'SELECT count(*) AS n FROM event_kinds');
    expect(kinds).toEqual({ n: 2n });
  });

  it('refuses to migrate an older events table holding rows of unknown runs, and changes nothing', async () => {
    await store.connection.run(`DROP VIEW events;
      CREATE TABLE events (run_id VARCHAR NOT NULL, seq BIGINT NOT NULL, time_ms BIGINT NOT NULL, kind VARCHAR NOT NULL, account_id INTEGER);
      INSERT INTO events VALUES ('no-such-run', 0, 5, 'renewal', 3)`);
    const path = store.path;
    closeStore(store);
    await expect(openStore(path)).rejects.toThrow(/1 rows of runs the store does not list/);
    store = await openStore(path, { readOnly: true });
    expect(await query(store, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 1n }]);
  });
});
