/**
 * The recompute engine's output: the minimal diff to the platform's five
 * stores, the provider commands, and the domain events. Data only.
 */
import type { BillingProdRow, CfProdRow, SubsAccountRow, SubsCustomerRow, SubsDunningRow } from '../account.js';
import type { ConsequenceLevel } from '../types.js';

export type ProviderCommand =
  | { readonly kind: 'mark_uncollectible'; readonly invoiceId: number }
  | { readonly kind: 'cancel_subscription'; readonly when: 'immediately' | 'end_of_term' }
  /** Undo a cancellation scheduled for the end of the term (the debt was settled). */
  | { readonly kind: 'resume_subscription' };

export type DomainEvent =
  | { readonly type: 'dunning.started'; readonly invoiceId: number }
  | { readonly type: 'dunning.ended'; readonly invoiceId: number }
  | { readonly type: 'consequence.changed'; readonly from: ConsequenceLevel; readonly to: ConsequenceLevel }
  | { readonly type: 'invoice.written_off'; readonly invoiceId: number };

export interface AccountDiff {
  readonly billingProd: readonly BillingProdRow[];
  readonly subsAccount: Partial<SubsAccountRow> | null;
  readonly subsCustomer: Partial<SubsCustomerRow> | null;
  readonly subsDunning: Partial<SubsDunningRow> | null;
  readonly cfProd: Partial<CfProdRow> | null;
  readonly commands: readonly ProviderCommand[];
  readonly domainEvents: readonly DomainEvent[];
  /** When to recompute again with no event (a retry falls due, a ladder threshold passes); -1 for never. */
  readonly wakeAtMs: number;
  /** When the next retry falls due; -1 for none. */
  readonly retryAtMs: number;
  /** When the consequence ladder's answer next changes with time alone; -1 for never. */
  readonly ladderReviewAtMs: number;
}

/** No store write and no provider command: the stores already hold the truth. */
export function isEmptyDiff(diff: AccountDiff): boolean {
  return (
    diff.billingProd.length === 0 &&
    diff.subsAccount === null &&
    diff.subsCustomer === null &&
    diff.subsDunning === null &&
    diff.cfProd === null &&
    diff.commands.length === 0
  );
}

/** The fields of `want` (a plain row) that differ from `have`, or null when none do; allocates only a change. */
export function changedFields<T extends object>(have: T, want: T): Partial<T> | null {
  let changed: Partial<T> | null = null;
  for (const key in want) {
    if (have[key] !== want[key]) {
      changed ??= {};
      changed[key] = want[key];
    }
  }
  return changed;
}
