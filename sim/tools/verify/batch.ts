/**
 * The fault-weather batch: one simulated run per seed, each with its own
 * drawn weather, the online checker on. A failure is reproduced by its seed;
 * it is then narrowed to the one account that failed first (accounts are
 * independent, so that account alone fails the same way) and to the fault
 * sites it needs (each site is switched off while the failure persists).
 */
import type { PolicySet } from '../../../policies/sets.js';
import type { Violation } from '../../world/check/online.js';
import { resultOf } from '../../world/engine/run.js';
import { Simulation } from '../../world/engine/simulation.js';
import type { RunResult } from '../../world/result.js';
import { streamsFor } from '../../world/kernel/rng.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { drawWeather, FAULT_SITES, withoutSites, type FaultSite, type Weather } from '../../world/faults/weather.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

export interface WeatherRun {
  readonly seed: number;
  readonly weather: Weather;
  readonly violations: readonly Violation[];
  readonly faultsFired: Readonly<Record<FaultSite, number>>;
  readonly transitions: ReadonlySet<string>;
  /** The run's KPIs and rows, as `billsim run` reports them (for --db). */
  readonly result: RunResult;
}

export function weatherRun(
  scenario: Scenario,
  policies: PolicySet,
  seed: number,
  weather = drawWeather(streamsFor(seed).faults),
  onlyAccounts?: ReadonlySet<number>,
): WeatherRun {
  const sim = new Simulation(scenario, policies, seed, {
    weather,
    verify: true,
    lifecycle: lifecycleSpec(),
    ...(onlyAccounts ? { onlyAccounts } : {}),
  });
  sim.run();
  return {
    seed,
    weather,
    violations: [...sim.checker!.violations.values()],
    faultsFired: { ...sim.ctx.faultsFired },
    transitions: new Set(sim.ctx.metrics.transitions.keys()),
    result: resultOf(sim),
  };
}

export interface ShrunkFailure {
  readonly seed: number;
  readonly invariant: string;
  readonly accountId: number;
  /** The sites still needed for the failure (sites switched off without losing it are gone). */
  readonly sitesNeeded: readonly FaultSite[];
  readonly weather: Weather;
}

/** Narrow one violation to its account and the fault sites it needs. */
export function shrinkWeatherFailure(
  scenario: Scenario,
  policies: PolicySet,
  run: WeatherRun,
  v: Violation,
): ShrunkFailure {
  const only = new Set([v.accountId]);
  const stillFails = (w: Weather): boolean =>
    weatherRun(scenario, policies, run.seed, w, only).violations.some((x) => x.invariant === v.invariant);
  let weather = run.weather;
  for (const site of FAULT_SITES) {
    if (!weather.sites[site].on) continue;
    const without = withoutSites(weather, [site]);
    if (stillFails(without)) weather = without;
  }
  return {
    seed: run.seed,
    invariant: v.invariant,
    accountId: v.accountId,
    weather,
    sitesNeeded: FAULT_SITES.filter((s) => weather.sites[s].on),
  };
}
