/**
 * `calibrate`: fit the scenario parameters the seeds leave open so that a
 * policy set reproduces observed KPIs. Nelder–Mead over log/logit-transformed
 * parameters (parameters.ts), common random numbers (the same seeds at every
 * point), population profiled out by linear scaling (objective.ts). Then the
 * fitted point is re-run on fresh seeds to show how stable the fit is.
 */
import type { PolicySet } from '../../../policies/sets.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { observedBounds, type ObservedBound } from './bounds.js';
import { nelderMead, type NelderMeadResult } from './nelder-mead.js';
import { evaluatePoint, scaled, targetsOf, type Target } from './objective.js';
import type { Observed } from './observed.js';
import { fittedFor, fromSearch, nameOf, toSearch, valueIn, withValues, type FittedParameter } from './parameters.js';

export const ACCOUNTS_MAX = 2_000_000;

export interface CalibrateOptions {
  /** Seeds per point: firstSeed, firstSeed + 1, … */
  readonly seeds: number;
  readonly firstSeed: number;
  /** Population the fit simulates; the result's `accounts` is this times the profiled scale. */
  readonly fitAccounts: number;
  readonly evaluationsMax: number;
  readonly parameters?: readonly FittedParameter[];
  /** Hears each objective evaluation (progress). */
  readonly onEvaluation?: (evaluation: number, loss: number) => void;
}

export interface FittedValue {
  readonly name: string;
  readonly start: number;
  readonly fitted: number;
}

export interface TargetFit {
  readonly name: string;
  readonly observed: number;
  /** Mean over the fit seeds, at the calibrated population. */
  readonly fitted: number;
  readonly residualPct: number;
  /** The target's weight in the loss (the observed file's weights: a KPI's, or a drift monitor's). */
  readonly weight: number;
  /** Standard deviation over the fit seeds, relative to the mean (%). */
  readonly seedCvPct: number;
  /** Mean over fresh seeds (not used by the fit), at the calibrated population. */
  readonly holdOut: number;
}

export interface CalibrationResult {
  readonly policies: string;
  readonly seeds: readonly number[];
  readonly holdOutSeeds: readonly number[];
  readonly fitAccounts: number;
  readonly accounts: number;
  readonly scale: number;
  readonly loss: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly parameters: readonly FittedValue[];
  readonly targets: readonly TargetFit[];
  /** Observed figures no run can match together (bounds.ts). */
  readonly observedBounds: readonly ObservedBound[];
  readonly scenario: Scenario;
}

export function calibrate(
  base: Scenario,
  policies: PolicySet,
  observed: Observed,
  options: CalibrateOptions,
): CalibrationResult {
  const params = options.parameters ?? fittedFor(base);
  const targets = targetsOf(observed);
  const fitBase: Scenario = { ...base, accounts: options.fitAccounts };
  const seeds = Array.from({ length: options.seeds }, (_, i) => options.firstSeed + i);
  const startValues = params.map((p) => valueIn(base, p));
  let evaluations = 0;
  const objective = (x: readonly number[]): number => {
    const point = withValues(
      fitBase,
      params,
      x.map((xi, i) => fromSearch(params[i]!, xi)),
    );
    const { loss } = evaluatePoint(point, policies, seeds, targets);
    options.onEvaluation?.(++evaluations, loss);
    return loss;
  };
  const fit = searchWithRestart(
    objective,
    startValues.map((v, i) => toSearch(params[i]!, v)),
    options.evaluationsMax,
  );
  const fittedValues = fit.x.map((xi, i) => fromSearch(params[i]!, xi));
  const atFit = withValues(fitBase, params, fittedValues);
  const final = evaluatePoint(atFit, policies, seeds, targets);
  const holdOutSeeds = seeds.map((s) => s + 1000);
  const holdOut = evaluatePoint(atFit, policies, holdOutSeeds, targets);
  const accounts = Math.max(1, Math.min(ACCOUNTS_MAX, Math.round(options.fitAccounts * final.scale)));
  const scale = accounts / options.fitAccounts;
  return {
    policies: policies.name,
    seeds,
    holdOutSeeds,
    fitAccounts: options.fitAccounts,
    accounts,
    scale,
    loss: final.loss,
    evaluations: fit.evaluations,
    converged: fit.converged,
    parameters: params.map((p, i) => ({ name: nameOf(p), start: startValues[i]!, fitted: valueIn(atFit, p) })),
    targets: targets.map((t, k) => targetFit(t, k, final.perSeed, holdOut.meansAtFit[k]!, scale)),
    observedBounds: observedBounds(observed),
    scenario: { ...atFit, accounts, name: `${base.name}-calibrated` },
  };
}

/**
 * Nelder–Mead with one restart: 60 % of the budget from the start point, the
 * rest from a fresh simplex around the best point found (a collapsed simplex
 * is the method's usual way to stall; a restart is the standard remedy).
 */
function searchWithRestart(
  objective: (x: readonly number[]) => number,
  x0: readonly number[],
  evaluationsMax: number,
): NelderMeadResult {
  const firstBudget = Math.max(x0.length + 1, Math.round(evaluationsMax * 0.6));
  const first = nelderMead(objective, x0, { step: 0.6, evaluationsMax: firstBudget, valueTolerance: 1e-4 });
  const rest = evaluationsMax - first.evaluations;
  if (rest <= x0.length + 1) return first;
  const second = nelderMead(objective, first.x, { step: 0.3, evaluationsMax: rest, valueTolerance: 1e-4 });
  const best = second.value <= first.value ? second : first;
  return { ...best, evaluations: first.evaluations + second.evaluations, converged: second.converged };
}

function targetFit(
  t: Target,
  k: number,
  perSeed: readonly (readonly number[])[],
  holdOutAtFit: number,
  scale: number,
): TargetFit {
  const values = perSeed.map((row) => scaled(t, row[k]!, scale));
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return {
    name: t.name,
    observed: t.observed,
    fitted: mean,
    residualPct: t.observed === 0 ? (mean === 0 ? 0 : Infinity) : (100 * (mean - t.observed)) / t.observed,
    weight: t.weight,
    seedCvPct: mean === 0 ? 0 : (100 * Math.sqrt(variance)) / mean,
    holdOut: scaled(t, holdOutAtFit, scale),
  };
}
