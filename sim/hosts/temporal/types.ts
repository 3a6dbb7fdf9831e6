/**
 * What goes in and out of the dunning workflow: plain JSON-safe data (it is
 * stored in the workflow's history). Workflow code imports this file, so it
 * imports nothing but types.
 */
import type { AccountSnapshot } from '../../../policies/account.js';
import type { ProviderCommand } from '../../../policies/dunning/diff.js';
import type {
  CardBrand,
  ConsequenceLevel,
  DeclineCode,
  Plan,
  PlatformInvoiceStatus,
  ProviderInvoiceStatus,
  SubscriptionStatus,
} from '../../../policies/types.js';
import type { PolicyDocument } from '../../../policies/document.js';

/** A payment method the workflow may charge: the policies' numeric id, the provider's id and the brand. */
export interface PaymentMethodRef {
  readonly id: number;
  readonly providerId: string;
  readonly brand: CardBrand;
}

/** The provider's ids for the objects the workflow touches. */
export interface ProviderRefs {
  /** Provider invoice id by the policies' numeric invoice id. */
  readonly invoiceIds: Readonly<Record<string, string>>;
  readonly subscriptionId: string;
  readonly paymentMethods: readonly PaymentMethodRef[];
}

export interface DunningInput {
  /** All six stores as read when the invoice failed (the invoice carries its first failed attempt). */
  readonly snapshot: AccountSnapshot;
  /** The failed invoice this workflow recovers. */
  readonly invoiceId: number;
  /** The time the snapshot was read (the first failure), on the policies' clock. */
  readonly startMs: number;
  /** The policy document whose retry schedule and consequence ladder decide (no module pieces: workflow code loads none). */
  readonly policies?: PolicyDocument;
  /** A built-in set's name instead of `policies`: the input of executions started before documents travelled; still read. */
  readonly policySet?: string;
  readonly plans: readonly Plan[];
  readonly provider: ProviderRefs;
}

/** Webhooks, delivered as signals. `atMs` is the provider event's `created` time. */
export type DunningSignal =
  | { readonly kind: 'invoice_paid'; readonly atMs: number; readonly invoiceId: number }
  | { readonly kind: 'invoice_voided'; readonly atMs: number; readonly invoiceId: number }
  | { readonly kind: 'payment_method_updated'; readonly atMs: number; readonly paymentMethod: PaymentMethodRef };

/** One decision, in the order made: what the differential check compares. */
export type DunningDecision =
  | {
      readonly kind: 'attempt';
      readonly atMs: number;
      readonly paymentMethodId: number;
      readonly outcome: 'succeeded' | 'requires_action' | 'timeout' | DeclineCode;
    }
  | {
      readonly kind: 'consequence';
      readonly atMs: number;
      readonly from: ConsequenceLevel;
      readonly to: ConsequenceLevel;
    }
  | { readonly kind: 'command'; readonly atMs: number; readonly command: ProviderCommand }
  | { readonly kind: 'signal'; readonly atMs: number; readonly signal: DunningSignal['kind'] };

export interface DunningFinal {
  readonly atMs: number;
  readonly invoiceStatus: ProviderInvoiceStatus;
  readonly billingStatus: PlatformInvoiceStatus | null;
  readonly subscriptionStatus: SubscriptionStatus;
  readonly restriction: ConsequenceLevel;
  readonly inDunning: boolean;
  readonly entitlements: number;
  readonly attempts: number;
}

export interface DunningResult {
  readonly decisions: readonly DunningDecision[];
  readonly final: DunningFinal;
}

/** What the workflow's query answers while it runs. */
export interface DunningView {
  readonly nowMs: number;
  readonly wakeAtMs: number;
  readonly snapshot: AccountSnapshot;
  readonly decisions: readonly DunningDecision[];
}
