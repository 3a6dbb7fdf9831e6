/**
 * The legacy dunning processors: one handler per event type, each reading its
 * event's payload (and at most its own store) and writing its own subset of
 * stores. None reads all six; together they handle only some invoice event
 * types; they trust the payload and the delivery order. This is the start of
 * the case study, kept faithful so the harness can measure what it costs.
 */
import {
  isOwed,
  platformStatusOf,
  type AccountSnapshot,
  type BillingProdRow,
  type CfProdRow,
  type SubsAccountRow,
  type SubsCustomerRow,
  type SubsDunningRow,
} from '../account.js';
import type { RetrySchedule } from '../retry/schedule.js';
import {
  ENTITLEMENT_CORE,
  subscriptionEnded,
  type AttemptRecord,
  type Plan,
  type SubscriptionStatus,
} from '../types.js';
import type { WebhookPayload, WebhookType } from './webhook.js';

export interface LegacyEffect {
  readonly subsDunning?: Partial<SubsDunningRow>;
  readonly subsAccount?: Partial<SubsAccountRow>;
  readonly subsCustomer?: Partial<SubsCustomerRow>;
  readonly billingProd?: readonly BillingProdRow[];
  /** cf_prod is written through the synchronous cross-service call, which can fail. */
  readonly cfProdViaSyncCall?: Partial<CfProdRow>;
  /** cf_prod written from the admin panel (support), not through the call. */
  readonly cfProdDirect?: Partial<CfProdRow>;
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
  inDunning: false,
  failingInvoiceId: -1,
  failureReason: null,
  retryCount: 0,
  escalationLevel: 'none',
  nextRetryAtMs: -1,
};

const invoicePaymentFailed: LegacyProcessor = {
  codePath: 'legacy/invoice-payment-failed',
  handles: ['invoice.payment_failed'],
  handle(event, ctx) {
    const attempts: AttemptRecord[] = Array.from({ length: Math.max(1, event.attemptCount) }, () => ({
      atMs: event.createdMs,
      paymentMethodId: event.paymentMethodId,
      brand: 'visa',
      declineCode: event.declineCode,
      onSession: false,
    }));
    const decision = ctx.retry.next({
      nowMs: event.createdMs,
      amountCents: event.amountCents,
      firstFailedAtMs: event.createdMs,
      attempts,
      paymentMethodId: event.paymentMethodId,
      paymentMethodUpdatedAtMs: -1,
    });
    const retryAtMs = decision.kind === 'retry_at' ? decision.atMs : -1;
    return {
      subsDunning: {
        inDunning: true,
        failingInvoiceId: event.invoiceId,
        failureReason: event.declineCode,
        retryCount: Math.max(0, event.attemptCount - 1),
        escalationLevel: 'notice',
        nextRetryAtMs: retryAtMs,
      },
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
    const status = event.subscriptionStatus;
    return {
      subsAccount: {
        status,
        entitlements: entitlementsFor(
          ctx.plans.find((p) => p.id === event.planId),
          status,
        ),
      },
      ...(status === 'active' ? { cfProdViaSyncCall: { delinquent: false, restriction: 'none' } } : {}),
    };
  },
};

/** What the legacy entitlement sync grants for a plan in a subscription status. */
function entitlementsFor(plan: Plan | undefined, status: SubscriptionStatus): number {
  if (subscriptionEnded(status) || status === 'paused') return 0;
  return status === 'unpaid' ? (plan?.entitlements ?? 0) & ENTITLEMENT_CORE : (plan?.entitlements ?? 0);
}

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

/**
 * Not a webhook handler: a support agent (after a customer's report) or an
 * audit reaches the account and repairs what its tools show against the
 * provider: dunning on an invoice that is settled, a restriction while nothing
 * is owed, the plan and status in subs_account, the billing history. It does
 * not touch subs_customer's flags (bad debt, has_no_successful_payment): no
 * customer sees them, and support's tools do not write them, so drift there is
 * "stuck" (seeds: "Drift accumulates silently until a customer reports a
 * problem or an audit catches it"; "Accounts stuck in bad-debt drift").
 */
export const supportRepair = {
  codePath: 'legacy/support-repair',
  repair(a: AccountSnapshot, plans: readonly Plan[]): LegacyEffect {
    const failing = a.stripe.invoices.find((i) => i.id === a.subsDunning.failingInvoiceId);
    const dunningSettled = a.subsDunning.inDunning && (failing === undefined || failing.status !== 'open');
    const restricted = a.cfProd.delinquent || a.cfProd.restriction !== 'none';
    const subsAccount = subsAccountFromProvider(a, plans);
    const billingProd = a.stripe.invoices
      .filter((i) => i.status !== 'draft')
      .map((i) => ({ invoiceId: i.id, status: platformStatusOf(i.status) }))
      .filter((row) => a.billingProd.find((r) => r.invoiceId === row.invoiceId)?.status !== row.status);
    return {
      ...(dunningSettled ? { subsDunning: NOT_DUNNING } : {}),
      ...(restricted && !a.stripe.invoices.some(isOwed)
        ? { cfProdDirect: { delinquent: false, restriction: 'none' } }
        : {}),
      ...(subsAccount === null ? {} : { subsAccount }),
      ...(billingProd.length > 0 ? { billingProd } : {}),
    };
  },
};

function subsAccountFromProvider(a: AccountSnapshot, plans: readonly Plan[]): SubsAccountRow | null {
  const status = a.stripe.subscriptionStatus;
  const row = {
    planId: a.stripe.planId,
    status,
    entitlements: entitlementsFor(
      plans.find((p) => p.id === a.stripe.planId),
      status,
    ),
  };
  const same =
    row.planId === a.subsAccount.planId &&
    row.status === a.subsAccount.status &&
    row.entitlements === a.subsAccount.entitlements;
  return same ? null : row;
}

export const LEGACY_PROCESSORS: readonly LegacyProcessor[] = [
  invoicePaymentFailed,
  invoicePaid,
  subscriptionSync,
  firstPayment,
  paymentMethodSync,
];
