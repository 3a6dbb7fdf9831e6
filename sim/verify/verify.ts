/**
 * `billsim verify`: the property suite and a batch of fault-weather seeds
 * against one policy set; per invariant, passed or failed with the file of
 * its counterexample; and what never happened (fault sites that never fired,
 * lifecycle transitions never taken). Exit: 0 all hold, 1 a safety or
 * convergence invariant failed, 3 only liveness failed.
 */
import type { PolicySet } from '../../policies/sets.js';
import { ALL_INVARIANTS, classOf, type InvariantClass } from '../check/catalog.js';
import { allowedTransitionNames } from '../check/lifecycle-spec.js';
import { EXIT_FAILED, EXIT_LIVENESS, EXIT_OK } from '../cli/errors.js';
import { FAULT_SITES, formatWeather, type FaultSite } from '../faults/weather.js';
import type { Scenario } from '../scenario/schema.js';
import { shrinkWeatherFailure, weatherRun, type WeatherRun } from './batch.js';
import { writeCounterexample } from './counterexample.js';
import { runPropertySuite, type PropertyOutcome } from './properties.js';
import { REPLAY_SETTLE_MS, replayVerdict } from './replay.js';

export interface VerifyOptions {
  readonly policies: PolicySet;
  readonly scenario: Scenario;
  readonly runs: number;
  readonly seed: number;
  readonly outDir: string;
  readonly propertyRuns: number;
  readonly log: (line: string) => void;
}

export interface InvariantReport {
  readonly name: string;
  readonly class: InvariantClass;
  readonly status: 'passed' | 'failed';
  readonly counterexample: string | null;
  readonly detail: string | null;
}

export interface VerifyReport {
  readonly policies: string;
  readonly seeds: readonly number[];
  readonly invariants: readonly InvariantReport[];
  /** "Sometimes" assertions: fault sites that never fired and lifecycle transitions never taken in the batch. */
  readonly neverFired: readonly FaultSite[];
  readonly transitionsNeverTaken: readonly string[];
  readonly exitCode: number;
}

interface Failure { readonly detail: string; readonly counterexample: string }

export async function verify(o: VerifyOptions): Promise<VerifyReport> {
  const failures = new Map<string, Failure>();
  for (const p of await runPropertySuite(o.policies, o.seed, o.propertyRuns)) recordProperty(o, p, failures);
  const runs: WeatherRun[] = [];
  const seeds = Array.from({ length: o.runs }, (_, k) => o.seed + k);
  for (const seed of seeds) runs.push(runSeed(o, seed, failures));
  const invariants = applicable(o.policies).map((name): InvariantReport => {
    const f = failures.get(name);
    return { name, class: classOf(name), status: f === undefined ? 'passed' : 'failed', counterexample: f?.counterexample ?? null, detail: f?.detail ?? null };
  });
  return { policies: o.policies.name, seeds, invariants, ...coverage(runs), exitCode: exitCodeOf(invariants) };
}

function applicable(policies: PolicySet): string[] {
  return ALL_INVARIANTS.filter((name) => name !== 'recomputeIdempotent' || policies.dunning.kind !== 'legacy-processors');
}

function recordProperty(o: VerifyOptions, p: PropertyOutcome, failures: Map<string, Failure>): void {
  if (p.failure === null || failures.has(p.name)) return;
  const command = `billsim verify --policies ${o.policies.name} --seed ${o.seed}`;
  const replayed = p.failure.events.length === 0 ? [] : replayVerdict(p.failure.events, o.policies);
  const path = writeCounterexample(o.outDir, `${o.policies.name}-${p.name}`, {
    header: { object: 'billsim.header', version: 1, settleMs: REPLAY_SETTLE_MS, seed: p.failure.seed, command, policies: o.policies.name, invariant: p.name,
      note: `${p.failure.description}; replay breaks: ${replayed.join(', ') || '(not a stream property)'}` },
    events: p.failure.events,
  });
  failures.set(p.name, { detail: p.failure.description, counterexample: path });
}

function runSeed(o: VerifyOptions, seed: number, failures: Map<string, Failure>): WeatherRun {
  const run = weatherRun(o.scenario, o.policies, seed);
  o.log([`seed ${seed}`, ...formatWeather(run.weather)].join('\n'));
  for (const v of run.violations) {
    if (failures.has(v.invariant)) continue;
    const shrunk = shrinkWeatherFailure(o.scenario, o.policies, run, v);
    const note = `account ${v.accountId} at ${v.atMs} ms: ${v.detail}; fault sites needed: ${shrunk.sitesNeeded.join(', ') || 'none'}`;
    const path = writeCounterexample(o.outDir, `${o.policies.name}-${v.invariant}`, {
      header: { object: 'billsim.header', version: 1, settleMs: REPLAY_SETTLE_MS, seed, command: `billsim verify --policies ${o.policies.name} --seed ${seed} --runs 1`,
        policies: o.policies.name, invariant: v.invariant, note },
      events: [],
    });
    failures.set(v.invariant, { detail: `seed ${seed}, ${note}`, counterexample: path });
  }
  return run;
}

function coverage(runs: readonly WeatherRun[]): Pick<VerifyReport, 'neverFired' | 'transitionsNeverTaken'> {
  const taken = new Set(runs.flatMap((r) => [...r.transitions]));
  return {
    neverFired: FAULT_SITES.filter((site) => runs.every((r) => r.faultsFired[site] === 0)),
    transitionsNeverTaken: allowedTransitionNames().filter((t) => !taken.has(t)),
  };
}

function exitCodeOf(invariants: readonly InvariantReport[]): number {
  const failed = invariants.filter((i) => i.status === 'failed');
  if (failed.some((i) => i.class !== 'liveness')) return EXIT_FAILED;
  return failed.length > 0 ? EXIT_LIVENESS : EXIT_OK;
}

export function formatVerifyReport(r: VerifyReport): string {
  const width = Math.max(...r.invariants.map((i) => i.name.length));
  const lines = r.invariants.map((i) => `${i.status === 'passed' ? 'passed' : 'FAILED'}  ${i.class.padEnd(11)} ${i.name.padEnd(width)}`
    + (i.counterexample === null ? '' : `  counterexample: ${i.counterexample}`));
  const never = [
    ...r.neverFired.map((s) => `never happened: fault ${s}`),
    ...r.transitionsNeverTaken.map((t) => `never happened: transition ${t}`),
  ];
  const verdict = r.exitCode === 0 ? 'all invariants hold' : r.exitCode === EXIT_LIVENESS ? 'liveness failed' : 'safety or convergence failed';
  return [`verify ${r.policies} · seeds ${r.seeds[0]}..${r.seeds[r.seeds.length - 1]}`, '', ...lines, '', ...never, '', verdict, ''].join('\n');
}
