/**
 * What a run counts, as it goes. Per-account gauges (broken invariants,
 * consequence level, harm) are updated incrementally by the online checker,
 * so a daily row costs O(invariants), not O(accounts).
 */
import type { OffSessionFlow } from '../../../policies/ordering/by-session.js';
import { NETWORK_RULES, type NetworkRule } from '../../../policies/network-rules.js';
import { CONSEQUENCE_LEVELS, type ConsequenceLevel } from '../../../policies/types.js';
import { INVARIANT_NAMES } from '../check/invariants.js';
import type { DailyRow } from '../result.js';

export class Metrics {
  rollbacks = 0;
  /** The rollbacks of off-session flows, by flow (the rest of `rollbacks` are on-session upgrades'). */
  readonly rollbacksByFlow: Record<OffSessionFlow, number> = { renewal: 0, finalization: 0, retry: 0 };
  badDebtUpgrades = 0;
  badDebtCents = 0;
  invoiceEventsDelivered = 0;
  invoiceEventsCovered = 0;
  doubleCharges = 0;
  retriesAfterSettled = 0;
  /** Subscribers lost to failed payment (sim/world/engine/churn.ts), their MRR, and how many by a long suspension. */
  involuntaryChurn = 0;
  involuntaryChurnMrrCents = 0;
  involuntaryChurnBySuspension = 0;
  /** Subscribers suspended at the end for less than the bound: whether they are lost is not known yet. */
  involuntaryChurnCensored = 0;
  /** Dunning contacts sent (the policy set's contact schedule), and those about an invoice already paid or voided. */
  contactsSent = 0;
  contactsOwingNothing = 0;
  harmMs = 0;
  /** What the network-rule violations cost in fees (policies/network-rules.ts). */
  networkFeesCents = 0;
  events = 0;
  readonly networkViolations: Record<NetworkRule, number> = Object.fromEntries(
    NETWORK_RULES.map((r) => [r, 0]),
  ) as Record<NetworkRule, number>;
  /** Accounts currently breaking each invariant, and at least one. */
  readonly brokenByInvariant = new Int32Array(INVARIANT_NAMES.length);
  disagreeing = 0;
  /** Accounts at each consequence level (index = severity). */
  readonly occupancy = new Int32Array(CONSEQUENCE_LEVELS.length);
  readonly transitions = new Map<string, number>();
  readonly daily: DailyRow[] = [];

  updateBroken(before: number, after: number): void {
    if (before === after) return;
    const changed = before ^ after;
    for (let k = 0; k < INVARIANT_NAMES.length; k++) {
      if ((changed & (1 << k)) !== 0) this.brokenByInvariant[k]! += (after & (1 << k)) !== 0 ? 1 : -1;
    }
    if (before === 0) this.disagreeing++;
    else if (after === 0) this.disagreeing--;
  }

  transition(from: string, to: string): void {
    const key = `${from}->${to}`;
    this.transitions.set(key, (this.transitions.get(key) ?? 0) + 1);
  }

  driftRecord(): Record<string, number> {
    return Object.fromEntries(INVARIANT_NAMES.map((name, k) => [name, this.brokenByInvariant[k]!]));
  }

  occupancyRecord(): Record<ConsequenceLevel, number> {
    return Object.fromEntries(CONSEQUENCE_LEVELS.map((level, k) => [level, this.occupancy[k]!])) as Record<
      ConsequenceLevel,
      number
    >;
  }

  recordDay(day: number, dunningCodePaths: number, failedInvoices: number, recoveredInvoices: number): void {
    this.daily.push({
      day,
      rollbacks: this.rollbacks,
      badDebtUpgrades: this.badDebtUpgrades,
      disagreeingAccounts: this.disagreeing,
      invoiceEventsCovered: this.invoiceEventsCovered,
      invoiceEvents: this.invoiceEventsDelivered,
      dunningCodePaths,
      recoveredInvoices,
      failedInvoices,
      consequenceOccupancy: this.occupancyRecord(),
      drift: this.driftRecord(),
    });
  }
}
