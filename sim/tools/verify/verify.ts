/**
 * `billsim verify`: the property suite and a batch of fault-weather seeds
 * against one policy set; per invariant, passed or failed with the file of
 * its counterexample; and what never happened (fault sites that never fired,
 * lifecycle transitions never taken). Exit: 0 all hold, 1 a safety or
 * convergence invariant failed, 3 only liveness failed.
 */
import type { PolicySet } from '../../../policies/sets.js';
import { ALL_INVARIANTS, classOf, type InvariantClass } from '../../world/check/catalog.js';
import { allowedTransitions } from '../../world/check/lifecycle-spec.js';
import { EXIT_LIVENESS } from '../../lib/errors.js';
import { exitCodeOf } from '../replay/verdict.js';
import { FAULT_SITES, formatWeather, type FaultSite } from '../../world/faults/weather.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { join } from 'node:path';
import type { Violation } from '../../world/check/online.js';
import { DEFAULT_SETTLE_MS } from '../replay/replay.js';
import { shrinkWeatherFailure, weatherRun, type WeatherRun } from './batch.js';
import { writeInputsCounterexample, writeStreamCounterexample, type CounterexampleMeta } from './counterexample.js';
import { runPropertySuite, type PropertyOutcome } from './properties.js';
import { accountStream, brokenByReplay, shrinkStream, withEnd } from './shrink.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

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
  /** Whether `billsim replay <counterexample>` breaks the same invariant; null when passed or the file is not a stream. */
  readonly reproducesInReplay: boolean | null;
  /** The weather seed that found it (null: the property suite, or passed). */
  readonly seed: number | null;
  readonly detail: string | null;
}

export interface VerifyReport {
  readonly policies: string;
  readonly seeds: readonly number[];
  readonly invariants: readonly InvariantReport[];
  /** "Sometimes" assertions: fault sites that never fired and lifecycle transitions never taken in the batch. */
  readonly neverFired: readonly FaultSite[];
  readonly transitionsNeverTaken: readonly string[];
  /** The weather runs, one per seed (for --db). */
  readonly runs: readonly WeatherRun[];
  readonly exitCode: number;
}

interface Failure {
  readonly detail: string;
  readonly counterexample: string;
  readonly reproducesInReplay: boolean | null;
  readonly seed: number | null;
}

export async function verify(o: VerifyOptions): Promise<VerifyReport> {
  const failures = new Map<string, Failure>();
  for (const p of await runPropertySuite(o.policies, o.seed, o.propertyRuns)) await recordProperty(o, p, failures);
  const runs: WeatherRun[] = [];
  const seeds = Array.from({ length: o.runs }, (_, k) => o.seed + k);
  for (const seed of seeds) runs.push(await runSeed(o, seed, failures));
  const invariants = applicable(o.policies).map((name): InvariantReport => {
    const f = failures.get(name);
    return {
      name,
      class: classOf(name),
      status: f === undefined ? 'passed' : 'failed',
      counterexample: f?.counterexample ?? null,
      reproducesInReplay: f?.reproducesInReplay ?? null,
      seed: f?.seed ?? null,
      detail: f?.detail ?? null,
    };
  });
  return { policies: o.policies.name, seeds, invariants, ...coverage(runs), runs, exitCode: exitCodeOf(invariants) };
}

function applicable(policies: PolicySet): string[] {
  return ALL_INVARIANTS.filter(
    (name) => name !== 'recomputeIdempotent' || policies.dunning.kind !== 'legacy-processors',
  );
}

/** A property failure: its shrunk stream, shrunk further by ddmin, as a replay file; a function's inputs as JSON. */
async function recordProperty(o: VerifyOptions, p: PropertyOutcome, failures: Map<string, Failure>): Promise<void> {
  if (p.failure === null || failures.has(p.name)) return;
  const meta: CounterexampleMeta = {
    seed: p.failure.seed,
    policies: o.policies.name,
    invariant: p.name,
    verifyCommand: `billsim verify --policies ${o.policies.name} --seed ${o.seed}`,
    note: p.failure.description,
  };
  if (p.failure.events === null) {
    const path = writeInputsCounterexample(o.outDir, meta, p.failure.inputs);
    failures.set(p.name, { detail: p.failure.description, counterexample: path, reproducesInReplay: null, seed: null });
    return;
  }
  const endAtMs = p.failure.events.reduce((m, e) => Math.max(m, e.created * 1000), 0) + DEFAULT_SETTLE_MS;
  const fields = { seed: p.failure.seed, invariant: p.name };
  const full = withEnd(p.failure.events, endAtMs, fields);
  const reproduces = (await brokenByReplay(full, o.policies, 'auto')).includes(p.name);
  const events = reproduces
    ? await shrinkStream(p.failure.events, endAtMs, o.policies, p.name, fields)
    : p.failure.events;
  const path = writeStreamCounterexample(o.outDir, meta, withEnd(events, endAtMs, fields), reproduces);
  failures.set(p.name, {
    detail: p.failure.description,
    counterexample: path,
    reproducesInReplay: reproduces,
    seed: null,
  });
}

