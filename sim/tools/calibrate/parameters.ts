/**
 * The scenario parameters calibration fits, and the transforms that let an
 * unconstrained minimiser search them: a rate in [min, max] is searched as
 * logit((v − min)/(max − min)), a positive intensity as log(v) clamped to
 * [min, max]. Population size is not here: per-day and per-population KPIs
 * are linear in `accounts` at fixed rates, so it is profiled out in closed
 * form (objective.ts).
 */
import type { Scenario } from '../../world/scenario/schema.js';

export interface FittedParameter {
  /** Path into the scenario, e.g. ['faults', 'rollbackFailureRate'] or ['days']. */
  readonly path: readonly string[];
  readonly transform: 'log' | 'logit';
  readonly min: number;
  readonly max: number;
  /** Rounded to an integer when set into the scenario. */
  readonly integer?: boolean;
}

const p = (group: string, field: string, transform: 'log' | 'logit', min: number, max: number): FittedParameter => ({
  path: [group, field],
  transform,
  min,
  max,
});

/** What the seeds leave open and the observed KPIs can inform. */
export const DEFAULT_FITTED: readonly FittedParameter[] = [
  /**
   * The window: stores start consistent and stocks (disagreeing accounts,
   * drift) accumulate over it, while per-day KPIs are stationary. It stands
   * for the time since the stores were last reconciled.
   */
  { path: ['days'], transform: 'log', min: 2, max: 60, integer: true },
  p('customers', 'upgradesPerAccountMonth', 'log', 0.005, 20),
  p('declines', 'onSessionFailureRate', 'logit', 0.005, 0.6),
  p('faults', 'rollbackFailureRate', 'logit', 0.0005, 0.9),
  p('faults', 'rollbackLateRate', 'logit', 0.0005, 0.9),
  p('customers', 'newCustomerShare', 'logit', 0.0005, 0.9),
  p('declines', 'renewalFailureRate', 'logit', 0.002, 0.5),
  p('webhooks', 'tailShare', 'logit', 0.0005, 0.5),
  p('webhooks', 'duplicateRate', 'logit', 0.0005, 0.3),
  p('faults', 'cfProdCallFailureRate', 'logit', 0.0005, 0.5),
  p('customers', 'payOutOfBandMeanDays', 'log', 0.5, 60),
];

/**
 * With a warm start (the base scenario sets `warmUpDays`) the stocks come from
 * history, not from the window: the warm-up length replaces `days` (fixed, the
 * measured window), and the support-contact rate (how fast visible drift is
 * repaired) and the shares of customers paying a failed invoice themselves, after
 * the failure and after a suspension (how written-off invoices come to be
 * paid: bad-debt drift), join the fit.
 */
export const WARM_START_FITTED: readonly FittedParameter[] = [
  { path: ['warmUpDays'], transform: 'log', min: 17, max: 60, integer: true },
  p('customers', 'supportContactMeanDays', 'log', 0.2, 60),
  p('customers', 'payAfterSuspensionShare', 'logit', 0.0005, 0.95),
  p('customers', 'payOutOfBandShare', 'logit', 0.0005, 0.95),
  ...DEFAULT_FITTED.filter((param) => param.path[0] !== 'days'),
];

/** The parameters fitted by default for a base scenario. */
export function fittedFor(base: Scenario): readonly FittedParameter[] {
  return (base.warmUpDays ?? 0) > 0 ? WARM_START_FITTED : DEFAULT_FITTED;
}

export function nameOf(param: FittedParameter): string {
  return param.path.join('.');
}

type Tree = Record<string, unknown>;

function parentOf(root: Tree, param: FittedParameter): Tree {
  return param.path.slice(0, -1).reduce<Tree>((node, key) => (node[key] ?? {}) as Tree, root);
}

export function valueIn(scenario: Scenario, param: FittedParameter): number {
  const value = parentOf(scenario as unknown as Tree, param)[param.path[param.path.length - 1]!];
  if (typeof value !== 'number') throw new Error(`calibrate: scenario has no numeric ${nameOf(param)}`);
  return value;
}

export function toSearch(param: FittedParameter, value: number): number {
  const v = Math.min(param.max, Math.max(param.min, value));
  if (param.transform === 'log') return Math.log(v);
  const u = Math.min(1 - 1e-9, Math.max(1e-9, (v - param.min) / (param.max - param.min)));
  return Math.log(u / (1 - u));
}

export function fromSearch(param: FittedParameter, x: number): number {
  if (param.transform === 'log') return Math.min(param.max, Math.max(param.min, Math.exp(x)));
  return param.min + (param.max - param.min) / (1 + Math.exp(-x));
}

/** A copy of the scenario with the fitted values set (rounded to 6 significant digits, so YAML round-trips). */
export function withValues(
  scenario: Scenario,
  params: readonly FittedParameter[],
  values: readonly number[],
): Scenario {
  const copy = structuredClone(scenario) as unknown as Tree;
  params.forEach((param, i) => {
    const value = values[i]!;
    parentOf(copy, param)[param.path[param.path.length - 1]!] =
      param.integer === true ? Math.round(value) : Number(value.toPrecision(6));
  });
  return copy as unknown as Scenario;
}
