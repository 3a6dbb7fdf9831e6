/**
 * `billsim calibrate --recorded`: a stream simulated from known recovery
 * parameters is fitted back to them within the stated uncertainty (95 %
 * bootstrap intervals), and the same seed gives the same fit. The stream is
 * the simulator's own Stripe export (`run --export-events`) of a set that
 * retries the failing card daily, so every reason's retries are observed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyDocumentSchema, policySetOf } from '../../../policies/document.js';
import { BUILT_IN_DOCUMENTS } from '../../../policies/sets.js';
import { fitRecorded, type RecordedFit } from '../../../sim/tools/calibrate/recorded-command.js';
import { readRecordedFailures } from '../../../sim/tools/calibrate/recorded.js';
import { runAndExport } from '../../../sim/tools/replay/export.js';
import { parseScenarioText } from '../../../sim/tools/scenario/load.js';
import { cli } from '../../support/cli.js';
import { smallBaseline } from '../../support/small.js';

/** The truth: insufficient funds with other arrival parameters than the defaults (the held ones at their defaults). */
const TRUTH = { arrivalShare: 0.6, arrivalMeanDays: 3, successAfterArrival: 0.7 };
const daily = policySetOf(
  policyDocumentSchema.parse({
    ...BUILT_IN_DOCUMENTS.target!,
    name: 'daily-retries',
    retry: { schedule: 'per-reason', table: { default: Array<number>(12).fill(24) }, recoveryWindowDays: 20 },
  }),
);

let dir: string;
let stream: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'billsim-fit-'));
  stream = join(dir, 'stream.jsonl');
  const truth = smallBaseline(
    8000,
    60,
    `recovery:\n  reasons:\n    insufficient_funds: { arrivalShare: ${TRUTH.arrivalShare}, paydayShare: 0.7, arrivalMeanDays: ${TRUTH.arrivalMeanDays}, successAfterArrival: ${TRUTH.successAfterArrival}, successBeforeArrival: 0.03 }\n`,
  );
  runAndExport(truth, daily, 1, { path: stream, command: 'test' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calibrate --recorded', () => {
  let fit: RecordedFit;
  it('recovers the parameters the stream was simulated from, within the 95 % bootstrap intervals', async () => {
    const base = smallBaseline(8000, 60);
    fit = fitRecorded(base, await readRecordedFailures(stream), stream, 30, 1);
    const funds = fit.fits.find((f) => f.reason === 'insufficient_funds')!;
    // Measured (seed 1): 348 payments with retries; arrivalShare 0.603 [0.501, 0.910], arrivalMeanDays
    // 4.99 [2.37, 120], successAfterArrival 0.743 [0.482, 1.000]. Wide: ~350 payments say little about
    // when money arrives beyond "within days"; the intervals say so.
    expect(funds.payments).toBeGreaterThan(250);
    for (const name of ['arrivalShare', 'arrivalMeanDays', 'successAfterArrival'] as const) {
      const [lo, hi] = funds.intervals![name];
      expect(lo, name).toBeLessThanOrEqual(TRUTH[name]);
      expect(hi, name).toBeGreaterThanOrEqual(TRUTH[name]);
      expect(lo).toBeLessThanOrEqual(funds.fitted![name]);
      expect(hi).toBeGreaterThanOrEqual(funds.fitted![name]);
    }
    expect(fit.scenario.recovery.reasons.insufficient_funds).toEqual(funds.fitted);
    expect(fit.recoveryCurves.curves.map((c) => c.reason)).toContain('insufficient_funds');
  });

  it('gives the same fit for the same seed', async () => {
    const again = fitRecorded(smallBaseline(8000, 60), await readRecordedFailures(stream), stream, 30, 1);
    expect(JSON.stringify(again)).toBe(JSON.stringify(fit));
  });

  it('from the CLI: prints the fitted curves, writes a scenario that loads, and refuses bad input with exit 2', async () => {
    const out = join(dir, 'fitted.yaml');
    const run = await cli('calibrate', '--recorded', stream, '--bootstrap', '5', '-o', out);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/insufficient_funds\s+\d+ payments\s+arrivalShare [\d.]+ \[/);
    expect(run.stdout).toContain('recovery by day since first failure');
    const written = parseScenarioText(readFileSync(out, 'utf8'), out);
    expect(written.recovery.reasons.insufficient_funds!.arrivalShare).toBeGreaterThan(0);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id": "evt_1", "object": "event"\n');
    const refused = await cli('calibrate', '--recorded', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bad\.jsonl:1: /);
    expect((await cli('calibrate')).code).toBe(2);
  });
});
