/**
 * Run a scenario under a policy set with a seed and score it.
 */
import { checkTransitions } from '../../policies/lifecycle.js';
import type { PolicySet } from '../../policies/sets.js';
import { MS_PER_DAY } from '../../policies/types.js';
import type { InvoiceRow, Recovery, RunResult } from '../result.js';
import { lifecycleSpec } from '../lifecycle/spec.js';
import type { Scenario } from '../scenario/schema.js';
import type { SimInvoice } from '../world/state.js';
import type { EventLog } from './event-log.js';
import type { SimContext } from './context.js';
import { Simulation } from './simulation.js';

export interface RunOptions {
  /** Hears progress every 65,536 events. */
  readonly onProgress?: (events: number, nowMs: number, endMs: number) => void;
  /** Records every kernel event (for the store's `events` table). */
  readonly eventLog?: EventLog;
}

export function runSimulation(scenario: Scenario, policies: PolicySet, seed: number, options: RunOptions = {}): RunResult {
  const sim = new Simulation(scenario, policies, seed);
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
  const { ctx, scenario } = sim;
  const m = ctx.metrics;
  const invoices = ctx.accounts.flatMap((a) => a.stripe.invoices);
  const transitions = Object.fromEntries([...m.transitions.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return {
    seed: sim.seed,
    policies: ctx.policies.name,
    scenario: scenario.name,
    days: scenario.days,
    settleDays: scenario.settleDays,
    accounts: scenario.accounts,
    events: m.events,
    parameters: parametersOf(scenario, ctx.policies),
    kpis: {
      rollbacksPerDay: m.rollbacks / scenario.days,
      badDebtFromUpgradesPerDay: m.badDebtUpgrades / scenario.days,
      badDebtFromUpgradesCents: m.badDebtCents,
      disagreeingAccounts: m.disagreeing,
      invoiceCoverage: m.invoiceEventsDelivered === 0 ? 1 : m.invoiceEventsCovered / m.invoiceEventsDelivered,
      dunningCodePaths: ctx.writer.dunningWriters.size,
    },
    drift: m.driftRecord(),
    recovery: recoveryOf(sim, invoices),
    transitions,
    lifecycle: checkTransitions(lifecycleSpec(), transitions),
    writesByCodePath: ctx.writer.codePathsTable(),
    daily: m.daily,
    invoices: invoices.filter((i) => i.kind === 'renewal' && i.firstFailedAtMs >= 0).map(invoiceRow),
  };
}

function recoveryOf(sim: ScoredRun, invoices: readonly SimInvoice[]): Recovery {
  const { ctx, scenario } = sim;
  const m = ctx.metrics;
  const failed = invoices.filter((i) => i.kind === 'renewal' && i.firstFailedAtMs >= 0);
  const recovered = failed.filter((i) => i.status === 'paid');
  const violations = Object.values(m.networkViolations).reduce((s, n) => s + n, 0);
  return {
    recoveryRate: failed.length === 0 ? 1 : recovered.length / failed.length,
    revenueRecoveredCents: recovered.reduce((s, i) => s + i.amountCents, 0),
    failedInvoices: failed.length,
    recoveredInvoices: recovered.length,
    meanDaysToRecovery: mean(recovered.map((i) => (i.paidAtMs - i.firstFailedAtMs) / MS_PER_DAY)),
    involuntaryChurnPerThousand: (m.involuntaryChurn * 1000) / scenario.accounts,
    involuntaryChurn: m.involuntaryChurn,
    customerHarmRestrictionDays: m.harmMs / MS_PER_DAY,
    retriesPerRecovery: mean(recovered.map((i) => i.attempts.length - 1)),
    networkRuleViolations: violations,
    networkRuleViolationsByRule: { ...m.networkViolations },
    doubleCharges: m.doubleCharges,
    retriesAfterSettled: m.retriesAfterSettled,
  };
}

function invoiceRow(i: SimInvoice): InvoiceRow {
  return {
    invoiceId: i.id, accountId: i.accountId, kind: i.kind, amountCents: i.amountCents,
    status: i.status, createdAtMs: i.createdAtMs, firstFailedAtMs: i.firstFailedAtMs, paidAtMs: i.paidAtMs,
    attempts: i.attempts.length, firstDeclineCode: i.attempts.find((x) => x.declineCode !== null)?.declineCode ?? null,
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
      name: policies.name, ordering: policies.ordering.name, dunning: policies.dunning.kind,
      retry: { name: policies.retry.name, ...policies.retry.params }, ladder: policies.ladder.name,
      ...(policies.networkLimits !== undefined ? { networkLimits: policies.networkLimits } : {}),
    },
  };
}
