import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeStore, openStore, query } from '../../../reports/store.js';
import { loadScenarioFile } from '../../../sim/tools/scenario/load.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';
import { loadPolicySet } from '../../../sim/tools/policies/load.js';
import { sweepDocumentFor, withParam } from '../../../sim/tools/sweep/document.js';
import { gridPoints, parseVary, randomPoints } from '../../../sim/tools/sweep/grid.js';
import { paretoFront } from '../../../sim/tools/sweep/pareto.js';
import { runSweep, type SweepSpec } from '../../../sim/tools/sweep/sweep.js';

const WORLD = 'test/fixtures/small-world.yaml';
const dir = mkdtempSync(join(tmpdir(), 'billsim-sweep-'));
const quiet = (): void => {};

const spec: SweepSpec = {
  scenario: { ...loadScenarioFile(WORLD), accounts: 600, days: 30 },
  base: sweepDocumentFor('target'),
  varies: [parseVary('retry.waitHoursByReason.insufficient_funds=24,72'), parseVary('ladder.suspendAfterDays=14,21')],
  seeds: [1, 2],
  lifecycle: lifecycleSpec(),
};

describe('billsim sweep', () => {
  it('gives byte-identical results with 1 and 2 workers, and stores every point with its runs', async () => {
    const one = await runSweep(spec, { workers: 1, dbPath: join(dir, 'one.duckdb'), resume: false, log: quiet });
    const two = await runSweep(spec, { workers: 2, dbPath: join(dir, 'two.duckdb'), resume: false, log: quiet });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.points.map((p) => p.params)).toEqual(gridPoints(spec.varies));
    expect(one.points[0]!.values.recoveryRate).toHaveLength(2);
    expect(new Set(one.points.map((p) => p.means.revenueRecoveredCents)).size).toBeGreaterThan(1);
    expect(one.paretoFront.length).toBeGreaterThan(0);
    const store = await openStore(join(dir, 'two.duckdb'));
    try {
      const points = await query(store, 'SELECT point_index, run_ids FROM sweep_points ORDER BY point_index');
      expect(points.map((p) => p.point_index)).toEqual([0, 1, 2, 3]);
      const runs = await query(store, 'SELECT policies, seed FROM runs ORDER BY created_seq');
      expect(runs).toHaveLength(8);
      expect(runs[0]).toEqual({
        policies: 'target[retry.waitHoursByReason.insufficient_funds=24,ladder.suspendAfterDays=14]',
        seed: 1n,
      });
    } finally {
      closeStore(store);
    }
    await expect(
      runSweep(spec, { workers: 1, dbPath: join(dir, 'one.duckdb'), resume: false, log: quiet }),
    ).rejects.toThrow(/already has 4 of 4 points.*--resume/);
  });

  it('resumes after being killed without redoing finished points, to the same result', async () => {
    const args = [
      'bin/billsim.js',
      'sweep',
      WORLD,
      '--policies',
      'target',
      '--vary',
      'retry.attemptsPerPaymentMethodMax=2,3,4,5,6,8',
      '--seeds',
      '1',
      '--workers',
      '1',
      '--json',
    ];
    const full = await cli([...args, '--db', join(dir, 'full.duckdb')]);
    const killedDb = join(dir, 'killed.duckdb');
    const killed = await cli([...args, '--db', killedDb], /point 0 stored/);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await cli([...args, '--db', killedDb, '--resume']);
    const doneBefore = Number(/(\d+) points already done/.exec(resumed.err)?.[1]);
    expect(doneBefore).toBeGreaterThanOrEqual(1);
    expect(doneBefore).toBeLessThan(6);
    expect(resumed.err).not.toContain('point 0 stored');
    expect(resumed.out).toBe(full.out);
  });
});

/** Runs the built CLI; with `killOn`, SIGKILLs it when stderr first matches. */
function cli(args: string[], killOn?: RegExp): Promise<{ out: string; err: string; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', args);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (killOn?.test(err)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`billsim exited ${code}: ${err}`));
      else resolve({ out, err, signal });
    });
  });
}

