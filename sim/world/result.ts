/**
 * The result of one simulated run: what `billsim run --json` prints and what
 * the reports, the store and the gate consume. Money in integer cents.
 */
import type { LifecycleCheck } from '../../policies/lifecycle.js';
import type { ConsequenceLevel, DeclineCode, ProviderInvoiceStatus } from '../../policies/types.js';

export interface Kpis {
  /** Commits reverted because payment failed after commit, per simulated workload day. */
  readonly rollbacksPerDay: number;
  /** Upgrades whose entitlements took effect and were never paid, per workload day. */
  readonly badDebtFromUpgradesPerDay: number;
  /** Same upgrades, in money: the unpaid upgrade amounts. */
  readonly badDebtFromUpgradesCents: number;
  /** Accounts breaking at least one cross-store invariant at the end of the settle window. */
  readonly disagreeingAccounts: number;
  /** Share (0..1) of distinct invoice lifecycle events that a dunning code path handled and reconciled. */
  readonly invoiceCoverage: number;
  /** Distinct code paths that wrote dunning or delinquency state during the run. */
  readonly dunningCodePaths: number;
}

export interface Recovery {
  /** Invoices paid after failing at least once / invoices that failed at least once. */
  readonly recoveryRate: number;
  readonly revenueRecoveredCents: number;
  readonly failedInvoices: number;
  readonly recoveredInvoices: number;
  /** Mean days from first failure to payment, over recovered invoices. */
  readonly meanDaysToRecovery: number;
  /** Subscriptions canceled for non-payment, per 1,000 accounts. */
  readonly involuntaryChurnPerThousand: number;
  readonly involuntaryChurn: number;
  /** Restriction-days of customers who owed nothing (had already paid, or never failed). */
  readonly customerHarmRestrictionDays: number;
  /** Collection attempts after the first, per recovered invoice. */
  readonly retriesPerRecovery: number;
  readonly networkRuleViolations: number;
  readonly networkRuleViolationsByRule: Readonly<Record<string, number>>;
  readonly doubleCharges: number;
  /** Attempts made on an invoice already paid, voided or written off. */
  readonly retriesAfterSettled: number;
  /** Dunning contacts sent (the policy set's contact schedule; 0 without one). */
  readonly contactsSent: number;
  /** Of those, contacts about an invoice already paid or voided at the provider: customers asked for money they did not owe. */
  readonly contactsToCustomersOwingNothing: number;
}

/** One row a simulated day. Counters are cumulative up to the end of that day, gauges are as of it. */
export interface DailyRow {
  readonly day: number;
  readonly rollbacks: number;
  readonly badDebtUpgrades: number;
  readonly disagreeingAccounts: number;
  readonly invoiceEventsCovered: number;
  readonly invoiceEvents: number;
  readonly dunningCodePaths: number;
  readonly recoveredInvoices: number;
  readonly failedInvoices: number;
  /** Accounts at each consequence level at the end of the day. */
  readonly consequenceOccupancy: Readonly<Record<ConsequenceLevel, number>>;
  /** Accounts breaking each named invariant at the end of the day. */
  readonly drift: Readonly<Record<string, number>>;
}

/** Final state and recovery timeline of one invoice. */
export interface InvoiceRow {
  readonly invoiceId: number;
  readonly accountId: number;
  readonly kind: 'renewal' | 'upgrade';
  readonly amountCents: number;
  readonly status: ProviderInvoiceStatus;
  readonly createdAtMs: number;
  readonly firstFailedAtMs: number;
  readonly paidAtMs: number;
  readonly attempts: number;
  readonly firstDeclineCode: DeclineCode | null;
}

/** One day of a recovery curve: day d covers recoveries within d days of the first failure. */
export interface RecoveryCurvePoint {
  readonly day: number;
  /** Invoices still watched and unpaid at the start of the day's step (d − 1, d]. */
  readonly atRisk: number;
  /** Kaplan–Meier share recovered by day d (censored at the run's end); null when nothing was watched that long. */
  readonly recoveredShare: number | null;
  /** 95 % band (Greenwood, log(−log) scale). */
  readonly low: number | null;
  readonly high: number | null;
  /** Revenue of the group's invoices paid by day d (observed). */
  readonly recoveredCents: number;
}

export interface RecoveryCurve {
  /** The first decline reason, or `all`. */
  readonly reason: string;
  readonly failedInvoices: number;
  readonly recoveredInvoices: number;
  /** Unpaid when the run ended: censored, not counted as unrecoverable. */
  readonly censoredInvoices: number;
  readonly failedCents: number;
  /** The day (1 = the first 24 hours) in which the largest share recovered; null when none did. */
  readonly peakDay: number | null;
  readonly points: readonly RecoveryCurvePoint[];
}

export interface RecoveryCurves {
  readonly horizonDays: number;
  readonly confidence: number;
  /** By first decline reason (largest first), then `all`; empty when nothing failed. */
  readonly curves: readonly RecoveryCurve[];
}

export interface RunResult {
  readonly seed: number;
  readonly policies: string;
  readonly scenario: string;
  readonly days: number;
  readonly settleDays: number;
  readonly accounts: number;
  /** Kernel events processed. */
  readonly events: number;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly kpis: Kpis;
  /** Accounts breaking each named invariant at the end of the settle window. */
  readonly drift: Readonly<Record<string, number>>;
  readonly recovery: Recovery;
  /** Recovery curves by day since first failure (absent from results stored before they existed). */
  readonly recoveryCurves?: RecoveryCurves;
  /** Lifecycle transitions taken, by "from->to". */
  readonly transitions: Readonly<Record<string, number>>;
  /**
   * The transitions checked against policies/lifecycle.yaml: those the spec
   * does not allow (each an invariant failure), and the spec's coverage.
   * Absent from results stored before the check existed.
   */
  readonly lifecycle?: LifecycleCheck;
  /** Code paths that wrote each store, with write counts. */
  readonly writesByCodePath: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly daily: readonly DailyRow[];
  readonly invoices: readonly InvoiceRow[];
}
