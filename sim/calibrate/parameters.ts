/**
 * The scenario parameters calibration fits, and the transforms that let an
 * unconstrained minimiser search them: a rate in [min, max] is searched as
 * logit((v − min)/(max − min)), a positive intensity as log(v) clamped to
 * [min, max]. Population size is not here: per-day and per-population KPIs
 * are linear in `accounts` at fixed rates, so it is profiled out in closed
 * form (objective.ts).
 */
import type { Scenario } from '../scenario/schema.js';

export interface FittedParameter {
  /** Path into the scenario, e.g. ['faults', 'rollbackFailureRate']. */
  readonly path: readonly [string, string];
  readonly transform: 'log' | 'logit';
  readonly min: number;
  readonly max: number;
}

const p = (group: string, field: string, transform: 'log' | 'logit', min: number, max: number): FittedParameter =>
  ({ path: [group, field], transform, min, max });

/** What the seeds leave open and the observed KPIs can inform. */
export const DEFAULT_FITTED: readonly FittedParameter[] = [
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

export function nameOf(param: FittedParameter): string {
  return param.path.join('.');
}

export function valueIn(scenario: Scenario, param: FittedParameter): number {
  const group = (scenario as unknown as Record<string, Record<string, unknown>>)[param.path[0]];
  const value = group?.[param.path[1]];
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
export function withValues(scenario: Scenario, params: readonly FittedParameter[], values: readonly number[]): Scenario {
  const copy = structuredClone(scenario) as unknown as Record<string, Record<string, number>>;
  params.forEach((param, i) => {
    copy[param.path[0]]![param.path[1]] = Number(values[i]!.toPrecision(6));
  });
  return copy as unknown as Scenario;
}
