/**
 * Run a scenario under a policy set with a seed and score it.
 */
import { checkTransitions, type LifecycleSpec } from '../../../policies/lifecycle.js';
import type { PolicySet } from '../../../policies/sets.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import type { InvoiceRow, Recovery, RunResult } from '../result.js';
import { MONTH_MS } from '../model/population.js';
import type { Scenario } from '../scenario/schema.js';
import type { EventLog } from './event-log.js';
import type { SimContext } from './context.js';
import { Simulation } from './simulation.js';
import { recoveryCurvesOf } from './recovery-curves.js';
import { simulatedDaysOf } from './warm-up.js';
import { mergeTallies, tallyOf, type ShardTally, type TallyCounters } from './tally.js';

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
  const warnings: string[] = [];
  const { recovered, lost, censored } = outcomesOf(t.invoices);
  const violations = Object.values(t.networkViolations).reduce((s, n) => s + n, 0);
  const decided = recovered.length + lost.length;
  if (decided === 0)
    warnings.push(
      t.invoices.length === 0
        ? 'recovery rate n/a: no renewal invoice failed'
        : `recovery rate n/a: all ${censored.length} failed invoices are still in recovery (censored)`,
    );
  return {
    recoveryRate: decided === 0 ? null : recovered.length / decided,
    revenueRecoveredCents: recovered.reduce((s, i) => s + i.amountCents, 0),
    failedInvoices: t.invoices.length,
    recoveredInvoices: recovered.length,
    lostInvoices: lost.length,
    censoredInvoices: censored.length,
    meanDaysToRecovery: meanOrNull(
      recovered.map((i) => (i.paidAtMs - i.firstFailedAtMs) / MS_PER_DAY),
      'mean days to recovery',
      warnings,
    ),
    ...churnOf(scenario, c, warnings),
    customerHarmRestrictionDays: c.harmMs / MS_PER_DAY,
    retriesPerRecovery: meanOrNull(
      recovered.map((i) => i.attempts - 1),
      'retries per recovered invoice',
      warnings,
    ),
    retriesPerFailedInvoice: meanOrNull(
      lost.map((i) => i.attempts - 1),
      'retries per failed invoice',
      warnings,
    ),
    networkRuleViolations: violations,
    networkRuleViolationsByRule: { ...t.networkViolations },
    networkFeesCents: c.networkFeesCents,
    doubleCharges: c.doubleCharges,
    retriesAfterSettled: c.retriesAfterSettled,
    warnings,
    contactsSent: c.contactsSent,
    contactsToCustomersOwingNothing: c.contactsOwingNothing,
  };
}

/**
 * Each failed renewal invoice's outcome at the end: recovered (paid), lost (closed unpaid, or
 * still open on a subscriber lost to failed payment) or censored (open, subscriber not lost).
 */
export function outcomesOf(invoices: readonly InvoiceRow[]): Record<'recovered' | 'lost' | 'censored', InvoiceRow[]> {
  const out = { recovered: [] as InvoiceRow[], lost: [] as InvoiceRow[], censored: [] as InvoiceRow[] };
  for (const i of invoices) {
    if (i.status === 'paid') out.recovered.push(i);
    else if (i.status !== 'open' || (i.subscriberLostAtMs ?? -1) >= 0) out.lost.push(i);
    else out.censored.push(i);
  }
  return out;
}

type ChurnFigures = Pick<
  Recovery,
  | 'involuntaryChurn'
  | 'involuntaryChurnPerThousand'
  | 'involuntaryChurnBySuspension'
  | 'involuntaryChurnCensored'
  | 'involuntaryChurnMonthlyRate'
  | 'involuntaryChurnMrrCents'
  | 'involuntaryChurnMrrMonthlyRate'
>;

/** Subscribers lost to failed payment, per 1,000 at risk and per month, by count and by MRR. */
function churnOf(scenario: Scenario, c: TallyCounters, warnings: string[]): ChurnFigures {
  const months = ((scenario.days + scenario.settleDays) * MS_PER_DAY) / MONTH_MS;
  const perSubscriber = c.subscribersAtRisk === 0 ? null : c.involuntaryChurn / c.subscribersAtRisk;
  if (perSubscriber === null) warnings.push('involuntary churn rate n/a: no subscriber at risk in the window');
  if (c.mrrAtRiskCents === 0) warnings.push('involuntary MRR churn rate n/a: no recurring revenue at risk');
  return {
    involuntaryChurn: c.involuntaryChurn,
    involuntaryChurnPerThousand: perSubscriber === null ? null : perSubscriber * 1000,
    involuntaryChurnBySuspension: c.involuntaryChurnBySuspension,
    involuntaryChurnCensored: c.involuntaryChurnCensored,
    involuntaryChurnMonthlyRate: perSubscriber === null ? null : perSubscriber / months,
    involuntaryChurnMrrCents: c.involuntaryChurnMrrCents,
    involuntaryChurnMrrMonthlyRate:
      c.mrrAtRiskCents === 0 ? null : c.involuntaryChurnMrrCents / c.mrrAtRiskCents / months,
  };
}

/** The mean, or null with a warning when there is nothing to average. */
function meanOrNull(values: readonly number[], what: string, warnings: string[]): number | null {
  if (values.length === 0) {
    warnings.push(`${what} n/a: no such invoice`);
    return null;
  }
  return values.reduce((s, v) => s + v, 0) / values.length;
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
