/**
 * The legacy dunning processors: one handler per event type, each reading its
 * event's payload (and at most its own store) and writing its own subset of
 * stores. None reads all six; together they handle only some invoice event
 * types; they trust the payload and the delivery order. This is the start of
 * the case study, kept faithful so the harness can measure what it costs.
 */
import type { BillingProdRow, CfProdRow, SubsAccountRow, SubsCustomerRow, SubsDunningRow } from '../account.js';
import type { RetrySchedule } from '../retry/schedule.js';
import { ENTITLEMENT_CORE, type AttemptRecord, type Plan } from '../types.js';
import type { WebhookPayload, WebhookType } from './webhook.js';

export interface LegacyEffect {
  readonly subsDunning?: Partial<SubsDunningRow>;
  readonly subsAccount?: Partial<SubsAccountRow>;
  readonly subsCustomer?: Partial<SubsCustomerRow>;
  readonly billingProd?: readonly BillingProdRow[];
  /** cf_prod is written through the synchronous cross-service call, which can fail. */
  readonly cfProdViaSyncCall?: Partial<CfProdRow>;
  readonly scheduleRetryAtMs?: number;
  readonly escalate?: boolean;
  readonly markUncollectibleInvoiceId?: number;
}

export interface LegacyContext {
  readonly retry: RetrySchedule;
  readonly plans: readonly Plan[];
  /** The processor's own dunning row, for the few that read their own store. */
  readonly ownDunning: SubsDunningRow;
}

export interface LegacyProcessor {
  readonly codePath: string;
  readonly handles: readonly WebhookType[];
  handle(event: WebhookPayload, ctx: LegacyContext): LegacyEffect;
}

const NOT_DUNNING: SubsDunningRow = {
  inDunning: false, failingInvoiceId: -1, failureReason: null, retryCount: 0, escalationLevel: 'none', nextRetryAtMs: -1,
};

const invoicePaymentFailed: LegacyProcessor = {
  codePath: 'legacy/invoice-payment-failed',
  handles: ['invoice.payment_failed'],
  handle(event, ctx) {
    const attempts: AttemptRecord[] = Array.from({ length: Math.max(1, event.attemptCount) }, () => ({
      atMs: event.createdMs, paymentMethodId: event.paymentMethodId, brand: 'visa', declineCode: event.declineCode, onSession: false,
    }));
    const decision = ctx.retry.next({
      nowMs: event.createdMs, amountCents: event.amountCents, firstFailedAtMs: event.createdMs, attempts,
      paymentMethodId: event.paymentMethodId, paymentMethodUpdatedAtMs: -1,
    });
    const retryAtMs = decision.kind === 'retry_at' ? decision.atMs : -1;
    return {
      subsDunning: { inDunning: true, failingInvoiceId: event.invoiceId, failureReason: event.declineCode,
        retryCount: Math.max(0, event.attemptCount - 1), escalationLevel: 'notice', nextRetryAtMs: retryAtMs },
      billingProd: [{ invoiceId: event.invoiceId, status: 'open' }],
      ...(retryAtMs >= 0 ? { scheduleRetryAtMs: retryAtMs } : { escalate: decision.kind === 'exhausted' }),
    };
  },
};

const invoicePaid: LegacyProcessor = {
  codePath: 'legacy/invoice-paid',
  handles: ['invoice.paid'],
  handle(event, ctx) {
    const clears = ctx.ownDunning.failingInvoiceId === event.invoiceId;
    return {
      billingProd: [{ invoiceId: event.invoiceId, status: 'paid' }],
      ...(clears ? { subsDunning: NOT_DUNNING } : {}),
    };
  },
};

const subscriptionSync: LegacyProcessor = {
  codePath: 'legacy/subscription-sync',
  handles: ['customer.subscription.updated', 'customer.subscription.deleted'],
  handle(event, ctx) {
    const plan = ctx.plans.find((p) => p.id === event.planId);
    const status = event.subscriptionStatus;
    const entitlements = status === 'canceled' ? 0 : status === 'unpaid' ? (plan?.entitlements ?? 0) & ENTITLEMENT_CORE : plan?.entitlements ?? 0;
    return {
      subsAccount: { status, entitlements },
      ...(status === 'active' ? { cfProdViaSyncCall: { delinquent: false, restriction: 'none' } } : {}),
    };
  },
};

const firstPayment: LegacyProcessor = {
  codePath: 'legacy/first-payment',
  handles: ['payment_intent.succeeded'],
  handle(event) {
    return event.onSession ? { subsCustomer: { hasNoSuccessfulPayment: false } } : {};
  },
};

const paymentMethodSync: LegacyProcessor = {
  codePath: 'legacy/payment-method-sync',
  handles: ['customer.updated'],
  handle(event, ctx) {
    return {
      subsCustomer: { defaultPaymentMethodId: event.paymentMethodId },
      ...(ctx.ownDunning.inDunning ? { scheduleRetryAtMs: event.createdMs + 3_600_000 } : {}),
    };
  },
};

/** Not a webhook handler: called by the failed-invoice handler when retries run out. */
export const delinquencyEscalator = {
  codePath: 'legacy/delinquency-escalator',
  escalate(invoiceId: number): LegacyEffect {
    return {
      cfProdViaSyncCall: { delinquent: true, restriction: 'suspend' },
      subsCustomer: { badDebt: true },
      subsDunning: { escalationLevel: 'suspend', nextRetryAtMs: -1 },
      markUncollectibleInvoiceId: invoiceId,
    };
  },
};

/** Not a webhook handler: runs when a scheduled retry falls due; charges without looking. */
export const retryRunner = {
  codePath: 'legacy/retry-runner',
  onRetryDue(): LegacyEffect {
    return { subsDunning: { nextRetryAtMs: -1 } };
  },
};

export const LEGACY_PROCESSORS: readonly LegacyProcessor[] = [
  invoicePaymentFailed, invoicePaid, subscriptionSync, firstPayment, paymentMethodSync,
];
