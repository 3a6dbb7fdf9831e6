/**
 * What every handler in a run shares: the scenario, the seeded streams, the
 * queue, the world (accounts and provider), the writer and the metrics.
 */
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import type { PolicySet } from '../../../policies/sets.js';
import type { Plan } from '../../../policies/types.js';
import type { EventQueue } from '../kernel/heap.js';
import type { Streams } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';
import type { WebhookSlots } from '../model/delivery.js';
import type { SimProvider } from '../model/provider.js';
import type { AccountState } from '../model/state.js';
import type { StoreWriter } from '../model/writer.js';
import type { Metrics } from './metrics.js';
import type { FaultSite, Weather } from '../faults/weather.js';
import type { OffSessionReversal } from './off-session.js';

/** An on-session upgrade request and what became of it. */
export interface Mutation {
  readonly id: number;
  readonly accountId: number;
  readonly fromPlanId: number;
  readonly toPlanId: number;
  readonly amountCents: number;
  /** The mutation this one repeats after a timeout; -1 if none. */
  readonly retryOf: number;
  paid: boolean;
  /** The provider applied the change before its payment (payment_behavior default_incomplete on the update). */
  appliedBeforePayment: boolean;
  committedAtMs: number;
  /** Effect sequence numbers (ctx.effectSerial) of the commit and of the succeeded payment; -1 if never. */
  committedSeq: number;
  paidSeq: number;
}

export interface SimContext {
  /** The scenario in force: weathered in the safety phase, healed in the liveness phase. */
  scenario: Scenario;
  readonly streams: Streams;
  readonly queue: EventQueue;
  readonly plans: readonly Plan[];
  readonly policies: PolicySet;
  readonly accounts: AccountState[];
  readonly provider: SimProvider;
  readonly writer: StoreWriter;
  readonly metrics: Metrics;
  readonly slots: WebhookSlots;
  readonly mutations: Mutation[];
  readonly workloadEndMs: number;
  readonly endMs: number;
  nowMs: number;
  /** The run's fault weather; null for a plain run. */
  readonly weather: Weather | null;
  readonly faultsFired: Record<FaultSite, number>;
  /** Orders effects that happen within one instant (commit, payment). */
  effectSerial: number;
  /** The lifecycle spec the run's transitions are checked against; null when the tool passed none. */
  readonly lifecycle: LifecycleSpec | null;
  /** Off-session reversals on their way (late rollbacks), by account and the fault serial they were queued at. */
  readonly offSessionReversals: Map<string, OffSessionReversal>;
}

/** Is the run past its workload, in the settle window? */
export function settling(ctx: SimContext): boolean {
  return ctx.nowMs >= ctx.workloadEndMs;
}

/** A fault draw for this account (its own serial keeps draws aligned across policies). */
export function faultDraw(ctx: SimContext, a: AccountState, slot: number): number {
  return ctx.streams.faults.u01(a.accountId, a.sim.faultSerial++, slot);
}

/** An exponential delay with the given mean, from the workload stream. */
export function workloadDelayMs(ctx: SimContext, a: AccountState, meanMs: number, slot: number): number {
  const u = ctx.streams.workload.u01(a.accountId, a.sim.workloadSerial++, slot);
  return Math.max(1, Math.round(-Math.log(1 - u) * meanMs));
}

export function workloadChance(ctx: SimContext, a: AccountState, p: number, slot: number): boolean {
  return ctx.streams.workload.chance(p, a.accountId, a.sim.workloadSerial++, slot);
}
