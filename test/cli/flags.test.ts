/** One flag vocabulary: --seed for every first seed, -o/--output for every output, --db defaulting to the default store. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCli, cli } from '../support/cli.js';

const WORLD = resolve('test/fixtures/small-world.yaml');

const inDir = (cwd: string, ...args: string[]) => builtCli(args, cwd);

describe('one flag vocabulary across commands', () => {
  it('sql, report and export read the default store when --db is not given', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'billsim-flags-'));
    expect((await inDir(cwd, 'run', WORLD, '--db', '.billsim/runs.duckdb', '--json')).code).toBe(0);
    const rows = await inDir(cwd, 'sql', 'SELECT count(*) AS n FROM runs', '--json');
    expect(rows.code).toBe(0);
    expect(JSON.parse(rows.out)).toEqual([{ n: 1 }]);
    expect((await inDir(cwd, 'report', '-o', 'r.html')).code).toBe(0);
    expect(existsSync(join(cwd, 'r.html'))).toBe(true);
    expect((await inDir(cwd, 'export', '--output', 'pq')).code).toBe(0);
    expect(existsSync(join(cwd, 'pq', 'runs.parquet'))).toBe(true);
  });

  it('the older names still work (--out, --seed-base) and naming both is bad input', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'billsim-flags-'));
    const empty = await inDir(cwd, 'sql', 'SELECT 1');
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('no store at .billsim/runs.duckdb');
    expect((await inDir(cwd, 'run', WORLD, '--db', '.billsim/runs.duckdb', '--json')).code).toBe(0);
    expect((await inDir(cwd, 'report', '--out', 'old.html')).code).toBe(0);
    const both = await inDir(cwd, 'report', '--out', 'a.html', '-o', 'b.html');
    expect(both.code).toBe(2);
    const args = ['compare', WORLD, '--policies', 'legacy,target', '--seeds', '2', '--json'];
    const bySeed = JSON.parse((await cli(...args, '--seed', '4')).stdout) as { seeds: number[] };
    const byBase = JSON.parse((await cli(...args, '--seed-base', '4')).stdout) as { seeds: number[] };
    expect(bySeed.seeds).toEqual([4, 5]);
    expect(byBase).toEqual(bySeed);
    const twice = await cli(...args, '--seed', '4', '--seed-base', '4');
    expect(twice.code).toBe(2);
    expect(twice.stderr.trim()).toBe('billsim: --seed-base: the older name of --seed; give one of them');
  });
});
