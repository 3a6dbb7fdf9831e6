/**
 * Every output path a command takes is checked before the work: one that
 * cannot be written (a folder given as a file, a file given as a folder, a
 * path under a file) is one line on stderr naming it, exit 2, and nothing is
 * stored or written, no temp file left.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-outputs-'));
const plainFile = join(dir, 'plain-file');
writeFileSync(plainFile, 'not a folder');
const folder = join(dir, 'a-folder');
mkdirSync(folder);
const scenario = join(dir, 'tiny.yaml');
writeFileSync(scenario, 'name: tiny\naccounts: 50\ndays: 10\n');
const thresholds = join(dir, 'thresholds.yaml');
writeFileSync(thresholds, 'thresholds:\n  rollbacksPerDay: ["<= 1"]\n');
const observed = join(dir, 'observed.yaml');
writeFileSync(observed, 'kpis:\n  rollbacksPerDay: 1\n');
const store = join(dir, 'existing.duckdb');
const underFile = (name: string): string => join(plainFile, name);

function tempFiles(): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => /\.tmp/.test(name));
}

const CASES: readonly [string, string[], RegExp][] = [
  [
    'run --report under a file',
    ['run', scenario, '--db', join(dir, 'run.duckdb'), '--report', underFile('r.html')],
    /plain-file\/r\.html: cannot write/,
  ],
  [
    'run --parquet a file',
    ['run', scenario, '--db', join(dir, 'run.duckdb'), '--parquet', plainFile],
    /plain-file: cannot write .*not a folder/,
  ],
  [
    'run --export-events a folder',
    ['run', scenario, '--export-events', folder],
    /a-folder: cannot write .*it is a folder/,
  ],
  [
    'demo -o under a file',
    ['demo', '--db', join(dir, 'demo.duckdb'), '-o', underFile('d.html')],
    /plain-file\/d\.html: cannot write/,
  ],
  [
    'roadmap --report under a file',
    ['roadmap', scenario, '--sets', 'legacy', '--db', join(dir, 'roadmap.duckdb'), '--report', underFile('m.html')],
    /plain-file\/m\.html: cannot write/,
  ],
  [
    'compare --report a folder',
    ['compare', scenario, '--policies', 'legacy,target', '--seeds', '2', '--report', folder],
    /a-folder: cannot write/,
  ],
  [
    'gate --markdown under a file',
    [
      'gate',
      scenario,
      '--policies',
      'target',
      '--thresholds',
      thresholds,
      '--seeds',
      '1',
      '--markdown',
      underFile('g.md'),
    ],
    /plain-file\/g\.md: cannot write/,
  ],
  [
    'calibrate -o under a file',
    ['calibrate', scenario, '--observed', observed, '--evaluations', '1', '--seeds', '1', '-o', underFile('c.yaml')],
    /plain-file\/c\.yaml: cannot write/,
  ],
  ['report -o under a file', ['report', '--db', store, '-o', underFile('x.html')], /plain-file\/x\.html: cannot write/],
  ['export -o a file', ['export', '--db', store, '-o', plainFile], /plain-file: cannot write/],
  [
    'verify --out-dir a file',
    [
      'verify',
      '--policies',
      'canary',
      '--runs',
      '1',
      '--property-runs',
      '1',
      '--scenario',
      scenario,
      '--out-dir',
      plainFile,
    ],
    /plain-file: cannot write .*not a folder/,
  ],
  [
    'lifecycle render -o under a file',
    ['lifecycle', 'render', '-o', underFile('l.svg')],
    /plain-file\/l\.svg: cannot write/,
  ],
  [
    'policies import-killbill -o under a file',
    ['policies', 'import-killbill', 'scenarios/killbill-overdue.xml', '-o', underFile('k.yaml')],
    /plain-file\/k\.yaml: cannot write/,
  ],
];

describe('an output path that cannot be written: one line, exit 2, before the work, nothing written', () => {
  it.each(CASES)('%s', async (_what, args, message) => {
    if (!existsSync(store)) expect((await cli('run', scenario, '--db', store)).code).toBe(0);
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toMatch(/rollbacks per day|Rollbacks|pass|fitted/i);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('warning: '));
    expect(lines).toEqual([expect.stringMatching(message)]);
    for (const db of ['run', 'demo', 'roadmap'].map((name) => join(dir, `${name}.duckdb`)))
      expect(existsSync(db)).toBe(false);
    expect(tempFiles()).toEqual([]);
  });

  it('bad input found after the outputs were checked leaves no empty store behind', async () => {
    const badStream = join(dir, 'bad.jsonl');
    writeFileSync(badStream, '{"id": "evt_1", oops\n');
    const db = join(dir, 'checked.duckdb');
    for (const args of [
      ['replay', badStream, '--db', db, '--report', join(dir, 'checked.html')],
      ['verify', '--db', db, '--runs', 'abc'],
      ['verify', '--db', db, '--scenario', join(dir, 'no-such.yaml')],
    ]) {
      expect((await cli(...args)).code).toBe(2);
      expect(existsSync(db)).toBe(false);
    }
    expect(existsSync(join(dir, 'checked.html'))).toBe(false);
  });

  it('export to a new folder writes every table and leaves no temp file', async () => {
    if (!existsSync(store)) expect((await cli('run', scenario, '--db', store)).code).toBe(0);
    const out = join(dir, 'parquet', 'nested');
    expect((await cli('export', '--db', store, '-o', out)).code).toBe(0);
    expect(readdirSync(out).sort()).toContain('runs.parquet');
    expect(tempFiles()).toEqual([]);
  });
});
