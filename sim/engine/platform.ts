/**
 * The platform as the simulator sees it: an adapter around one policy set.
 * The policies decide; the adapter reads the stores, calls them, and applies
 * what they return.
 */
import type { WebhookPayload } from '../../policies/dunning/webhook.js';
import type { AccountState, SimInvoice } from '../world/state.js';
import type { Mutation } from './context.js';

export interface Platform {
  /** A webhook delivery; returns true when a dunning code path handled it. */
  onDelivery(a: AccountState, event: WebhookPayload): boolean;
  /** A timer the platform set for itself (recompute engine). */
  onWake(a: AccountState, token: number): void;
  /** A scheduled retry falls due (legacy processors). */
  onRetryDue(a: AccountState, invoiceId: number): void;
  /** The customer asks for an upgrade, on session. */
  upgrade(a: AccountState, mutation: Mutation): void;
  /** The customer completed (or abandoned) 3-D Secure for an upgrade invoice. */
  authenticationDone(a: AccountState, invoice: SimInvoice, mutation: Mutation): void;
  authenticationExpired(a: AccountState, invoice: SimInvoice): void;
  /** A late rollback arrives (legacy). */
  lateRollback(a: AccountState, mutation: Mutation, delayMs: number): void;
}
