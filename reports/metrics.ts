/**
 * Every number a run is judged by, by name: the five KPIs (plus bad debt in
 * money), the recovery figures and the lifecycle-violation count. Names are the RunResult field names, so
 * `--json`, thresholds and baselines all use the same words.
 */
import type { Kpis, Recovery, RunResult } from '../sim/world/result.js';

/** Which way is better; `neutral` figures describe the world more than the policy. */
export type Better = 'lower' | 'higher' | 'neutral';

export interface Metric {
  readonly name: string;
  readonly label: string;
  readonly group: 'kpi' | 'recovery' | 'lifecycle';
  /** Where the figure sits in \`run --json\` (e.g. \`kpis.invoiceCoverage\`). */
  readonly jsonPath: string;
  readonly better: Better;
  readonly valueOf: (run: RunResult) => number;
}

type KpiName = keyof Kpis;
type RecoveryName = Exclude<keyof Recovery, 'networkRuleViolationsByRule' | 'warnings'>;

const kpi = (name: KpiName, label: string, better: Better): Metric => ({
  name,
  label,
  group: 'kpi',
  jsonPath: `kpis.${name}`,
  better,
  valueOf: (r) => r.kpis[name],
});
const recovery = (name: RecoveryName, label: string, better: Better): Metric => ({
  name,
  label,
  group: 'recovery',
  jsonPath: `recovery.${name}`,
  better,
  // A figure the run could not support is null (n/a); across seeds it is NaN, which the aggregates carry as n/a.
  valueOf: (r) => r.recovery[name] ?? Number.NaN,
});

export const METRICS: readonly Metric[] = [
  kpi('rollbacksPerDay', 'rollbacks per day', 'lower'),
  kpi('badDebtFromUpgradesPerDay', 'bad debt from upgrades per day', 'lower'),
  kpi('badDebtFromUpgradesCents', 'bad debt from upgrades (cents)', 'lower'),
  kpi('disagreeingAccounts', 'disagreeing accounts', 'lower'),
  kpi('invoiceCoverage', 'invoice coverage', 'higher'),
  kpi('dunningCodePaths', 'dunning code paths', 'lower'),
  recovery('recoveryRate', 'recovery rate', 'higher'),
  recovery('revenueRecoveredCents', 'revenue recovered (cents)', 'higher'),
  recovery('failedInvoices', 'failed invoices', 'neutral'),
  recovery('recoveredInvoices', 'recovered invoices', 'higher'),
  recovery('meanDaysToRecovery', 'mean days to recovery', 'lower'),
  recovery('involuntaryChurnPerThousand', 'involuntary churn per 1,000 accounts', 'lower'),
  recovery('involuntaryChurn', 'involuntary churn (accounts)', 'lower'),
  recovery('involuntaryChurnMonthlyRate', 'involuntary churn per month (share of subscribers)', 'lower'),
  recovery('involuntaryChurnMrrMonthlyRate', 'involuntary churn per month (share of MRR)', 'lower'),
  recovery('involuntaryChurnMrrCents', 'involuntary churn (MRR cents)', 'lower'),
  recovery('involuntaryChurnBySuspension', 'involuntary churn by suspension (accounts)', 'lower'),
  recovery('involuntaryChurnCensored', 'suspended under the churn bound at the end (accounts)', 'neutral'),
  recovery('lostInvoices', 'lost invoices', 'lower'),
  recovery('censoredInvoices', 'censored invoices', 'neutral'),
  recovery('customerHarmRestrictionDays', 'customer harm (restriction-days)', 'lower'),
  recovery('retriesPerRecovery', 'retries per recovered invoice', 'lower'),
  recovery('retriesPerFailedInvoice', 'retries per failed invoice', 'lower'),
  recovery('networkRuleViolations', 'card-network rule violations', 'lower'),
  recovery('networkFeesCents', 'card-network fees (cents)', 'lower'),
  recovery('doubleCharges', 'double charges', 'lower'),
  recovery('retriesAfterSettled', 'attempts on settled invoices', 'lower'),
  {
    name: 'lifecycleViolations',
    label: 'lifecycle violations (transitions the spec forbids)',
    group: 'lifecycle',
    jsonPath: 'lifecycle.violations',
    better: 'lower',
    // NaN, not 0, when the run was not checked against a lifecycle spec: an unchecked run has no count.
    valueOf: (r) => r.lifecycle?.violations ?? Number.NaN,
  },
];

export const KPI_METRICS: readonly Metric[] = METRICS.filter((m) => m.group === 'kpi');

const BY_NAME = new Map(METRICS.map((m) => [m.name, m]));

export function metricNamed(name: string): Metric | undefined {
  return BY_NAME.get(name);
}

export const METRIC_NAMES: readonly string[] = METRICS.map((m) => m.name);

/** Every metric's value for one run, in METRICS order. */
export function metricValues(run: RunResult): Record<string, number> {
  return Object.fromEntries(METRICS.map((m) => [m.name, m.valueOf(run)]));
}
