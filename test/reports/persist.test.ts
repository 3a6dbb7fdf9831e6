import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeStore, openStore, query } from '../../reports/store.js';
import { cli } from '../support/cli.js';

describe('billsim run --db --db-events --parquet', () => {
  it('stores the run, every kernel event, and exports Parquet; --json stays one object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-persist-'));
    const db = join(dir, 'runs.duckdb');
    const r = await cli(
      'run',
      'baseline',
      '--seed',
      '2',
      '--json',
      '--db',
      db,
      '--db-events',
      '--parquet',
      join(dir, 'pq'),
    );
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
    for (const table of ['runs', 'daily_kpis', 'invoices', 'events'])
      expect(existsSync(join(dir, 'pq', `${table}.parquet`))).toBe(true);
  });
});

describe('--json with --report or --db', () => {
  it('run, replay and roadmap keep stdout to the one JSON document; where the report went is said on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-json-'));
    const scenario = join(dir, 'tiny.yaml');
    writeFileSync(scenario, 'name: tiny\naccounts: 50\ndays: 10\n');
    const runs = [
      ['run', scenario, '--json', '--report', join(dir, 'run.html'), '--db', join(dir, 'runs.duckdb')],
      [
        'replay',
        'scenarios/streams/sample.jsonl',
        '--json',
        '--report',
        join(dir, 'replay.html'),
        '--db',
        join(dir, 'runs.duckdb'),
      ],
      [
        'roadmap',
        scenario,
        '--sets',
        'legacy',
        '--json',
        '--report',
        join(dir, 'roadmap.html'),
        '--db',
        join(dir, 'runs.duckdb'),
      ],
    ];
    for (const args of runs) {
      const r = await cli(...args);
      expect(r.code).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
      expect(r.stderr).toContain(`report: ${args[args.indexOf('--report') + 1]}`);
    }
  });
});