async function runSeed(o: VerifyOptions, seed: number, failures: Map<string, Failure>): Promise<WeatherRun> {
  const run = weatherRun(o.scenario, o.policies, seed);
  o.log([`seed ${seed}`, ...formatWeather(run.weather)].join('\n'));
  for (const v of run.violations)
    if (!failures.has(v.invariant)) failures.set(v.invariant, await weatherCounterexample(o, run, v));
  return run;
}

/**
 * A weather failure: narrowed to its account and the fault sites it needs,
 * that account's events exported and shrunk while `billsim replay` still
 * breaks the invariant. Some failures live only inside the simulator (the
 * platform's own attempts and mutations, faults in its stores): their file
 * is the account's stream, unshrunk, and the seed reproduces them.
 */
async function weatherCounterexample(o: VerifyOptions, run: WeatherRun, v: Violation): Promise<Failure> {
  const shrunk = shrinkWeatherFailure(o.scenario, o.policies, run, v);
  const note = `account ${v.accountId} at ${v.atMs} ms: ${v.detail}; fault sites needed: ${shrunk.sitesNeeded.join(', ') || 'none'}`;
  const stream = await accountStream(o.scenario, o.policies, shrunk, join(o.outDir, `.export-${process.pid}.jsonl`));
  const fields = { seed: run.seed, invariant: v.invariant };
  const reproduces = (
    await brokenByReplay(withEnd(stream.events, stream.endAtMs, fields), o.policies, 'auto')
  ).includes(v.invariant);
  const events = reproduces
    ? await shrinkStream(stream.events, stream.endAtMs, o.policies, v.invariant, fields)
    : stream.events;
  const meta: CounterexampleMeta = {
    seed: run.seed,
    policies: o.policies.name,
    invariant: v.invariant,
    verifyCommand: `billsim verify --policies ${o.policies.name} --seed ${run.seed} --runs 1`,
    note: reproduces
      ? note
      : `${note}; not visible in a replay (it needs the simulator): reproduce it with the verify command`,
  };
  const path = writeStreamCounterexample(o.outDir, meta, withEnd(events, stream.endAtMs, fields), reproduces);
  return { detail: `seed ${run.seed}, ${note}`, counterexample: path, reproducesInReplay: reproduces, seed: run.seed };
}

function coverage(runs: readonly WeatherRun[]): Pick<VerifyReport, 'neverFired' | 'transitionsNeverTaken'> {
  const taken = new Set(runs.flatMap((r) => [...r.transitions]));
  return {
    neverFired: FAULT_SITES.filter((site) => runs.every((r) => r.faultsFired[site] === 0)),
    transitionsNeverTaken: [...allowedTransitions(lifecycleSpec())].filter((t) => !taken.has(t)),
  };
}

export function formatVerifyReport(r: VerifyReport): string {
  const width = Math.max(...r.invariants.map((i) => i.name.length));
  const lines = r.invariants.map(
    (i) =>
      `${i.status === 'passed' ? 'passed' : 'FAILED'}  ${i.class.padEnd(11)} ${i.name.padEnd(width)}` +
      (i.counterexample === null
        ? ''
        : `  counterexample: ${i.counterexample}${i.reproducesInReplay === false ? ' (reproduce by seed)' : ''}`),
  );
  const never = [
    ...r.neverFired.map((s) => `never happened: fault ${s}`),
    ...r.transitionsNeverTaken.map((t) => `never happened: transition ${t}`),
  ];
  const verdict =
    r.exitCode === 0
      ? 'all invariants hold'
      : r.exitCode === EXIT_LIVENESS
        ? 'liveness failed'
        : 'safety or convergence failed';
  return [
    `verify ${r.policies} · seeds ${r.seeds[0]}..${r.seeds[r.seeds.length - 1]}`,
    '',
    ...lines,
    '',
    ...never,
    '',
    verdict,
    '',
  ].join('\n');
}
