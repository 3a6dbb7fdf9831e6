import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { builtCli } from '../../support/cli.js';
import { parseTolerance } from '../../../sim/tools/gate/command.js';
import { holds, parseThresholds } from '../../../sim/tools/gate/thresholds.js';

const WORLD = 'test/fixtures/small-world.yaml';
const THRESHOLDS = 'scenarios/gate-thresholds.yaml';
const dir = mkdtempSync(join(tmpdir(), 'billsim-gate-'));

const billsim = builtCli;

describe('billsim gate against thresholds', () => {
  it('passes target (exit 0) and writes Markdown and JUnit', async () => {
    const md = join(dir, 'target.md');
    const junit = join(dir, 'target.xml');
    const r = await billsim([
      'gate',
      WORLD,
      '--policies',
      'target',
      '--thresholds',
      THRESHOLDS,
      '--seeds',
      '3',
      '--markdown',
      md,
      '--junit',
      junit,
    ]);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PASS: all 5 metrics hold');
    expect(readFileSync(md, 'utf8')).toMatch(/^### billsim gate: PASS/);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junit, 'utf8'));
    const suite = xml.testsuites.testsuite;
    expect(suite['@_tests']).toBe('5');
    expect(suite['@_failures']).toBe('0');
    expect(suite.testcase.map((c: Record<string, string>) => c['@_name'])).toEqual([
      'disagreeingAccounts',
      'rollbacksPerDay',
      'invoiceCoverage',
      'recoveryRate',
      'lifecycleViolations',
    ]);
  });

  it('--json: stdout is one object with the verdict, per-seed values and exit code, for a pass and a failure', async () => {
    for (const [policies, exit] of [
      ['target', 0],
      ['legacy', 1],
    ] as const) {
      const r = await billsim([
        'gate',
        WORLD,
        '--policies',
        policies,
        '--thresholds',
        THRESHOLDS,
        '--seeds',
        '2',
        '--json',
      ]);
      expect(r.code).toBe(exit);
      const report = JSON.parse(r.out) as {
        kind: string;
        pass: boolean;
        exitCode: number;
        seeds: number[];
        cases: { metric: string; values: number[]; pass: boolean }[];
      };
      expect(report.kind).toBe('billsim-gate');
      expect(report.pass).toBe(exit === 0);
      expect(report.exitCode).toBe(exit);
      expect(report.seeds).toEqual([1, 2]);
      const lifecycle = report.cases.find((c) => c.metric === 'lifecycleViolations')!;
      expect(lifecycle.values).toHaveLength(2);
      expect(lifecycle.values.every((v) => Number.isInteger(v))).toBe(true);
    }
  });

  it('gates the lifecycle-violation count like any KPI: a bound below what a run shows fails', async () => {
    const strict = join(dir, 'lifecycle.yaml');
    writeFileSync(strict, 'thresholds:\n  lifecycleViolations: ["max < 0"]\n');
    const r = await billsim(['gate', WORLD, '--policies', 'target', '--thresholds', strict, '--seeds', '1', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).cases[0].checks[0].text).toBe('max < 0');
  });

  it('fails legacy (exit 1), one JUnit failure per broken KPI', async () => {
    const junit = join(dir, 'legacy.xml');
    const md = join(dir, 'legacy.md');
    const r = await billsim([
      'gate',
      WORLD,
      '--policies',
      'legacy',
      '--thresholds',
      THRESHOLDS,
      '--seeds',
      '3',
      '--junit',
      junit,
      '--markdown',
      md,
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/disagreeingAccounts\s+\S+\s+\[[^\]]+\]\s+== 0 ✗\s+FAIL/);
    const cases = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junit, 'utf8')).testsuites.testsuite
      .testcase as Record<string, unknown>[];
    const failed = cases.filter((c) => c.failure !== undefined).map((c) => c['@_name']);
    expect(failed).toEqual(expect.arrayContaining(['disagreeingAccounts', 'rollbacksPerDay', 'invoiceCoverage']));
    expect(failed).not.toContain('recoveryRate');
    expect(readFileSync(md, 'utf8')).toContain('| ❌ | `disagreeingAccounts` |');
  });

  it('rejects a bad thresholds file in one line naming file:line:field (exit 2), before running anything', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'thresholds:\n  recoveryRate: [">= 0.5"]\n  disagreeingAccounts:\n    - "== 0"\n    - "=> 1"\n');
    const r = await billsim(['gate', WORLD, '--policies', 'target', '--thresholds', bad]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([
      `billsim: ${bad}:5: thresholds.disagreeingAccounts[1]: "=> 1" is not a condition: [mean|min|max|ciLow|ciHigh] (==|!=|<=|>=|<|>) number`,
    ]);
    const neither = await billsim(['gate', WORLD, '--policies', 'target']);
    expect(neither.code).toBe(2);
  });

  it('refuses --tolerance and --baseline-policy with --thresholds (they apply to a baseline only) rather than ignore them', async () => {
    for (const extra of [
      ['--tolerance', 'recoveryRate=1'],
      ['--baseline-policy', 'legacy'],
    ]) {
      const r = await billsim(['gate', WORLD, '--policies', 'target', '--thresholds', THRESHOLDS, ...extra]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toEqual([
        `billsim: ${extra[0]}: applies only with --baseline, not --thresholds`,
      ]);
    }
  });
});

