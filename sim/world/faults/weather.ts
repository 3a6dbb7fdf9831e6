/**
 * Fault weather (swarm testing): per seed, draw which faults are on for the
 * run and how strong each is. A site that is on fires, per opportunity, with
 * its drawn rate, in the safety phase only; at the end of the workload the
 * weather heals and the liveness phase runs with no faults at all.
 * The weather is drawn from the `faults` stream (entity -1: the run itself);
 * each firing is drawn from the same stream keyed by account (sites.ts).
 */
import type { Stream } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';
import { COUNTER, WEATHER } from '../kernel/slots.js';

export const FAULT_SITES = [
  'webhook.delay_tail',
  'webhook.duplicate',
  'webhook.reorder',
  'webhook.drop',
  'provider.error',
  'provider.timeout',
  'cf_prod.call_down',
  'store.partial_write',
  'clock.skew',
] as const;
export type FaultSite = (typeof FAULT_SITES)[number];

export interface SiteWeather {
  readonly on: boolean;
  /** Chance that the site fires at one opportunity (0 when off). */
  readonly rate: number;
}

export interface Weather {
  readonly sites: Readonly<Record<FaultSite, SiteWeather>>;
  /** Largest extra delay a reordered delivery gets. */
  readonly reorderWindowMs: number;
  /** Largest offset between the platform's clock and the provider's, either way. */
  readonly clockSkewMaxMs: number;
}

const SITE_ON_CHANCE = 0.5;
const RATE_MIN = 0.002;
const RATE_MAX = 0.3;

function logUniform(u: number, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
}

/** The weather for one run, from its faults stream. */
export function drawWeather(faults: Stream): Weather {
  const sites = {} as Record<FaultSite, SiteWeather>;
  FAULT_SITES.forEach((site, k) => {
    const on = faults.u01(COUNTER.weatherRun, WEATHER.siteOn, k) < SITE_ON_CHANCE;
    sites[site] = {
      on,
      rate: on
        ? Number(logUniform(faults.u01(COUNTER.weatherRun, WEATHER.siteRate, k), RATE_MIN, RATE_MAX).toFixed(4))
        : 0,
    };
  });
  return {
    sites,
    reorderWindowMs: Math.round(
      logUniform(faults.u01(COUNTER.weatherRun, WEATHER.windows, WEATHER.reorderWindow), 60_000, 12 * 3_600_000),
    ),
    clockSkewMaxMs: Math.round(
      logUniform(faults.u01(COUNTER.weatherRun, WEATHER.windows, WEATHER.clockSkewMax), 1_000, 15 * 60_000),
    ),
  };
}

/** The same weather with some sites switched off (for shrinking a failure to the sites it needs). */
export function withoutSites(weather: Weather, off: readonly FaultSite[]): Weather {
  const sites = { ...weather.sites };
  for (const site of off) sites[site] = { on: false, rate: 0 };
  return { ...weather, sites };
}

/** The scenario as the safety phase sees it: the weather sets the fault rates the scenario has knobs for. */
export function weatheredScenario(s: Scenario, w: Weather): Scenario {
  return {
    ...s,
    webhooks: {
      ...s.webhooks,
      tailShare: w.sites['webhook.delay_tail'].rate,
      duplicateRate: w.sites['webhook.duplicate'].rate,
      dropRate: w.sites['webhook.drop'].rate,
    },
    faults: {
      ...s.faults,
      providerTimeoutRate: w.sites['provider.timeout'].rate,
      cfProdCallFailureRate: w.sites['cf_prod.call_down'].rate,
    },
  };
}

/** The scenario as the liveness phase sees it: every fault healed. */
export function healedScenario(s: Scenario): Scenario {
  return {
    ...s,
    webhooks: { ...s.webhooks, tailShare: 0, duplicateRate: 0, dropRate: 0, doubleEventRate: 0 },
    faults: { ...s.faults, providerTimeoutRate: 0, cfProdCallFailureRate: 0 },
  };
}

/** The weather as header lines, printed before the run. */
export function formatWeather(w: Weather): string[] {
  const lines = FAULT_SITES.map(
    (site) => `  ${site.padEnd(20)} ${w.sites[site].on ? `on   rate=${w.sites[site].rate}` : 'off'}`,
  );
  return ['weather:', ...lines, `  reorderWindowMs = ${w.reorderWindowMs}`, `  clockSkewMaxMs = ${w.clockSkewMaxMs}`];
}
