/**
 * Shrinking a failing stream to a small replay file: delta debugging
 * (Zeller's ddmin) over the events, keeping a subset only while `billsim
 * replay`'s engine still breaks the same invariant on it. And the way a
 * weather failure becomes a stream: its seed re-run with only the failing
 * account, that account's events exported as `billsim run --export-events`
 * writes them.
 */
import { rmSync } from 'node:fs';
import { ensureDir } from '../../lib/atomic-write.js';
import { dirname } from 'node:path';
import type Stripe from 'stripe';
import type { PolicySet } from '../../../policies/sets.js';
import { Simulation, type EventSink } from '../../world/engine/simulation.js';
import type { ReplayHeader } from '../replay/format.js';
import { readReplayRecords, replayHeader } from '../replay/format.js';
import { EventExporter } from '../replay/export.js';
import { replayAndCheck } from '../replay/verdict.js';
import { plainReplayOptions } from '../replay/replay.js';
import type { Scenario } from '../../world/scenario/schema.js';
import type { AccountState } from '../../world/model/state.js';
import type { ShrunkFailure } from './batch.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

/** The invariants a stream (header first, if any) breaks under `billsim replay` (with the order check when asked). */
export async function brokenByReplay(
  stream: readonly unknown[],
  policies: PolicySet,
  checkOrder: boolean | 'auto',
): Promise<string[]> {
  const checked = await replayAndCheck(stream, plainReplayOptions(policies, lifecycleSpec()), checkOrder);
  return checked.invariants.filter((i) => i.status === 'failed').map((i) => i.name);
}

/**
 * ddmin: the smallest subset (1-minimal, within `testsMax` replays) of `events`
 * for which `fails` still holds. `fails(events)` is assumed true.
 */
export async function ddmin<T>(
  events: readonly T[],
  fails: (subset: readonly T[]) => Promise<boolean>,
  testsMax = 400,
): Promise<T[]> {
  let current = [...events],
    chunks = 2,
    tests = 0;
  while (current.length >= 2 && tests < testsMax) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length && tests < testsMax; start += size) {
      const complement = [...current.slice(0, start), ...current.slice(start + size)];
      tests++;
      if (complement.length > 0 && (await fails(complement))) {
        current = complement;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (chunks >= current.length) break;
    chunks = Math.min(chunks * 2, current.length);
  }
  return current;
}

/** The latest `created` of a stream, in ms. */
function lastCreatedMs(events: readonly Stripe.Event[]): number {
  return events.reduce((m, e) => Math.max(m, e.created * 1000), 0);
}

/**
 * A stream for `events` that ends where the original ended: the settle window
 * is stretched so that the last `created` plus it is `endAtMs` (epoch ms).
 */
export function withEnd(
  events: readonly Stripe.Event[],
  endAtMs: number,
  fields: Omit<ReplayHeader, 'object' | 'version'>,
): unknown[] {
  return [replayHeader({ ...fields, settleMs: endAtMs - lastCreatedMs(events) }), ...events];
}

/** Shrinks a stream while it still breaks `invariant` under `policies`; keeps the original end of the replay. */
export async function shrinkStream(
  events: readonly Stripe.Event[],
  endAtMs: number,
  policies: PolicySet,
  invariant: string,
  fields: Omit<ReplayHeader, 'object' | 'version'>,
): Promise<Stripe.Event[]> {
  return ddmin(events, async (subset) =>
    (await brokenByReplay(withEnd(subset, endAtMs, { ...fields, invariant }), policies, 'auto')).includes(invariant),
  );
}

/** Sees only the chosen accounts (the others are idle in an `onlyAccounts` run; their customers are left out). */
class OnlySink implements EventSink {
  constructor(
    private readonly inner: EventSink,
    private readonly only: ReadonlySet<number>,
  ) {}
  start(accounts: readonly AccountState[]): void {
    this.inner.start(accounts.filter((a) => this.only.has(a.accountId)));
  }
  created(...args: Parameters<EventSink['created']>): void {
    this.inner.created(...args);
  }
  delivered(...args: Parameters<EventSink['delivered']>): void {
    this.inner.delivered(...args);
  }
}

export interface AccountStream {
  readonly events: Stripe.Event[];
  /** When the run's replay ends (epoch ms): the last `created` plus the exported settle window. */
  readonly endAtMs: number;
}

/** Re-runs a weather failure's seed with only its account and the sites it needs; that account's events, as exported. */
export async function accountStream(
  scenario: Scenario,
  policies: PolicySet,
  f: ShrunkFailure,
  tmpPath: string,
): Promise<AccountStream> {
  const only = new Set([f.accountId]);
  const sim = new Simulation(scenario, policies, f.seed, { weather: f.weather, onlyAccounts: only });
  ensureDir(dirname(tmpPath));
  const exporter = new EventExporter(tmpPath, sim.ctx.plans);
  try {
    sim.observeEvents(new OnlySink(exporter, only));
    sim.run();
    exporter.finish(sim.ctx.endMs, f.seed, 'billsim verify');
  } catch (error) {
    exporter.abort();
    throw error;
  }
  const events: Stripe.Event[] = [];
  let settleMs = 0;
  for await (const r of readReplayRecords(tmpPath)) {
    if (r.kind === 'event') events.push(r.event);
    else if (r.kind === 'header') settleMs = r.header.settleMs ?? 0;
  }
  rmSync(tmpPath, { force: true });
  return { events, endAtMs: lastCreatedMs(events) + settleMs };
}
