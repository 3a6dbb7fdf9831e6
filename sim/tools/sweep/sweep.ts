/**
 * A parameter sweep: each point is the base policy document with some
 * parameters set; every point runs on the same seeds (on worker threads), is
 * stored with its runs, and is summarized by its per-seed metrics. Results
 * are filed by point then seed, so they are identical for any worker count,
 * and points are written in order, so an interrupted sweep resumes where its
 * store says it stopped.
 */
import { createHash } from 'node:crypto';
import { codeVersion } from '../../../reports/code-version.js';
import { closeStore, type Store } from '../../../reports/store.js';
import { openStoreFor } from '../../../reports/persist.js';
import { runTasksOnTemporal, type SweepOnTemporalOptions } from '../../hosts/temporal/client.js';
import { InputError, reasonOf } from '../../lib/errors.js';
import { METRICS } from '../../../reports/metrics.js';
import type { RunResult } from '../../world/result.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { mean } from '../../lib/stats/interval.js';
import type { PolicyDocument } from '../../../policies/document.js';
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import type { RunJob } from '../../world/engine/job.js';
import { loadPolicySet } from '../policies/load.js';
import { withParam } from './document.js';
import { gridPoints, randomPoints, type Point, type Vary } from './grid.js';
import { PARETO_OBJECTIVES, paretoFront } from './pareto.js';
import { runTasks } from './pool.js';
import { openSweep, writePoint } from './store.js';

export interface SweepSpec {
  readonly scenario: Scenario;
  readonly base: PolicyDocument;
  readonly varies: readonly Vary[];
  /** Random search: this many distinct grid points, chosen by `seed`. */
  readonly random?: { readonly count: number; readonly seed: number };
  readonly seeds: readonly number[];
  /** The lifecycle spec every run's transitions are checked against. */
  readonly lifecycle: LifecycleSpec | null;
}

export interface SweepOptions {
  readonly workers: number;
  readonly dbPath: string;
  readonly resume: boolean;
  readonly log: (line: string) => void;
  /** Run the points as activities on Temporal workers (`billsim worker`) instead of local threads. */
  readonly temporal?: SweepOnTemporalOptions;
}

export interface PointSummary {
  readonly index: number;
  readonly policies: string;
  readonly params: Point;
  /** Per metric, the value on each seed (in the sweep's seed order). */
  readonly values: Readonly<Record<string, readonly number[]>>;
  readonly means: Readonly<Record<string, number>>;
}

export interface SweepResult {
  readonly kind: 'billsim-sweep';
  readonly sweepId: string;
  readonly scenario: string;
  readonly policies: string;
  readonly seeds: readonly number[];
  readonly objectives: typeof PARETO_OBJECTIVES;
  readonly points: readonly PointSummary[];
  /** Indices of the points on the Pareto front. */
  readonly paretoFront: readonly number[];
}

interface PlannedPoint {
  readonly index: number;
  readonly params: Point;
  readonly document: PolicyDocument;
}

/** Each point's document, built once here so a bad value fails before anything runs. */
export async function planPoints(spec: SweepSpec): Promise<PlannedPoint[]> {
  const points = spec.random ? randomPoints(spec.varies, spec.random.count, spec.random.seed) : gridPoints(spec.varies);
  return Promise.all(
    points.map(async (params, index) => {
      const label = Object.entries(params)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      let document = { ...spec.base, name: `${spec.base.name}[${label}]` };
      for (const [path, value] of Object.entries(params)) document = withParam(document, path, value);
      try {
        await loadPolicySet(document);
      } catch (error) {
        throw new InputError(`--vary: point ${index} (${label}): ${reasonOf(error)}`);
      }
      return { index, params, document };
    }),
  );
}

export function sweepIdOf(spec: SweepSpec, planned: readonly PlannedPoint[]): string {
  const key = JSON.stringify({ scenario: spec.scenario, seeds: spec.seeds, points: planned.map((p) => p.document) });
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export function summarizePoint(point: PlannedPoint, runs: readonly RunResult[]): PointSummary {
  const values = Object.fromEntries(METRICS.map((m) => [m.name, runs.map((r) => m.valueOf(r))]));
  const means = Object.fromEntries(METRICS.map((m) => [m.name, mean(values[m.name]!)]));
  return { index: point.index, policies: point.document.name, params: point.params, values, means };
}

export async function runSweep(spec: SweepSpec, options: SweepOptions): Promise<SweepResult> {
  const planned = await planPoints(spec);
  const sweepId = sweepIdOf(spec, planned);
  const store = await openStoreFor('--db', options.dbPath);
  try {
    const done = await openSweep(store, {
      sweepId,
      scenario: spec.scenario.name,
      policies: spec.base.name,
      points: planned.length,
      seeds: spec.seeds,
      spec: { varies: spec.varies, random: spec.random ?? null },
    });
    if (done.size > 0 && !options.resume) {
      throw new InputError(
        `sweep ${sweepId} already has ${done.size} of ${planned.length} points in ${options.dbPath}: pass --resume to continue it, or use another --db`,
      );
    }
    options.log(
      `sweep ${sweepId}: ${planned.length} points × ${spec.seeds.length} seeds, ${done.size} points already done, ${options.workers} worker(s)`,
    );
    const todo = planned.filter((p) => !done.has(p.index));
    await runPoints(spec, todo, store, done, { ...options, sweepId });
    const points = planned.map((p) => done.get(p.index)!);
    const front = paretoFront(points.map((p) => p.means as never));
    return {
      kind: 'billsim-sweep',
      sweepId,
      scenario: spec.scenario.name,
      policies: spec.base.name,
      seeds: [...spec.seeds],
      objectives: PARETO_OBJECTIVES,
      points,
      paretoFront: front.map((i) => points[i]!.index),
    };
  } finally {
    closeStore(store);
  }
}

/** Runs the points' tasks; stores each point, in point order, once all its seeds are in. */
async function runPoints(
  spec: SweepSpec,
  todo: readonly PlannedPoint[],
  store: Store,
  done: Map<number, PointSummary>,
  options: SweepOptions & { sweepId: string },
): Promise<void> {
  const seeds = spec.seeds;
  const tasks: RunJob[] = todo.flatMap((p) =>
    seeds.map((seed) => ({ scenario: spec.scenario, document: p.document, seed, lifecycle: spec.lifecycle })),
  );
  const results: (RunResult | undefined)[] = Array.from({ length: tasks.length }, () => undefined);
  const version = codeVersion();
  let nextPoint = 0;
  let writing = Promise.resolve();
  const flush = async (): Promise<void> => {
    while (
      nextPoint < todo.length &&
      results.slice(nextPoint * seeds.length, (nextPoint + 1) * seeds.length).every((r) => r !== undefined)
    ) {
      const point = todo[nextPoint]!;
      const runs = results.slice(nextPoint * seeds.length, (nextPoint + 1) * seeds.length) as RunResult[];
      const summary = summarizePoint(point, runs);
      await writePoint(store, options.sweepId, summary, runs, version);
      done.set(point.index, summary);
      results.fill(undefined, nextPoint * seeds.length, (nextPoint + 1) * seeds.length);
      options.log(`point ${point.index} stored: ${point.document.name}`);
      nextPoint++;
    }
  };
  const onResult = (index: number, run: RunResult): Promise<void> => {
    results[index] = run;
    writing = writing.then(flush);
    return writing;
  };
  if (options.temporal !== undefined) await runTasksOnTemporal(tasks, options.temporal, onResult);
  else await runTasks(tasks, options.workers, onResult);
  await writing;
}