describe('billsim gate against a baseline', () => {
  it('passes the same policy on the same seeds, fails a regression decided by the interval', async () => {
    const compare = await billsim(['compare', WORLD, '--policies', 'legacy,target', '--seeds', '3', '--json']);
    expect(compare.code).toBe(0);
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, compare.out);
    const same = await billsim(['gate', WORLD, '--policies', 'target', '--baseline', baseline, '--seeds', '3']);
    expect(same.code).toBe(0);
    expect(same.out).toContain('diff paired [0, 0]');
    const worse = await billsim([
      'gate',
      WORLD,
      '--policies',
      'legacy',
      '--baseline',
      baseline,
      '--baseline-policy',
      'target',
      '--seeds',
      '3',
    ]);
    expect(worse.code).toBe(1);
    expect(worse.out).toMatch(/disagreeingAccounts .* FAIL/);
    const otherSeeds = await billsim([
      'gate',
      WORLD,
      '--policies',
      'legacy',
      '--baseline',
      baseline,
      '--baseline-policy',
      'legacy',
      '--seeds',
      '3',
      '--seed-base',
      '20',
    ]);
    expect(otherSeeds.out).toContain('diff unpaired');
  });

  it('refuses a baseline measured on another population or span, before running anything', async () => {
    const small = join(dir, 'smaller.yaml');
    writeFileSync(small, 'name: smaller\naccounts: 50\ndays: 10\n');
    const run = await billsim(['run', small, '--json']);
    const baseline = join(dir, 'smaller-baseline.json');
    writeFileSync(baseline, run.out);
    const r = await billsim(['gate', WORLD, '--policies', 'target', '--baseline', baseline, '--seeds', '2']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([
      `billsim: ${baseline}:1: accounts, days: the baseline ran smaller (50 accounts, 10 days), ` +
        'this gate runs small-world (2000 accounts, 45 days): its figures would not compare',
    ]);
  });
});

describe('threshold parsing', () => {
  it('reads operators, aggregates and numbers, and names the line of a bad field', () => {
    const conditions = parseThresholds(
      'thresholds:\n  recoveryRate: [">= 0.5", "ciLow > .4"]\n  doubleCharges: "max == 0"\n',
      'g.yaml',
    );
    expect(conditions).toEqual([
      { metric: 'recoveryRate', aggregate: 'mean', operator: '>=', value: 0.5, text: '>= 0.5' },
      { metric: 'recoveryRate', aggregate: 'ciLow', operator: '>', value: 0.4, text: 'ciLow > .4' },
      { metric: 'doubleCharges', aggregate: 'max', operator: '==', value: 0, text: 'max == 0' },
    ]);
    expect(() => parseThresholds('thresholds:\n  recoveryRat: [">= 1"]\n', 'g.yaml')).toThrow(
      /^g\.yaml:2: thresholds\.recoveryRat: unknown metric/,
    );
    expect(() => parseThresholds('limits:\n  a: 1\n', 'g.yaml')).toThrow(/^g\.yaml:1: limits: unknown field/);
    expect(() => parseThresholds('thresholds:\n  recoveryRate: []\n', 'g.yaml')).toThrow(
      /^g\.yaml:2: thresholds\.recoveryRate: must be a non-empty list/,
    );
    for (const [op, a, b, expected] of [
      ['==', 1, 1, true],
      ['!=', 1, 1, false],
      ['<', 1, 2, true],
      ['<=', 2, 2, true],
      ['>', 1, 2, false],
      ['>=', 2, 1, true],
    ] as const) {
      expect(holds(op, a, b)).toBe(expected);
    }
    expect(parseTolerance('recoveryRate=2%')).toEqual({ recoveryRate: { amount: 0.02, relative: true } });
    expect(() => parseTolerance('nope=1')).toThrow(/unknown metric/);
    expect(() => parseTolerance('recoveryRate=1', parseTolerance('recoveryRate=5'))).toThrow(
      '--tolerance: recoveryRate given twice',
    );
  });
});
