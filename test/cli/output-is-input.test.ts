/**
 * An output path that is also an input (or another output) is refused as bad
 * input before any work: one line naming the flag, exit 2, and the input left
 * byte for byte as it was. Paths are compared where they really lead: a `./`
 * prefix, a `..` detour and a symlink all name the same file.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { exportedRun } from '../tools/replay/support.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-same-path-'));
const scenario = join(dir, 'tiny.yaml');
writeFileSync(scenario, 'name: tiny\naccounts: 40\ndays: 10\n');
const thresholds = join(dir, 'thresholds.yaml');
writeFileSync(thresholds, 'thresholds:\n  rollbacksPerDay: ["<= 1"]\n');
const xml = join(dir, 'overdue.xml');
copyFileSync('scenarios/killbill-overdue.xml', xml);
const stream = exportedRun('same-path', 60, 20).path;
const linkToStream = join(dir, 'link.jsonl');
symlinkSync(stream, linkToStream);
const store = join(dir, 'runs.duckdb');

const CASES: readonly [string, string[], string, RegExp][] = [
  [
    'replay --report = the stream',
    ['replay', stream, '--report', stream],
    stream,
    /--report: .* is also the input <stream>/,
  ],
  [
    'replay --db = the stream through a symlink',
    ['replay', stream, '--db', linkToStream],
    stream,
    /--db: .* is also the input <stream>/,
  ],
  [
    'redact <out> = <in> with a ./ and .. detour',
    ['redact', stream, join(dirname(stream), '..', basename(dirname(stream)), '.', basename(stream))],
    stream,
    /<out>: .* is also the input <in>/,
  ],
  [
    'run --report = the scenario',
    ['run', scenario, '--report', scenario],
    scenario,
    /--report: .* is also the input <scenario>/,
  ],
  [
    'run --export-events = the scenario',
    ['run', scenario, '--export-events', `./${relative('.', scenario)}`],
    scenario,
    /--export-events: .* input <scenario>/,
  ],
  [
    'policies import-killbill -o = the XML',
    ['policies', 'import-killbill', xml, '-o', xml],
    xml,
    /-o: .* is also the input <overdue.xml>/,
  ],
  [
    'gate --markdown = the thresholds',
    ['gate', scenario, '--policies', 'target', '--thresholds', thresholds, '--seeds', '1', '--markdown', thresholds],
    thresholds,
    /--markdown: .* is also the input --thresholds/,
  ],
];

describe('an output that is an input is refused before any work', () => {
  it.each(CASES)('%s', async (_name, args, input, message) => {
    const before = readFileSync(input);
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(readFileSync(input).equals(before)).toBe(true);
  });

  it('run --db X --report X is refused and creates no store', async () => {
    const { code, stderr } = await cli('run', scenario, '--db', store, '--report', store);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--report: .* is also the output --db/);
    expect(readdirSync(dir)).not.toContain('runs.duckdb');
  });
});
