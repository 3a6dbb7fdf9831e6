import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReportCommands } from '../../sim/tools/report/command.js';
import { closeStore, openStore, writeRun } from '../../reports/store.js';
import { fixtureRuns } from './fixture.js';

let dir: string;
let dbPath: string;
let runIds: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'billsim-cli-'));
  dbPath = join(dir, 'store', 'runs.duckdb');
  runIds = [];
  const store = await openStore(dbPath);
  for (const run of fixtureRuns()) runIds.push(await writeRun(store, run, { codeVersion: 'billsim@test' }));
  closeStore(store);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  out: string;
  err: string;
  exitCode: number;
}

async function cli(...args: string[]): Promise<Outcome> {
  let out = '';
  let err = '';
  const program = new Command('billsim').exitOverride().configureOutput({
    writeErr: (t) => {
      err += t;
    },
    writeOut: (t) => {
      out += t;
    },
  });
  registerReportCommands(program, {
    out: (t) => {
      out += t;
    },
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) return { out, err, exitCode: error.exitCode };
    throw error;
  }
}

describe('report commands', () => {
  it('sql prints a table, JSON or CSV', async () => {
    const sql = 'SELECT run_id, days, invoice_coverage_ratio FROM runs ORDER BY created_seq';
    expect((await cli('sql', '--db', dbPath, sql)).out).toMatch(/^run_id\s+\|\s+days \|/);
    const json = JSON.parse((await cli('sql', '--db', dbPath, sql, '--json')).out) as {
      run_id: string;
      days: number;
    }[];
    expect(json.map((r) => [r.run_id, r.days])).toEqual(runIds.map((id) => [id, 30]));
    expect((await cli('sql', '--db', dbPath, 'SELECT count(*) AS n FROM invoices', '--csv')).out).toBe('n\n640\n');
  });

  it('export writes parquet files', async () => {
    const outDir = join(dir, 'pq');
    const result = await cli('export', '--db', dbPath, '--format', 'parquet', '-o', outDir);
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(outDir, 'invoices.parquet'))).toBe(true);
  });

  it('report renders the chosen runs', async () => {
    const out = join(dir, 'report.html');
    expect((await cli('report', '--db', dbPath, '--runs', runIds.join(','), '-o', out)).exitCode).toBe(0);
    const html = readFileSync(out, 'utf8');
    for (const id of runIds) expect(html).toContain(id);
    const latest = join(dir, 'latest.html');
    expect((await cli('report', '--db', dbPath, '-o', latest)).exitCode).toBe(0);
    expect(readFileSync(latest, 'utf8')).toContain(`(${runIds[1]})`);
    expect(readFileSync(latest, 'utf8')).not.toContain(`(${runIds[0]})`);
  });

  it.each([
    [
      'a missing store file',
      ['sql', '--db', '/nonexistent/runs.duckdb', 'SELECT 1'],
      /no store at \/nonexistent\/runs.duckdb/,
    ],
    ['bad SQL', ['sql', '--db', '<db>', 'SELEC nonsense'], /Parser Error/],
    ['an unknown table', ['sql', '--db', '<db>', 'SELECT * FROM nope'], /Catalog Error/],
    ['both --json and --csv', ['sql', '--db', '<db>', 'SELECT 1', '--json', '--csv'], /choose one/],
    ['an empty query', ['sql', '--db', '<db>', '  '], /<query>: empty/],
    [
      'an unknown run id',
      ['report', '--db', '<db>', '--runs', 'nope-1', '-o', '/tmp/x.html'],
      /unknown run id\(s\).*nope-1/,
    ],
    [
      '--runs naming no run',
      ['report', '--db', '<db>', '--runs', ' , ', '-o', '/tmp/x.html'],
      /--runs: " , " names no run id/,
    ],
    ['an unknown export format', ['export', '--db', '<db>', '--format', 'csv', '-o', '/tmp/x'], /only parquet/],
  ])('exits 2 with one line for %s', async (_name, args, message) => {
    const result = await cli(...args.map((a) => (a === '<db>' ? dbPath : a)));
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trimEnd().split('\n')).toHaveLength(1);
  });
});