describe('sweep points and parameters', () => {
  it('parses --vary, builds grids and seeded random samples', () => {
    expect(parseVary('retry.delaysDays=[[1,3],[2,4,6]]')).toEqual({
      path: 'retry.delaysDays',
      values: [
        [1, 3],
        [2, 4, 6],
      ],
    });
    const varies = [parseVary('a=1,2,3'), parseVary('b=x,y')];
    expect(gridPoints(varies)).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: 'x' },
      { a: 3, b: 'y' },
    ]);
    const sample = randomPoints(varies, 3, 42);
    expect(sample).toHaveLength(3);
    expect(randomPoints(varies, 3, 42)).toEqual(sample);
    expect(new Set(sample.map((p) => JSON.stringify(p))).size).toBe(3);
    expect(randomPoints(varies, 9, 1)).toEqual(gridPoints(varies));
    expect(() => parseVary('retry.x')).toThrow(/--vary: "retry.x" is not param.path=value/);
  });

  it('sets factory parameters by path and refuses unknown paths and wrong types', async () => {
    const doc = withParam(sweepDocumentFor('target'), 'retry.attemptsPerPaymentMethodMax', 3);
    expect((await loadPolicySet(doc)).retry.params).toMatchObject({ attemptsPerPaymentMethodMax: 3 });
    const legacy = withParam(sweepDocumentFor('legacy'), 'retry.delaysDays', [2, 4]);
    expect((await loadPolicySet(legacy)).retry.params).toEqual({ delaysDays: [2, 4] });
    expect(() => withParam(doc, 'retry.attemptsMax', 3)).toThrow(
      /no such parameter in target \(parameters: .*retry\.attemptsPerPaymentMethodMax/,
    );
    expect(() => withParam(doc, 'ladder.suspendAfterDays', 'soon')).toThrow(/is not a number/);
  });

  it('sweeps the fields a policy file sets, rebuilt from its document', async () => {
    const file = sweepDocumentFor('examples/policies/smart-retries.yaml');
    const set = await loadPolicySet(withParam(file, 'retry.retriesMax', 4));
    expect(set.retry.name).toBe('smart-retries');
    expect(set.retry.params).toMatchObject({ retriesMax: 4 });
    expect(() => withParam(file, 'retry.nope', 1)).toThrow(/no such parameter/);
  });

  it('a policy module that fails mid-run in a worker thread is bad input (InputError naming file, line and field), not a crash', async () => {
    const module = join(dir, 'gives-up.mjs');
    writeFileSync(
      module,
      'let calls = 0;\nexport function createRetrySchedule() {\n  return { name: "gives-up", params: {}, ' +
        'next: (i) => { if (++calls > 1) throw new Error("gave up"); return { kind: "retry_at", atMs: i.nowMs + 3600000 }; } };\n}\n',
    );
    const policy = join(dir, 'gives-up.yaml');
    writeFileSync(policy, 'name: gives-up\nretry:\n  module: ./gives-up.mjs\n');
    const failing: SweepSpec = { ...spec, base: sweepDocumentFor(policy), varies: [parseVary('name=a')], seeds: [1] };
    const error = await runSweep(failing, {
      workers: 1,
      dbPath: join(dir, 'gives-up.duckdb'),
      resume: false,
      log: quiet,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InputError', message: `${policy}:3: retry.module: ./gives-up.mjs: gave up` });
  });

  it('keeps exactly the non-dominated points on the Pareto front', () => {
    const p = (revenueRecoveredCents: number, customerHarmRestrictionDays: number, networkRuleViolations: number) => ({
      revenueRecoveredCents,
      customerHarmRestrictionDays,
      networkRuleViolations,
    });
    expect(paretoFront([p(100, 1, 0), p(90, 1, 0), p(120, 5, 0), p(120, 5, 1), p(100, 1, 0)])).toEqual([0, 2, 4]);
  });
});
