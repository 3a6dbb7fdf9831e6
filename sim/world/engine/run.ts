/**
 * Run a scenario under a policy set with a seed and score it.
 */
import { checkTransitions, type LifecycleSpec } from '../../../policies/lifecycle.js';
import type { PolicySet } from '../../../policies/sets.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import type { Recovery, RunResult } from '../result.js';
import type { Scenario } from '../scenario/schema.js';
import type { EventLog } from './event-log.js';
import type { SimContext } from './context.js';
import { Simulation } from './simulation.js';
import { recoveryCurvesOf } from './recovery-curves.js';
import { simulatedDaysOf } from './warm-up.js';
import { mergeTallies, tallyOf, type ShardTally } from './tally.js';

export interface RunOptions {
  /** Hears progress every 65,536 events. */
  readonly onProgress?: (events: number, nowMs: number, endMs: number) => void;
  /** Records every kernel event (for the store's `events` table). */
  readonly eventLog?: EventLog;
  /** The lifecycle spec the run's transitions are checked against; without one the result has no `lifecycle`. */
  readonly lifecycle?: LifecycleSpec;
}

export function runSimulation(
  scenario: Scenario,
  policies: PolicySet,
  seed: number,
  options: RunOptions = {},
): RunResult {
  const sim = new Simulation(
    scenario,
    policies,
    seed,
    options.lifecycle === undefined ? {} : { lifecycle: options.lifecycle },
  );
  const { onProgress } = options;
  sim.run(onProgress && ((events, nowMs) => onProgress(events, nowMs, sim.ctx.endMs)), options.eventLog);
  return resultOf(sim);
}

/** What a result is read from: a simulation, or a replay of a recorded stream. */
export interface ScoredRun {
  readonly ctx: SimContext;
  readonly scenario: Scenario;
  readonly seed: number;
}

export function resultOf(sim: ScoredRun): RunResult {
  return resultFromTallies(sim.scenario, sim.ctx.policies, sim.seed, [tallyOf(sim)], sim.ctx.lifecycle, sim.ctx.endMs);
}

/** The run's result from its shards' tallies (one for an unsharded run), in account order. */
export function resultFromTallies(
  scenario: Scenario,
  policies: PolicySet,
  seed: number,
  tallies: readonly ShardTally[],
  lifecycle: LifecycleSpec | null = null,
  endMs = (simulatedDaysOf(scenario) + scenario.settleDays) * MS_PER_DAY,
): RunResult {
  const t = mergeTallies(tallies);
  const c = t.counters;
  const transitions = Object.fromEntries(Object.entries(t.transitions).sort(([a], [b]) => a.localeCompare(b)));
  return {
    seed,
    policies: policies.name,
    scenario: scenario.name,
    days: scenario.days,
    settleDays: scenario.settleDays,
    accounts: scenario.accounts,
    events: t.accountEvents + t.dayEvents,
    parameters: parametersOf(scenario, policies),
    kpis: {
      rollbacksPerDay: c.rollbacks / scenario.days,
      badDebtFromUpgradesPerDay: c.badDebtUpgrades / scenario.days,
      badDebtFromUpgradesCents: c.badDebtCents,
      disagreeingAccounts: c.disagreeing,
      invoiceCoverage: c.invoiceEventsDelivered === 0 ? 1 : c.invoiceEventsCovered / c.invoiceEventsDelivered,
      dunningCodePaths: Object.keys(t.dunningWriterFirstRow).length,
    },
    drift: t.drift,
    recovery: recoveryOf(scenario, t),
    recoveryCurves: recoveryCurvesOf(t.invoices, endMs),
    transitions,
    lifecycle: lifecycle === null ? undefined : checkTransitions(lifecycle, transitions),
    writesByCodePath: t.writesByCodePath,
    daily: t.daily,
    invoices: t.invoices,
  };
}

function recoveryOf(scenario: Scenario, t: ShardTally): Recovery {
  const c = t.counters;
  const failed = t.invoices;
  const recovered = failed.filter((i) => i.status === 'paid');
  const violations = Object.values(t.networkViolations).reduce((s, n) => s + n, 0);
  return {
    recoveryRate: failed.length === 0 ? 1 : recovered.length / failed.length,
    revenueRecoveredCents: recovered.reduce((s, i) => s + i.amountCents, 0),
    failedInvoices: failed.length,
    recoveredInvoices: recovered.length,
    meanDaysToRecovery: mean(recovered.map((i) => (i.paidAtMs - i.firstFailedAtMs) / MS_PER_DAY)),
    involuntaryChurnPerThousand: (c.involuntaryChurn * 1000) / scenario.accounts,
    involuntaryChurn: c.involuntaryChurn,
    customerHarmRestrictionDays: c.harmMs / MS_PER_DAY,
    retriesPerRecovery: mean(recovered.map((i) => i.attempts - 1)),
    networkRuleViolations: violations,
    networkRuleViolationsByRule: { ...t.networkViolations },
    doubleCharges: c.doubleCharges,
    retriesAfterSettled: c.retriesAfterSettled,
    contactsSent: c.contactsSent,
    contactsToCustomersOwingNothing: c.contactsOwingNothing,
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Every parameter the run used, for the header and the store. */
export function parametersOf(scenario: Scenario, policies: PolicySet): Record<string, unknown> {
  return {
    scenario,
    policies: {
      name: policies.name,
      ordering: policies.ordering.name,
      dunning: policies.dunning.kind,
      retry: { name: policies.retry.name, ...policies.retry.params },
      ladder: policies.ladder.name,
      ...(policies.networkLimits !== undefined ? { networkLimits: policies.networkLimits } : {}),
      ...(policies.contact !== undefined
        ? { contact: { name: policies.contact.name, ...policies.contact.params } }
        : {}),
    },
  };
}
