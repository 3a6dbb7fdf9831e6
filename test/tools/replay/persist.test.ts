import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeStore, openStore, query } from '../../../reports/store.js';
import { cli } from '../../support/cli.js';

describe('billsim replay --db --report', () => {
  it('stores the replay as a run and writes its report, with no personal data in either', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-replay-db-'));
    const db = join(dir, 'runs.duckdb');
    const report = join(dir, 'replay.html');
    const r = await cli(
      'replay',
      'scenarios/streams/sample.jsonl',
      '--policies',
      'target',
      '--json',
      '--db',
      db,
      '--report',
      report,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n')[0]!);
    const store = await openStore(db, { readOnly: true });
    try {
      const rows = await query(store, 'select disagreeing_accounts, result from runs');
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!['disagreeing_accounts'])).toBe(out.kpis.disagreeingAccounts);
      expect(String(rows[0]!['result'])).not.toMatch(/@/);
    } finally {
      closeStore(store);
    }
    expect(existsSync(report)).toBe(true);
    const text = readFileSync(report, 'utf8').replace(/<script[\s\S]*?<\/script>/g, '');
    expect(text).toMatch(/KPI/);
    expect(text).not.toMatch(/[\w.]+@[\w-]+\.\w+/);
  });
});
