import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-cli-'));
function scenarioFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const small = scenarioFile('small.yaml', 'name: small\naccounts: 300\ndays: 20\n');

describe('billsim run', () => {
  it('prints the seed and every parameter first, then the KPI table', async () => {
    const r = await cli('run', small, '--policies', 'legacy', '--seed', '7');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/seed=7/);
    expect(r.stdout).toMatch(/scenario\.webhooks\.duplicateRate = 0\.03/);
    expect(r.stdout).toMatch(/rollbacks per day/);
    expect(r.stdout.indexOf('parameters:')).toBeLessThan(r.stdout.indexOf('rollbacks per day'));
  });

  it('--json prints exactly one JSON object on stdout, with the contract fields', async () => {
    const r = await cli('run', small, '--policies', 'target', '--seed', '7', '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    for (const key of ['seed', 'policies', 'days', 'accounts', 'events', 'kpis', 'drift', 'recovery'])
      expect(out).toHaveProperty(key);
    for (const key of [
      'rollbacksPerDay',
      'badDebtFromUpgradesPerDay',
      'disagreeingAccounts',
      'invoiceCoverage',
      'dunningCodePaths',
    ]) {
      expect(typeof out.kpis[key]).toBe('number');
    }
    for (const key of ['recoveryRate', 'revenueRecoveredCents', 'doubleCharges', 'networkRuleViolations'])
      expect(typeof out.recovery[key]).toBe('number');
    expect(out.kpis.invoiceCoverage).toBeGreaterThanOrEqual(0);
    expect(out.kpis.invoiceCoverage).toBeLessThanOrEqual(1);
    expect(r.stderr).toMatch(/seed=7/);
  });

  it('accepts the built-in baseline by name', async () => {
    const r = await cli('run', 'no-such-file.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

/** Aliases of aliases, nine wide and five deep: 59,049 strings from a few lines. */
function laughs(): string {
  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
  for (let k = 1; k <= 5; k++)
    lines.push(
      `l${k}: &l${k} [${Array(9)
        .fill(`*l${k - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

describe('a broken scenario file: one line naming file, line and field; exit 2; nothing written', () => {
  const cases: [string, string, RegExp][] = [
    ['bad YAML', 'accounts: 10\ndays: [1,\n', /bad-yaml\.yaml:\d+: not valid YAML/],
    [
      'an unknown field',
      'accounts: 10\ndays: 5\nwebhooks:\n  dupRate: 0.1\n',
      /unknown-field\.yaml:4: webhooks\.dupRate: unknown field/,
    ],
    ['a wrong type', 'accounts: ten\ndays: 5\n', /wrong-type\.yaml:1: accounts: .*number/i],
    [
      'a value out of bounds',
      'accounts: 10\ndays: 5\nfaults:\n  rollbackFailureRate: 1.5\n',
      /out-of-bounds\.yaml:4: faults\.rollbackFailureRate: /,
    ],
    ['an empty file', '', /empty\.yaml: the scenario file is empty/],
    ['a missing required field', 'days: 5\n', /missing\.yaml:1: accounts: required field missing \(expected number\)/],
    ['an alias with no anchor', 'accounts: 10\ndays: *five\n', /no-anchor\.yaml:2: not valid YAML: Unresolved alias/],
    [
      'a billion laughs',
      `accounts: 10\ndays: 5\n${laughs()}`,
      /laughs\.yaml:\d+: not valid YAML: Excessive alias count/,
    ],
    [
      'a settle window shorter than the webhook tail',
      'accounts: 10\ndays: 5\nsettleDays: 2\n',
      /short-settle\.yaml:3: settleDays: must exceed/,
    ],
    [
      'decline codes with no weight',
      'accounts: 10\ndays: 5\ndeclines:\n  mix: {}\n',
      /no-declines\.yaml:4: declines\.mix: at least one decline code needs a weight above 0/,
    ],
    [
      'card brands with no weight',
      'accounts: 10\ndays: 5\ncustomers:\n  brandMix: {visa: 0, mastercard: 0, amex: 0}\n',
      /no-brands\.yaml:4: customers\.brandMix: at least one card brand needs a weight above 0/,
    ],
  ];
  const names = [
    'bad-yaml',
    'unknown-field',
    'wrong-type',
    'out-of-bounds',
    'empty',
    'missing',
    'no-anchor',
    'laughs',
    'short-settle',
    'no-declines',
    'no-brands',
  ];
  it.each(cases.map((c, k) => [...c, names[k]!] as const))('%s', async (_what, text, message, name) => {
    const path = scenarioFile(`${name}.yaml`, text);
    const report = join(dir, `${name}.html`);
    const r = await cli('run', path, '--report', report);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(existsSync(report)).toBe(false);
  });

  it('a bad seed or an unknown policy set is bad input too', async () => {
    expect((await cli('run', small, '--seed', 'x')).code).toBe(2);
    const r = await cli('run', small, '--policies', 'nonsense');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown policy set "nonsense"/);
  });
});

describe('bad flags, and a run that fails', () => {
  it("a run past its scenario's limits is bad input: one line naming the field, exit 2", async () => {
    const r = await cli('run', scenarioFile('tight-limits.yaml', 'accounts: 30\ndays: 5\nlimits:\n  eventsMax: 10\n'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'billsim: scenario limits.eventsMax: the run passed 10 events; raise limits.eventsMax in the scenario, or shrink the run',
    ]);
    const fewInvoices = await cli(
      'run',
      scenarioFile('few-invoices.yaml', 'accounts: 5\ndays: 300\nlimits:\n  invoicesPerAccountMax: 8\n'),
    );
    expect(fewInvoices.code).toBe(2);
    expect(fewInvoices.stderr).toMatch(
      /^billsim: scenario limits\.invoicesPerAccountMax: account \d+ has more than 8 invoices; /,
    );
  });

  it('a bad seed flag is named as given (--seed-base, --random-seed), even when unused', async () => {
    const base = await cli('compare', small, '--policies', 'legacy,target', '--seeds', '2', '--seed-base', '-3');
    expect(base.code).toBe(2);
    expect(base.stderr.trim()).toBe('billsim: --seed-base: "-3" is not an integer from 0 to 2147483647');
    const random = await cli(
      'sweep',
      small,
      '--policies',
      'target',
      '--vary',
      'retry.attemptsPerPaymentMethodMax=4',
      '--random-seed',
      'x',
      '--db',
      join(dir, 'sweep.duckdb'),
    );
    expect(random.code).toBe(2);
    expect(random.stderr.trim()).toBe('billsim: --random-seed: "x" is not an integer from 0 to 2147483647');
  });

  it('sweep --vary naming a parameter twice is bad input, not the last one silently', async () => {
    const r = await cli(
      'sweep',
      small,
      '--policies',
      'target',
      '--vary',
      'retry.attemptsPerPaymentMethodMax=4',
      '--vary',
      'retry.attemptsPerPaymentMethodMax=5',
      '--db',
      join(dir, 'sweep-twice.duckdb'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'billsim: --vary retry.attemptsPerPaymentMethodMax: given twice (list every value in one --vary)',
    );
    expect(existsSync(join(dir, 'sweep-twice.duckdb'))).toBe(false);
  });

  it('--check-determinism with --workers 2 is refused, not run in one thread silently', async () => {
    const r = await cli('run', small, '--workers', '2', '--check-determinism');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('billsim: --check-determinism: records one event stream, so it needs --workers 1');
  });

  it('roadmap --sets naming no set is bad input, not an empty table', async () => {
    const r = await cli('roadmap', small, '--sets', ' , ');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('billsim: --sets: " , " names 0 policy set(s); give at least 1, comma-separated');
  });

  it('roadmap --sets with an unknown set names --sets, the flag the user wrote', async () => {
    const r = await cli('roadmap', small, '--sets', 'legacy,nosuch');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^billsim: --sets: unknown policy set "nosuch" \(built-in: /);
  });
});
