/**
 * The system under test, built in one place for every run of it: a simulated
 * run, a replay of a recorded stream, a verify seed. It is the platform the
 * policy set's dunning engine names, around the context every handler shares
 * (the world's stores, the provider, the queue, the writer and the metrics).
 * What differs between a simulation and a replay (which provider, which
 * clock) is passed in; nothing here reads a file.
 */
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import type { PolicySet } from '../../../policies/sets.js';
import type { Plan } from '../../../policies/types.js';
import type { Weather } from '../faults/weather.js';
import { newFaultCounts } from '../faults/sites.js';
import type { EventQueue } from '../kernel/heap.js';
import type { Streams } from '../kernel/rng.js';
import { WebhookSlots } from '../model/delivery.js';
import type { SimProvider } from '../model/provider.js';
import { StoreWriter } from '../model/writer.js';
import type { Scenario } from '../scenario/schema.js';
import type { SimContext } from './context.js';
import { HybridPlatform } from './hybrid-platform.js';
import { LegacyPlatform } from './legacy-platform.js';
import { Metrics } from './metrics.js';
import type { Platform } from './platform.js';
import { TargetPlatform } from './target-platform.js';

/** What a run of the system is given: the policies under test and the world around them. */
export interface SystemInput {
  /** The scenario in force (weathered in a verify seed's safety phase). */
  readonly scenario: Scenario;
  readonly policies: PolicySet;
  readonly streams: Streams;
  readonly plans: readonly Plan[];
  readonly provider: SimProvider;
  readonly queue: EventQueue;
  /** The end of the workload (attempts stop, faults heal); -Infinity for a replay, which makes no attempts. */
  readonly workloadEndMs: number;
  readonly endMs: number;
  readonly startMs: number;
  readonly weather: Weather | null;
  /** The lifecycle spec the run's transitions are checked against; null: not checked. */
  readonly lifecycle: LifecycleSpec | null;
}

export interface System {
  readonly ctx: SimContext;
  readonly platform: Platform;
}

export function buildSystem(input: SystemInput): System {
  const ctx: SimContext = {
    scenario: input.scenario,
    streams: input.streams,
    weather: input.weather,
    faultsFired: newFaultCounts(),
    effectSerial: 0,
    queue: input.queue,
    plans: input.plans,
    policies: input.policies,
    accounts: [],
    provider: input.provider,
    writer: new StoreWriter(),
    metrics: new Metrics(),
    slots: new WebhookSlots(),
    mutations: [],
    workloadEndMs: input.workloadEndMs,
    endMs: input.endMs,
    nowMs: input.startMs,
    lifecycle: input.lifecycle,
    offSessionReversals: new Map(),
  };
  return { ctx, platform: platformFor(ctx) };
}

/** The platform the policy set's dunning engine names. */
function platformFor(ctx: SimContext): Platform {
  const dunning = ctx.policies.dunning;
  switch (dunning.kind) {
    case 'recompute':
      return new TargetPlatform(ctx);
    case 'legacy-processors':
      return new LegacyPlatform(ctx, dunning.processors);
    case 'hybrid':
      return new HybridPlatform(ctx, dunning.processors, dunning.engineEvents);
  }
}
