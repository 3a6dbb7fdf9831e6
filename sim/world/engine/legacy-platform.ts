/**
 * The platform run by the legacy processors: each webhook goes to the
 * handlers registered for its type, which apply its payload to their own
 * stores; cf_prod is written through a synchronous call that can fail.
 */
import {
  delinquencyEscalator,
  retryRunner,
  supportRepair,
  type LegacyEffect,
  type LegacyProcessor,
} from '../../../policies/dunning/legacy.js';
import type { WebhookPayload, WebhookType } from '../../../policies/dunning/webhook.js';
import { findInvoice, type AccountState } from '../model/state.js';
import { recordRetry } from './attempts.js';
import { faultDraw, settling, type Mutation, type SimContext } from './context.js';
import { EV_RETRY } from './kinds.js';
import { COMMIT_PATH } from './mutations.js';
import { fires, noteFault } from '../faults/sites.js';
import type { Platform } from './platform.js';
import { FAULTS } from '../kernel/slots.js';

export class LegacyPlatform implements Platform {
  private readonly byType = new Map<WebhookType, LegacyProcessor[]>();

  constructor(
    private readonly ctx: SimContext,
    processors: readonly LegacyProcessor[],
  ) {
    for (const p of processors) {
      for (const type of p.handles) this.byType.set(type, [...(this.byType.get(type) ?? []), p]);
    }
  }

  onDelivery(a: AccountState, event: WebhookPayload): boolean {
    const handlers = this.byType.get(event.type);
    if (handlers === undefined) return false;
    for (const p of handlers) {
      const effect = p.handle(event, {
        retry: this.ctx.policies.retry,
        plans: this.ctx.plans,
        ownDunning: a.subsDunning,
      });
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
    if (invoice === undefined || fires(this.ctx, a, 'provider.error')) return;
    recordRetry(this.ctx, a, invoice);
  }

  /** A support contact or audit reaches the account: repair what support's tools show. */
  onSupportContact(a: AccountState): void {
    this.apply(a, supportRepair.codePath, supportRepair.repair(a, this.ctx.plans), -1);
  }

  private apply(a: AccountState, codePath: string, effect: LegacyEffect, invoiceId: number): void {
    const { queue, nowMs } = this.ctx;
    if (!this.writeStores(a, codePath, effect)) return;
    if (effect.cfProdDirect) this.ctx.writer.cfProd(a, codePath, effect.cfProdDirect);
    if (effect.cfProdViaSyncCall) {
      if (faultDraw(this.ctx, a, FAULTS.legacyCfProdCallFails) >= this.ctx.scenario.faults.cfProdCallFailureRate)
        this.ctx.writer.cfProd(a, codePath, effect.cfProdViaSyncCall);
      else noteFault(this.ctx, 'cf_prod.call_down');
    }
    if (effect.scheduleRetryAtMs !== undefined)
      queue.push(Math.max(nowMs, effect.scheduleRetryAtMs), EV_RETRY, a.accountId, invoiceId, 0);
    if (effect.escalate === true)
      this.apply(a, delinquencyEscalator.codePath, delinquencyEscalator.escalate(invoiceId), invoiceId);
    if (effect.markUncollectibleInvoiceId !== undefined)
      this.ctx.provider.markUncollectible(a, effect.markUncollectibleInvoiceId);
  }

  /** The handler's own store writes, one at a time; false when the handler crashed part-way (store.partial_write). */
  private writeStores(a: AccountState, codePath: string, effect: LegacyEffect): boolean {
    const { writer } = this.ctx;
    const crashed = (): boolean => fires(this.ctx, a, 'store.partial_write');
    if (effect.subsDunning) writer.subsDunning(a, codePath, effect.subsDunning);
    if (effect.subsAccount && !crashed()) writer.subsAccount(a, codePath, effect.subsAccount);
    else if (effect.subsAccount) return false;
    if (effect.subsCustomer && !crashed()) writer.subsCustomer(a, codePath, effect.subsCustomer);
    else if (effect.subsCustomer) return false;
    if (effect.billingProd && !crashed()) writer.billingProd(a, codePath, effect.billingProd);
    else if (effect.billingProd) return false;
    return true;
  }

  /** Legacy writes the paid change itself (it has no engine that reads the provider). */
  commitPaid(a: AccountState, m: Mutation): void {
    const toPlan = this.ctx.provider.plan(m.toPlanId);
    this.ctx.writer.subsAccount(a, COMMIT_PATH, { planId: toPlan.id, entitlements: toPlan.entitlements });
  }

  reconcile(): void {
    // Legacy processors only learn from webhooks.
  }
}
