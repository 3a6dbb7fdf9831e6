/**
 * What a webhook carries to the platform: the provider event's type and a
 * snapshot of the object as it was when the event was created (stale by the
 * time a late delivery arrives).
 */
import type { DeclineCode, ProviderInvoiceStatus, SubscriptionStatus } from '../types.js';

export const WEBHOOK_TYPES = [
  'invoice.created',
  'invoice.finalized',
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'invoice.paid',
  'invoice.payment_succeeded',
  'invoice.marked_uncollectible',
  'invoice.voided',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
  'charge.succeeded',
  'charge.failed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'payment_method.attached',
  'customer.updated',
] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

export function isInvoiceEvent(type: WebhookType): boolean {
  return type.startsWith('invoice.');
}

export interface WebhookPayload {
  readonly eventId: number;
  readonly type: WebhookType;
  readonly createdMs: number;
  readonly accountId: number;
  /** -1 when the event is not about an invoice. */
  readonly invoiceId: number;
  readonly invoiceStatus: ProviderInvoiceStatus | null;
  readonly attemptCount: number;
  readonly declineCode: DeclineCode | null;
  readonly amountCents: number;
  readonly onSession: boolean;
  readonly subscriptionStatus: SubscriptionStatus;
  readonly planId: number;
  readonly paymentMethodId: number;
}
