/**
 * Provider facts applied to a snapshot: what the provider's store looks like
 * after an attempt, an out-of-band payment, a void or a new payment method.
 * These are the provider's rules as the simulator's SimProvider models them
 * (sim/world/model/provider.ts), written as pure functions for adapters that hold a
 * snapshot instead of a live store (the Temporal dunning workflow).
 */
import { subscriptionStatusFor, type AccountSnapshot, type ProviderInvoice, type ProviderState } from '../account.js';
import type { AttemptRecord, CardBrand, PaymentOutcome } from '../types.js';

/** The payment method id SimProvider records for a customer paying on the hosted page. */
export const OUT_OF_BAND_PAYMENT_METHOD_ID = -2;

function withInvoice(
  stripe: ProviderState,
  invoiceId: number,
  change: (i: ProviderInvoice) => ProviderInvoice,
): ProviderState {
  const invoices = stripe.invoices.map((i) => (i.id === invoiceId ? change(i) : i));
  const subscriptionStatus = subscriptionStatusFor(stripe.subscriptionStatus, invoices, stripe.afterFailedPayments);
  return { ...stripe, invoices, subscriptionStatus };
}

function paid(stripe: ProviderState, invoiceId: number, attempt: AttemptRecord): ProviderState {
  const next = withInvoice(stripe, invoiceId, (i) => ({
    ...i,
    status: 'paid',
    paidAtMs: attempt.atMs,
    attempts: [...i.attempts, attempt],
  }));
  return { ...next, hasSucceededCharge: true };
}

/**
 * An off-session charge of an open invoice with the payment method on file.
 * A decline is recorded and marks the first failure. Off session, a charge
 * that requires action is a decline for `authentication_required` (the
 * customer must come back). A `timeout` leaves no record: nothing was decided
 * at the provider, and the caller retries the same charge (same idempotency key).
 */
export function withAttemptOutcome(
  snapshot: AccountSnapshot,
  invoiceId: number,
  atMs: number,
  brand: CardBrand,
  outcome: PaymentOutcome,
): AccountSnapshot {
  const invoice = snapshot.stripe.invoices.find((i) => i.id === invoiceId);
  if (invoice === undefined || invoice.status !== 'open') return snapshot;
  if (outcome.kind === 'timeout') return snapshot;
  const declineCode =
    outcome.kind === 'declined'
      ? outcome.declineCode
      : outcome.kind === 'requires_action'
        ? 'authentication_required'
        : null;
  const attempt: AttemptRecord = {
    atMs,
    paymentMethodId: snapshot.stripe.defaultPaymentMethodId,
    brand,
    declineCode,
    onSession: false,
  };
  if (declineCode === null) return { ...snapshot, stripe: paid(snapshot.stripe, invoiceId, attempt) };
  const stripe = withInvoice(snapshot.stripe, invoiceId, (i) => ({
    ...i,
    attempts: [...i.attempts, attempt],
    firstFailedAtMs: i.firstFailedAtMs < 0 && i.kind === 'renewal' ? atMs : i.firstFailedAtMs,
  }));
  return { ...snapshot, stripe };
}

/** The customer paid the invoice themselves (hosted page, bank transfer): open or written-off invoices only. */
export function withPaidOutOfBand(snapshot: AccountSnapshot, invoiceId: number, atMs: number): AccountSnapshot {
  const invoice = snapshot.stripe.invoices.find((i) => i.id === invoiceId);
  if (invoice === undefined || (invoice.status !== 'open' && invoice.status !== 'uncollectible')) return snapshot;
  const attempt: AttemptRecord = {
    atMs,
    paymentMethodId: OUT_OF_BAND_PAYMENT_METHOD_ID,
    brand: 'visa',
    declineCode: null,
    onSession: true,
  };
  return { ...snapshot, stripe: paid(snapshot.stripe, invoiceId, attempt) };
}

/** The invoice was voided: nothing is owed any more. */
export function withVoided(snapshot: AccountSnapshot, invoiceId: number): AccountSnapshot {
  const invoice = snapshot.stripe.invoices.find((i) => i.id === invoiceId);
  if (invoice === undefined || invoice.status !== 'open') return snapshot;
  return { ...snapshot, stripe: withInvoice(snapshot.stripe, invoiceId, (i) => ({ ...i, status: 'void' })) };
}

/** The customer put a new default payment method on file. */
export function withPaymentMethod(snapshot: AccountSnapshot, paymentMethodId: number, atMs: number): AccountSnapshot {
  return {
    ...snapshot,
    stripe: { ...snapshot.stripe, defaultPaymentMethodId: paymentMethodId, paymentMethodUpdatedAtMs: atMs },
  };
}
