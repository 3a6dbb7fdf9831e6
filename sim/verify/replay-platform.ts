/**
 * The platform fed by an event stream instead of the simulated world: the
 * policy set's dunning engine, the platform's five stores, and the provider
 * read from the stream (so a recompute engine reads the provider as it is at
 * the moment, while legacy processors read each event's payload; a hybrid
 * engine runs the legacy handlers first, then recomputes, as in the simulator). No payment
 * is attempted: the stream already holds every attempt. Provider commands
 * (write-off, cancel) are kept as an overlay on the stream's provider state.
 */
import type { AccountSnapshot, ProviderState } from '../../policies/account.js';
import { delinquencyEscalator, type LegacyEffect } from '../../policies/dunning/legacy.js';
import { computeDiff, type RecomputeConfig } from '../../policies/dunning/recompute.js';
import type { WebhookPayload } from '../../policies/dunning/webhook.js';
import type { ComputeDiff, PolicySet } from '../../policies/sets.js';
import type { Plan } from '../../policies/types.js';
import { settleSnapshot } from '../check/safety.js';
import { plansOf } from '../world/population.js';
import { scenarioSchema } from '../scenario/schema.js';
import { INITIAL_PROVIDER } from './history.js';
import { numericId, S, type StripeEvent } from './stream.js';

export const REPLAY_PLANS: readonly Plan[] = plansOf(scenarioSchema.parse({ accounts: 1, days: 1 }));

type Stores = Omit<AccountSnapshot, 'accountId' | 'stripe'>;

function initialStores(p: ProviderState): Stores {
  const plan = REPLAY_PLANS[p.planId]!;
  return {
    billingProd: [],
    subsAccount: { planId: p.planId, status: p.subscriptionStatus, entitlements: plan.entitlements },
    subsCustomer: { defaultPaymentMethodId: p.defaultPaymentMethodId, hasNoSuccessfulPayment: !p.hasSucceededCharge, badDebt: false },
    subsDunning: { inDunning: false, failingInvoiceId: -1, failureReason: null, retryCount: 0, escalationLevel: 'none', nextRetryAtMs: -1 },
    cfProd: { delinquent: false, restriction: 'none' },
  };
}

export class ReplayPlatform {
  private stores: Stores;
  private readonly writtenOff = new Set<number>();
  private canceled = false;
  private wakeAtMs = -1;
  private readonly config: RecomputeConfig;
  private readonly compute: ComputeDiff | null;

  constructor(private readonly policies: PolicySet, private readonly providerAt: (atMs: number) => ProviderState) {
    this.stores = initialStores(INITIAL_PROVIDER);
    this.config = { plans: REPLAY_PLANS, retry: policies.retry, ladder: policies.ladder };
    const d = policies.dunning;
    this.compute = d.kind === 'recompute' ? (d.computeDiff ?? computeDiff) : d.kind === 'hybrid' ? computeDiff : null;
  }

  /** The six stores at `atMs`: the provider from the stream (with the engine's commands), the platform's own. */
  snapshot(atMs: number): AccountSnapshot {
    const p = this.providerAt(atMs);
    const invoices = p.invoices.map((i) => (this.writtenOff.has(i.id) && i.status === 'open' ? { ...i, status: 'uncollectible' as const } : i));
    const status = this.canceled ? 'canceled' : p.subscriptionStatus;
    return { accountId: 0, stripe: { ...p, invoices, subscriptionStatus: status }, ...this.stores };
  }

  deliver(event: StripeEvent, atMs: number): void {
    this.runUntil(atMs);
    this.legacy(event, atMs);
    if (this.compute !== null) this.recompute(atMs);
  }

  /** Fire the engine's own timers due by `atMs` (ladder reviews). */
  runUntil(atMs: number): void {
    for (let k = 0; k < 64 && this.compute !== null && this.wakeAtMs >= 0 && this.wakeAtMs <= atMs; k++) this.recompute(this.wakeAtMs);
  }

  private recompute(atMs: number): void {
    const before = this.snapshot(atMs);
    const after = settleSnapshot(before, atMs, this.config, this.compute!);
    for (const i of after.stripe.invoices) if (i.status === 'uncollectible') this.writtenOff.add(i.id);
    if (after.stripe.subscriptionStatus === 'canceled') this.canceled = true;
    const { accountId: _id, stripe: _stripe, ...stores } = after;
    this.stores = stores;
    const next = this.compute!(after, atMs, this.config).ladderReviewAtMs;
    this.wakeAtMs = next > atMs ? next : -1;
  }

  private legacy(event: StripeEvent, atMs: number): void {
    const d = this.policies.dunning;
    if (d.kind === 'recompute') return;
    const payload = payloadOf(event, this.snapshot(atMs).stripe);
    for (const p of d.processors) {
      if (!p.handles.includes(event.type)) continue;
      const effect = p.handle(payload, { retry: this.policies.retry, plans: REPLAY_PLANS, ownDunning: this.stores.subsDunning });
      this.applyEffect(effect, payload.invoiceId);
    }
  }

  private applyEffect(effect: LegacyEffect, invoiceId: number): void {
    const s = this.stores;
    const rows = new Map(s.billingProd.map((r) => [r.invoiceId, r]));
    for (const r of effect.billingProd ?? []) rows.set(r.invoiceId, r);
    this.stores = {
      billingProd: [...rows.values()].sort((a, b) => a.invoiceId - b.invoiceId),
      subsAccount: { ...s.subsAccount, ...effect.subsAccount }, subsCustomer: { ...s.subsCustomer, ...effect.subsCustomer },
      subsDunning: { ...s.subsDunning, ...effect.subsDunning }, cfProd: { ...s.cfProd, ...effect.cfProdViaSyncCall },
    };
    if (effect.markUncollectibleInvoiceId !== undefined) this.writtenOff.add(effect.markUncollectibleInvoiceId);
    if (effect.escalate === true) this.applyEffect(delinquencyEscalator.escalate(invoiceId), invoiceId);
  }
}

/** What a legacy processor reads: the event's own object, as it was when the event was created. */
export function payloadOf(e: StripeEvent, provider: ProviderState): WebhookPayload {
  const o = e.data.object;
  const invoice = o.object === 'invoice' ? o : null;
  const last = invoice?.attempts[invoice.attempts.length - 1];
  return {
    eventId: numericId(e.id), type: e.type, createdMs: e.created * S, accountId: 0,
    invoiceId: invoice === null ? -1 : numericId(invoice.id), invoiceStatus: invoice?.status ?? null,
    attemptCount: invoice?.attempts.length ?? 0, declineCode: last?.decline_code ?? null, amountCents: invoice?.amount_due ?? 0,
    onSession: last?.on_session ?? false,
    subscriptionStatus: o.object === 'subscription' ? o.status : provider.subscriptionStatus,
    planId: o.object === 'subscription' ? numericId(o.plan.id) : provider.planId,
    paymentMethodId: o.object === 'customer' ? numericId(o.invoice_settings.default_payment_method) : provider.defaultPaymentMethodId,
  };
}
