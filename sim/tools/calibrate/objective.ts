/**
 * The calibration objective. At a parameter point, run the scenario at the
 * fit population with the same seeds at every point (common random numbers:
 * the objective is a deterministic function of the point), average each
 * target over the seeds, and compare with the observation on a log scale.
 *
 * Population is profiled out: each extensive target (per-day counts and
 * end-of-run account counts) is a sum over accounts, and accounts draw from
 * streams keyed by account id, so at fixed rates it is linear in `accounts`
 * (the first N accounts of a larger run ARE the smaller run). The scale s
 * multiplying the fit population is the weighted geometric mean of
 * observed / simulated over the extensive targets, the least-squares optimum
 * of the log residuals.
 */
import type { PolicySet } from '../../../policies/sets.js';
import { runSimulation } from '../../world/engine/run.js';
import type { RunResult } from '../../world/result.js';
import type { Scenario } from '../../world/scenario/schema.js';
import type { KpiName, Observed } from './observed.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

export interface Target {
  /** 'kpis.rollbacksPerDay' or 'drift.badDebtFlagWithoutWriteOff'. */
  readonly name: string;
  readonly observed: number;
  readonly weight: number;
  /** Linear in population at fixed rates (counts), or not (shares, structural counts). */
  readonly extensive: boolean;
  /** Added to both sides of the log ratio, so a zero does not explode. */
  readonly floor: number;
  /** A lower bound ("5+" code paths): at or above the observation is no miss. */
  readonly atLeast: boolean;
  /** Relative tolerance and the weight of the squared excess beyond it (0: no band). */
  readonly band: { readonly tolerance: number; readonly weight: number };
  read(result: RunResult): number;
}

const INTENSIVE_KPIS: readonly KpiName[] = ['invoiceCoverage', 'dunningCodePaths'];
/** "Five or more" dunning code paths: the seeds' figure is a floor. */
const AT_LEAST_KPIS: readonly KpiName[] = ['dunningCodePaths'];
const NO_BAND = { tolerance: 0, weight: 0 };

export function targetsOf(observed: Observed): Target[] {
  const kpis = Object.entries(observed.kpis)
    .filter(([, v]) => v !== undefined)
    .map(([name, value]): Target => {
      const kpi = name as KpiName;
      return {
        name: `kpis.${kpi}`,
        observed: value,
        weight: observed.weights.kpi,
        extensive: !INTENSIVE_KPIS.includes(kpi),
        floor: kpi === 'invoiceCoverage' ? 0.01 : 1,
        atLeast: AT_LEAST_KPIS.includes(kpi),
        band: observed.band ?? NO_BAND,
        read: (r) => r.kpis[kpi],
      };
    });
  const drift = Object.entries(observed.drift)
    .filter(([, v]) => v !== undefined)
    .map(([name, value]): Target => ({
      name: `drift.${name}`,
      observed: value!,
      weight: observed.weights.drift,
      extensive: true,
      floor: 1,
      atLeast: false,
      band: NO_BAND,
      read: (r) => r.drift[name] ?? 0,
    }));
  return [...kpis, ...drift];
}

export interface PointEvaluation {
  /** Per target: the mean over seeds at the fit population. */
  readonly meansAtFit: readonly number[];
  /** Per target, per seed. */
  readonly perSeed: readonly (readonly number[])[];
  /** Population multiplier applied to extensive targets. */
  readonly scale: number;
  readonly loss: number;
}

export function scaled(target: Target, valueAtFit: number, scale: number): number {
  return target.extensive ? valueAtFit * scale : valueAtFit;
}

export function evaluatePoint(
  scenario: Scenario,
  policies: PolicySet,
  seeds: readonly number[],
  targets: readonly Target[],
): PointEvaluation {
  const perSeed = seeds.map((seed) => {
    const result = runSimulation(scenario, policies, seed, { lifecycle: lifecycleSpec() });
    return targets.map((t) => t.read(result));
  });
  const meansAtFit = targets.map((_, k) => perSeed.reduce((s, row) => s + row[k]!, 0) / perSeed.length);
  const scale = profileScale(targets, meansAtFit);
  return { meansAtFit, perSeed, scale, loss: lossOf(targets, meansAtFit, scale) };
}

/** exp of the weighted mean of log(observed / simulated) over extensive targets both sides positive; 1 if none. */
export function profileScale(targets: readonly Target[], meansAtFit: readonly number[]): number {
  let sum = 0,
    weights = 0;
  targets.forEach((t, k) => {
    const x = meansAtFit[k]!;
    if (!t.extensive || x <= 0 || t.observed <= 0 || t.weight === 0) return;
    sum += t.weight * Math.log(t.observed / x);
    weights += t.weight;
  });
  return weights === 0 ? 1 : Math.exp(sum / weights);
}

export function logResidual(target: Target, value: number): number {
  return Math.log((value + target.floor) / (target.observed + target.floor));
}

/** One target's share of the loss at a value (already scaled to the calibrated population). */
export function targetLoss(target: Target, value: number): number {
  if (target.atLeast && value >= target.observed) return 0;
  const { tolerance, weight } = target.band;
  const excess = target.observed > 0 ? Math.max(0, Math.abs(value / target.observed - 1) - tolerance) : 0;
  return target.weight * logResidual(target, value) ** 2 + weight * excess ** 2;
}

export function lossOf(targets: readonly Target[], meansAtFit: readonly number[], scale: number): number {
  return targets.reduce((s, t, k) => s + targetLoss(t, scaled(t, meansAtFit[k]!, scale)), 0);
}
