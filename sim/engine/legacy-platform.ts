/**
 * The platform run by the legacy processors: each webhook goes to the
 * handlers registered for its type, which apply its payload to their own
 * stores; cf_prod is written through a synchronous call that can fail;
 * upgrades commit first and roll back when the payment fails.
 */
import { delinquencyEscalator, retryRunner, type LegacyEffect, type LegacyProcessor } from '../../policies/dunning/legacy.js';
import type { WebhookPayload, WebhookType } from '../../policies/dunning/webhook.js';
import type { PaymentOutcome } from '../../policies/types.js';
import { findInvoice, type AccountState, type SimInvoice } from '../world/state.js';
import { recordAttempt } from './attempts.js';
import { faultDraw, settling, workloadChance, type Mutation, type SimContext } from './context.js';
import { EV_ROLLBACK_LATE, EV_RETRY, EV_UPGRADE_AGAIN } from './kinds.js';
import type { Platform } from './platform.js';

const COMMIT_PATH = 'legacy/mutation-commit';
const ROLLBACK_PATH = 'legacy/mutation-rollback';

export class LegacyPlatform implements Platform {
  private readonly byType = new Map<WebhookType, LegacyProcessor[]>();

  constructor(private readonly ctx: SimContext, processors: readonly LegacyProcessor[]) {
    for (const p of processors) {
      for (const type of p.handles) this.byType.set(type, [...(this.byType.get(type) ?? []), p]);
    }
  }

  onDelivery(a: AccountState, event: WebhookPayload): boolean {
    const handlers = this.byType.get(event.type);
    if (handlers === undefined) return false;
    for (const p of handlers) {
      const effect = p.handle(event, { retry: this.ctx.policies.retry, plans: this.ctx.plans, ownDunning: a.subsDunning });
      this.apply(a, p.codePath, effect, event.invoiceId);
    }
    return true;
  }

  onWake(): void {
    // Legacy processors set no timers of their own but retries.
  }

  onRetryDue(a: AccountState, invoiceId: number): void {
    if (settling(this.ctx)) return;
    this.apply(a, retryRunner.codePath, retryRunner.onRetryDue(), invoiceId);
    const invoice = findInvoice(a, invoiceId);
    if (invoice === undefined) return;
    recordAttempt(this.ctx, a, invoice, false);
  }

  private apply(a: AccountState, codePath: string, effect: LegacyEffect, invoiceId: number): void {
    const { writer, queue, nowMs } = this.ctx;
    if (effect.subsDunning) writer.subsDunning(a, codePath, effect.subsDunning);
    if (effect.subsAccount) writer.subsAccount(a, codePath, effect.subsAccount);
    if (effect.subsCustomer) writer.subsCustomer(a, codePath, effect.subsCustomer);
    if (effect.billingProd) writer.billingProd(a, codePath, effect.billingProd);
    if (effect.cfProdViaSyncCall && faultDraw(this.ctx, a, 3) >= this.ctx.scenario.faults.cfProdCallFailureRate) {
      writer.cfProd(a, codePath, effect.cfProdViaSyncCall);
    }
    if (effect.scheduleRetryAtMs !== undefined) queue.push(Math.max(nowMs, effect.scheduleRetryAtMs), EV_RETRY, a.accountId, invoiceId, 0);
    if (effect.escalate === true) this.apply(a, delinquencyEscalator.codePath, delinquencyEscalator.escalate(invoiceId), invoiceId);
    if (effect.markUncollectibleInvoiceId !== undefined) this.ctx.provider.markUncollectible(a, effect.markUncollectibleInvoiceId);
  }

  upgrade(a: AccountState, m: Mutation): void {
    const { provider, writer, nowMs } = this.ctx;
    const toPlan = provider.plan(m.toPlanId);
    writer.subsAccount(a, COMMIT_PATH, { planId: toPlan.id, entitlements: toPlan.entitlements });
    m.committedAtMs = nowMs;
    const invoice = provider.createInvoice(a, 'upgrade', m.amountCents, nowMs, m.id);
    const real = recordAttempt(this.ctx, a, invoice, true).outcome;
    if (real.kind === 'succeeded') {
      m.paid = true;
      provider.changePlan(a, m.toPlanId);
    } else {
      provider.voidInvoice(a, invoice);
    }
    const timedOut = faultDraw(this.ctx, a, 1) < this.ctx.scenario.faults.providerTimeoutRate;
    const seen: PaymentOutcome = timedOut ? { kind: 'timeout' } : real;
    if (this.ctx.policies.ordering.afterPayment(seen) === 'revert') this.rollback(a, m, timedOut);
  }

  private rollback(a: AccountState, m: Mutation, timedOut: boolean): void {
    const { metrics, scenario, queue, nowMs } = this.ctx;
    metrics.rollbacks++;
    const u = faultDraw(this.ctx, a, 4);
    if (u < scenario.faults.rollbackFailureRate) this.countBadDebt(m);
    else if (u < scenario.faults.rollbackFailureRate + scenario.faults.rollbackLateRate) {
      const delayMs = Math.round(faultDraw(this.ctx, a, 5) * scenario.faults.rollbackLateMaxMs);
      queue.push(nowMs + delayMs, EV_ROLLBACK_LATE, a.accountId, m.id, delayMs);
    } else this.revert(a, m);
    if (timedOut && workloadChance(this.ctx, a, scenario.customers.retryAfterTimeoutShare, 3)) {
      queue.push(nowMs + 120_000, EV_UPGRADE_AGAIN, a.accountId, m.id, 0);
    }
  }

  lateRollback(a: AccountState, m: Mutation, delayMs: number): void {
    this.revert(a, m);
    if (delayMs > this.ctx.scenario.faults.badDebtGraceMs) this.countBadDebt(m);
  }

  private revert(a: AccountState, m: Mutation): void {
    const fromPlan = this.ctx.provider.plan(m.fromPlanId);
    this.ctx.writer.subsAccount(a, ROLLBACK_PATH, { planId: fromPlan.id, entitlements: fromPlan.entitlements });
  }

  private countBadDebt(m: Mutation): void {
    if (m.paid) return;
    this.ctx.metrics.badDebtUpgrades++;
    this.ctx.metrics.badDebtCents += m.amountCents;
  }

  authenticationDone(): void {
    // Commit-then-pay cannot wait for the customer: a payment asking for action was rolled back.
  }

  authenticationExpired(_a: AccountState, _invoice: SimInvoice): void {
    // Nothing was kept waiting.
  }
}
