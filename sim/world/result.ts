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

/**
 * Recovery, churn and harm figures (docs/kpis.md). A figure the run cannot
 * support (nothing failed, nothing recovered, no subscriber at risk) is null,
 * printed "n/a", and `warnings` says why.
 */
export interface Recovery {
  /**
   * Failed renewal invoices with a final outcome that were paid: recovered / (recovered + lost).
   * An invoice still open at the end while its subscriber is not lost is censored, in neither.
   */
  readonly recoveryRate: number | null;
  readonly revenueRecoveredCents: number;
  /** Renewal invoices that failed at least once. */
  readonly failedInvoices: number;
  readonly recoveredInvoices: number;
  /** Failed invoices closed unpaid (void, uncollectible) or left open on a subscriber lost to failed payment. */
  readonly lostInvoices: number;
  /** Failed invoices still open at the end on a subscriber not lost: no outcome yet. */
  readonly censoredInvoices: number;
  /** Mean days from first failure to payment, over recovered invoices. */
  readonly meanDaysToRecovery: number | null;
  /** Subscribers lost to failed payment (canceled for non-payment, or suspended past the bound) in the window. */
  readonly involuntaryChurn: number;
  /** The same, per 1,000 subscribers at risk (not lost before the window). */
  readonly involuntaryChurnPerThousand: number | null;
  /** Of those, lost by a suspension past `kpis.involuntaryChurnSuspendedDays` before any cancellation. */
  readonly involuntaryChurnBySuspension: number;
  /** Subscribers suspended at the end for less than the bound: not (yet) lost, and not known to stay. */
  readonly involuntaryChurnCensored: number;
  /** Share of the subscribers at risk lost per 30-day month of the window (workload and settle). */
  readonly involuntaryChurnMonthlyRate: number | null;
  /** Monthly recurring revenue of the lost subscribers, when lost. */
  readonly involuntaryChurnMrrCents: number;
  /** Share of the window-start MRR lost per 30-day month. */
  readonly involuntaryChurnMrrMonthlyRate: number | null;
  /** Restriction-days of customers who owed nothing (had already paid, or never failed). */
  readonly customerHarmRestrictionDays: number;
  /** Collection attempts after the first, per recovered invoice. */
  readonly retriesPerRecovery: number | null;
  /** Collection attempts after the first, per lost invoice. */
  readonly retriesPerFailedInvoice: number | null;
  readonly networkRuleViolations: number;
  readonly networkRuleViolationsByRule: Readonly<Record<string, number>>;
  /** What those violations cost in network fees (US domestic figures, docs/network-rules.md). */
  readonly networkFeesCents: number;
  readonly doubleCharges: number;
  /** Attempts made on an invoice already paid, voided or written off. */
  readonly retriesAfterSettled: number;
  /** Why a figure is null. */
  readonly warnings: readonly string[];
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
  /** When the invoice's subscriber was lost to failed payment; -1 if not (absent from results stored before). */
  readonly subscriberLostAtMs?: number;
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
