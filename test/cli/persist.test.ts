import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeStore, openStore, query } from '../../reports/store.js';
import { cli } from '../support/cli.js';

describe('billsim run --db --db-events --parquet', () => {
  it('stores the run, every kernel event, and exports Parquet; --json stays one object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-persist-'));
    const db = join(dir, 'runs.duckdb');
    const r = await cli('run', 'baseline', '--seed', '2', '--json', '--db', db, '--db-events', '--parquet', join(dir, 'pq'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    const store = await openStore(db, { readOnly: true });
    try {
      const [row] = await query(store, 'select count(*)::INTEGER as n from events');
      expect(Number(row!['n'])).toBe(out.events);
      const [run] = await query(store, 'select disagreeing_accounts from runs');
      expect(Number(run!['disagreeing_accounts'])).toBe(out.kpis.disagreeingAccounts);
    } finally {
      closeStore(store);
    }
    for (const table of ['runs', 'daily_kpis', 'invoices', 'events']) expect(existsSync(join(dir, 'pq', `${table}.parquet`))).toBe(true);
  });
});
