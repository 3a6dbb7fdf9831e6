import { describe, expect, it } from 'vitest';
import { legacyPolicies, targetPolicies } from '../../../policies/sets.js';
import { renderReport } from '../../../reports/html.js';
import { main } from '../../../sim/cli/main.js';
import { comparePolicies, type CompareResult } from '../../../sim/tools/compare/compare.js';
import { KPI_METRICS, METRICS } from '../../../reports/metrics.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import type { RunResult } from '../../../sim/world/result.js';
import { loadScenarioFile } from '../../../sim/tools/scenario/load.js';

const WORLD = 'test/fixtures/small-world.yaml';
const scenario = loadScenarioFile(WORLD);
const SEEDS = [1, 2, 3, 4, 5];

/** The first failure of every renewal created in the first 20 days: the world, before policies diverge. */
function firstFailures(run: RunResult): string[] {
  return run.invoices
    .filter((i) => i.createdAtMs < 20 * 86_400_000)
    .map((i) => `${i.invoiceId}@${i.createdAtMs}:${i.firstFailedAtMs}:${i.firstDeclineCode}`)
    .sort();
}

describe('billsim compare', () => {
  const { result, runs } = comparePolicies(scenario, [legacyPolicies(), targetPolicies()], SEEDS);

  it('finds every KPI of target different from legacy, with the interval excluding zero', () => {
    expect(result.policies).toEqual(['legacy', 'target']);
    expect(runs).toHaveLength(10);
    for (const m of KPI_METRICS) {
      const pair = result.metrics[m.name]!.pairs[0]!;
      expect(pair, m.name).toMatchObject({ a: 'legacy', b: 'target', excludesZero: true });
      expect(pair.ciLow, m.name).toBeLessThanOrEqual(pair.diff);
      expect(pair.ciHigh, m.name).toBeGreaterThanOrEqual(pair.diff);
    }
    expect(result.metrics.dunningCodePaths!.pairs[0]).toMatchObject({ diff: -4, ciLow: -4, ciHigh: -4 });
    expect(result.metrics.disagreeingAccounts!.pairs[0]!.ciHigh).toBeLessThan(0);
    expect(result.metrics.invoiceCoverage!.pairs[0]!.ciLow).toBeGreaterThan(0);
    expect(result.metrics.disagreeingAccounts!.means.target).toBe(0);
  });

  it('pairs the seeds: each policy set sees the same world per seed (common random numbers)', () => {
    const bySeed = (policies: string, seed: number): RunResult =>
      runs.find((r) => r.policies === policies && r.seed === seed)!;
    for (const seed of SEEDS) {
      const world = firstFailures(bySeed('legacy', seed));
      expect(world.length).toBeGreaterThan(30);
      expect(firstFailures(bySeed('target', seed))).toEqual(world);
      expect(firstFailures(bySeed('target', seed + 1 > 5 ? 1 : seed + 1))).not.toEqual(world);
    }
    const values = result.values.target!.recoveryRate!;
    expect(values).toEqual(SEEDS.map((s) => bySeed('target', s).recovery.recoveryRate));
  });

  it('finds no difference between a policy set and itself', () => {
    const self = comparePolicies(scenario, [targetPolicies(), targetPolicies()], [1, 2, 3]).result;
    expect(self.policies).toEqual(['target', 'target #2']);
    for (const m of METRICS) {
      const pair = self.metrics[m.name]!.pairs[0]!;
      expect(pair, m.name).toMatchObject({ diff: 0, ciLow: 0, ciHigh: 0, excludesZero: false });
    }
  });

  it('renders the comparison as a section of the HTML report', () => {
    const html = renderReport(
      runs.filter((r) => r.seed === 1),
      { comparison: result },
    );
    expect(html).toContain('<h2>Paired comparison across seeds</h2>');
    expect(html).toContain('<th>target − legacy</th><th>95 % CI</th><th>excludes 0</th>');
    expect(html).toMatch(
      /<td>dunning code paths<\/td><td>5<\/td><td>1<\/td><td class="good">-4<\/td><td>\[-4, -4\]<\/td><td>yes<\/td>/,
    );
    expect(renderReport(runs.filter((r) => r.seed === 1))).not.toContain('Paired comparison');
  });
});

describe('billsim compare (command line)', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(['node', 'billsim', ...args], {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += `${s}\n`;
      },
    });
    return { code, out, err };
  }

  it('prints diff, ciLow and ciHigh per pair and KPI with --json, matching the library', async () => {
    const { code, out } = await cli([
      'compare',
      WORLD,
      '--policies',
      'legacy,target',
      '--seeds',
      '2',
      '--seed-base',
      '11',
      '--json',
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as CompareResult;
    expect(json.seeds).toEqual([11, 12]);
    const direct = comparePolicies(scenario, [legacyPolicies(), targetPolicies()], [11, 12]).result;
    expect(json).toEqual(JSON.parse(JSON.stringify(direct)));
    for (const m of KPI_METRICS)
      expect(Object.keys(json.metrics[m.name]!.pairs[0]!)).toEqual(expect.arrayContaining(['diff', 'ciLow', 'ciHigh']));
    expect(runSimulation(scenario, targetPolicies(), 11).kpis.invoiceCoverage).toBe(
      json.values.target!.invoiceCoverage![0],
    );
  });

  it('prints a table, and rejects bad flags with exit 2', async () => {
    const table = await cli(['compare', WORLD, '--policies', 'legacy,target', '--seeds', '2']);
    expect(table.out).toMatch(/dunning code paths\s+5\s+1\s+-4\s+\[-4, -4\]\s+yes/);
    expect((await cli(['compare', WORLD, '--policies', 'target', '--seeds', '2'])).code).toBe(2);
    const bad = await cli(['compare', WORLD, '--policies', 'legacy,target', '--seeds', '1']);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toMatch(/--seeds: "1" is not a whole number from 2/);
  });
});
