/**
 * The platform as the simulator sees it: an adapter around one dunning
 * engine. The policies decide; the adapter reads the stores, calls them, and
 * applies what they return. On-session mutations are carried out by the
 * shared MutationFlow under the set's ordering policy.
 */
import type { WebhookPayload } from '../../../policies/dunning/webhook.js';
import type { AccountState } from '../model/state.js';
import type { Mutation } from './context.js';

export interface Platform {
  /** A webhook delivery; returns true when a dunning code path handled it. */
  onDelivery(a: AccountState, event: WebhookPayload): boolean;
  /** A timer the platform set for itself (recompute engine). */
  onWake(a: AccountState, token: number): void;
  /** A scheduled retry falls due (legacy processors). */
  onRetryDue(a: AccountState, invoiceId: number): void;
  /** A mutation was paid and the ordering says: commit it now. */
  commitPaid(a: AccountState, m: Mutation): void;
  /** The platform itself just changed the provider or the stores; bring its view up to date. */
  reconcile(a: AccountState): void;
  /** A support contact or audit reaches the account (customers.supportContactMeanDays); platforms without manual repair omit it. */
  onSupportContact?(a: AccountState): void;
}

/**
 * A platform whose engine never reads the event that woke it (the recompute
 * engine): the simulator delivers to it without building the payload.
 */
export interface EventBlindPlatform extends Platform {
  /** A webhook delivery, whatever its content; true when a dunning code path handled it. */
  onAnyDelivery(a: AccountState): boolean;
}

export function isEventBlind(platform: Platform): platform is EventBlindPlatform {
  return 'onAnyDelivery' in platform;
}
