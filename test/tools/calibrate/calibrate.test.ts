/**
 * Calibration on a tiny problem: 150 accounts, 12 days, two fitted
 * parameters, two seeds, a dozen evaluations. Reproducible, and its output
 * is a scenario file the loader accepts.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { legacyPolicies } from '../../../policies/sets.js';
import { calibrate } from '../../../sim/tools/calibrate/calibrate.js';
import { parseObservedText } from '../../../sim/tools/calibrate/observed.js';
import { DEFAULT_FITTED } from '../../../sim/tools/calibrate/parameters.js';
import { loadScenarioFile } from '../../../sim/tools/scenario/load.js';
import { cli } from '../../support/cli.js';
import { scenarioOf } from '../../support/scenarios.js';

const tiny = scenarioOf({ name: 'tiny', accounts: 150, days: 12, settleDays: 4 });
const observed = parseObservedText(
  'kpis:\n  rollbacksPerDay: 3\n  badDebtFromUpgradesPerDay: 0.8\n  invoiceCoverage: 0.22\n',
  'obs.yaml',
);
const params = DEFAULT_FITTED.filter((p) =>
  ['customers.upgradesPerAccountMonth', 'faults.rollbackFailureRate'].includes(p.path.join('.')),
);
const options = { seeds: 2, firstSeed: 5, fitAccounts: 150, evaluationsMax: 12, parameters: params };

describe('calibrate', () => {
  it('same seed, same fit; another seed, another fit', () => {
    const a = calibrate(tiny, legacyPolicies(), observed, options);
    expect(calibrate(tiny, legacyPolicies(), observed, options)).toEqual(a);
    const b = calibrate(tiny, legacyPolicies(), observed, { ...options, firstSeed: 6 });
    expect(b.parameters).not.toEqual(a.parameters);
  });

  it('lowers the loss from the start point, and scales extensive targets by the profiled population', () => {
    const start = calibrate(tiny, legacyPolicies(), observed, { ...options, evaluationsMax: 1 });
    const fit = calibrate(tiny, legacyPolicies(), observed, options);
    expect(fit.loss).toBeLessThan(start.loss);
    expect(fit.accounts).toBe(Math.round(150 * fit.scale));
    expect(fit.scenario.accounts).toBe(fit.accounts);
    const upgrades = fit.parameters.find((p) => p.name === 'customers.upgradesPerAccountMonth')!;
    expect(fit.scenario.customers.upgradesPerAccountMonth).toBe(upgrades.fitted);
  });
});

describe('billsim calibrate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'billsim-calibrate-'));
  const base = join(dir, 'base.yaml');
  writeFileSync(base, 'name: tiny\naccounts: 150\ndays: 12\nsettleDays: 4\n');
  const obs = join(dir, 'obs.yaml');
  writeFileSync(obs, 'kpis:\n  rollbacksPerDay: 3\n  invoiceCoverage: 0.22\n');

  it('prints fitted values and residuals and writes a loadable calibrated scenario', async () => {
    const out = join(dir, 'calibrated.yaml');
    const r = await cli(
      'calibrate',
      base,
      '--observed',
      obs,
      '--policies',
      'legacy',
      '--seeds',
      '1',
      '--seed',
      '3',
      '--evaluations',
      '4',
      '-o',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fitted parameters:/);
    expect(r.stdout).toMatch(/kpis\.rollbacksPerDay/);
    const loaded = loadScenarioFile(out);
    expect(loaded.name).toBe('tiny-calibrated');
    expect(readFileSync(out, 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\S+\/scenarios\/schemas\/scenario\.schema\.json\n# Calibrated by: billsim calibrate/,
    );
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('says up front which observed figures no run can match together, and lists them with the fit', async () => {
    const conflicting = join(dir, 'conflicting.yaml');
    writeFileSync(conflicting, 'kpis:\n  disagreeingAccounts: 10\ndrift:\n  badDebtFlagWithoutWriteOff: 30\n');
    const r = await cli('calibrate', base, '--observed', conflicting, '--seeds', '1', '--evaluations', '2', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^calibrate: .*conflicting\.yaml: drift\.badDebtFlagWithoutWriteOff 30 exceeds kpis\.disagreeingAccounts 10, /,
    );
    expect(
      (JSON.parse(r.stdout) as { observedBounds: { closestMissRatio: number }[] }).observedBounds[0]!.closestMissRatio,
    ).toBeCloseTo(0.5, 12);
  });

  it('reports the drift monitors as secondary targets (weighted below the KPIs), with their residuals', async () => {
    const monitors = join(dir, 'monitors.yaml');
    writeFileSync(
      monitors,
      'kpis:\n  disagreeingAccounts: 10\ndrift:\n  badDebtFlagWithoutWriteOff: 3\nweights:\n  drift: 0.1\n',
    );
    const r = await cli('calibrate', base, '--observed', monitors, '--seeds', '1', '--evaluations', '2');
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('secondary targets'));
    expect(line).toMatch(
      /^secondary targets \(weighted below 1\.00\), reported, not matched: drift\.badDebtFlagWithoutWriteOff -?[\d.,]+ % \(weight 0\.10\)$/,
    );
    expect(r.stdout).not.toMatch(/kpis\.disagreeingAccounts [-\d.,]+ % \(weight/);
  });

  it('a bad observed file is one line naming file, line and field, exit 2, nothing written', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'kpis:\n  rollbacksPerDay: -1\n');
    const out = join(dir, 'never.yaml');
    const r = await cli('calibrate', base, '--observed', bad, '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: kpis\\.rollbacksPerDay: `));
    expect(readdirSync(dir)).not.toContain('never.yaml');
  });
});
