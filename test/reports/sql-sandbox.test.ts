import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReportCommands } from '../../sim/tools/report/command.js';
import { closeStore, openStore, query, writeRun } from '../../reports/store.js';
import { formatCsv, formatJson, formatTable, rowWriter, type OutputFormat } from '../../reports/sql.js';
import { fixtureRuns } from './fixture.js';

let dir: string;
let dbPath: string;
let otherPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'billsim-sql-'));
  dbPath = join(dir, 'runs.duckdb');
  otherPath = join(dir, 'other.duckdb');
  for (const path of [dbPath, otherPath]) {
    const store = await openStore(path);
    for (const run of fixtureRuns()) await writeRun(store, run, { codeVersion: 'billsim@test' });
    closeStore(store);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sql(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = '';
  let err = '';
  const program = new Command('billsim').exitOverride().configureOutput({
    writeErr: (t) => void (err += t),
    writeOut: (t) => void (out += t),
  });
  registerReportCommands(program, { out: (t) => void (out += t) });
  try {
    await program.parseAsync(['sql', ...args], { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) return { out, err, exitCode: error.exitCode };
    throw error;
  }
}

async function runCount(path: string): Promise<number> {
  const store = await openStore(path, { readOnly: true });
  try {
    return Number((await query(store, 'SELECT count(*) AS n FROM runs'))[0]?.n);
  } finally {
    closeStore(store);
  }
}

describe('sql is confined to the store', () => {
  it('refuses COPY onto the store, ATTACH of another store, EXPORT, INSTALL and file reads; both stores intact', async () => {
    const sizeBefore = statSync(dbPath).size;
    const attacks = [
      `COPY (SELECT 1) TO '${dbPath}'`,
      `COPY runs TO '${join(dir, 'leak.csv')}'`,
      `ATTACH '${otherPath}' AS o (READ_WRITE); DELETE FROM o.runs`,
      `EXPORT DATABASE '${join(dir, 'exported')}'`,
      'INSTALL httpfs',
      'LOAD httpfs',
      `SET enable_external_access = true; SELECT * FROM read_csv('/etc/passwd')`,
      `SELECT * FROM read_csv('/etc/passwd')`,
      'DELETE FROM runs',
    ];
    for (const attack of attacks) {
      const result = await sql('--db', dbPath, attack);
      expect(result.exitCode, attack).toBe(2);
      expect(result.err.trimEnd().split('\n'), attack).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'leak.csv'))).toBe(false);
    expect(existsSync(join(dir, 'exported'))).toBe(false);
    expect(statSync(dbPath).size).toBe(sizeBefore);
    expect(await runCount(dbPath)).toBe(fixtureRuns().length);
    expect(await runCount(otherPath)).toBe(fixtureRuns().length);
  });

  it('changes the store only with --allow-writes, and even then reaches no file outside it', async () => {
    const copy = join(dir, 'writable.duckdb');
    const store = await openStore(copy);
    for (const run of fixtureRuns()) await writeRun(store, run, { codeVersion: 'billsim@test' });
    closeStore(store);
    expect((await sql('--db', copy, 'DELETE FROM runs WHERE false', '--allow-writes')).exitCode).toBe(0);
    expect((await sql('--db', copy, `COPY runs TO '${join(dir, 'w.csv')}'`, '--allow-writes')).exitCode).toBe(2);
    expect(existsSync(join(dir, 'w.csv'))).toBe(false);
  });

  it('runs several statements and prints the last one', async () => {
    const result = await sql('--db', dbPath, 'SELECT 1 AS a; SELECT 2 AS b', '--csv');
    expect(result.out).toBe('b\n2\n');
  });

  it('streams a result larger than one chunk in every format, matching the whole-result formatters', async () => {
    const q = "SELECT i AS n, repeat('x', (i % 7)::INT) AS s FROM range(5000) t(i)";
    const rows = Array.from({ length: 5000 }, (_, i) => ({ n: BigInt(i), s: 'x'.repeat(i % 7) }));
    expect((await sql('--db', dbPath, q, '--csv')).out).toBe(formatCsv(['n', 's'], rows));
    expect((await sql('--db', dbPath, q, '--json')).out).toBe(formatJson(rows));
    const table = (await sql('--db', dbPath, q)).out.trimEnd().split('\n');
    expect(table).toHaveLength(5003);
    expect(table.at(-1)).toBe('(5000 rows)');
  });

  it('a streamed writer matches the whole formatters on small and empty results', () => {
    const columns = ['a', 'b'];
    const rows = [
      { a: 1n, b: 'x' },
      { a: null, b: 'long text' },
    ];
    for (const format of ['csv', 'json', 'table'] as OutputFormat[]) {
      for (const chunk of [rows, []]) {
        let text = '';
        const writer = rowWriter(columns, format, (t) => void (text += t));
        writer.rows(chunk);
        writer.end();
        const whole =
          format === 'csv'
            ? formatCsv
            : format === 'json'
              ? (_: unknown, r: typeof rows) => formatJson(r)
              : formatTable;
        expect(text, format).toBe(whole(columns, chunk));
      }
    }
  });

  it('four concurrent readers all succeed', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => sql('--db', dbPath, 'SELECT count(*) AS n FROM runs', '--csv')),
    );
    for (const r of results) expect(r.out).toBe(`n\n${fixtureRuns().length}\n`);
    expect(readFileSync(dbPath).length).toBeGreaterThan(0);
  });
});
