/**
 * On-session mutations (upgrades) under any payment-ordering policy. The
 * ordering policy decides when state is committed and what a payment outcome
 * means; this flow carries it out against the provider and the stores, and
 * hands the dunning engine the account afterwards.
 *
 * Bad debt from an upgrade is measured, not assumed: at the end of the grace
 * window after a commit whose payment failed, the upgrade counts as bad debt if
 * the platform still grants the new plan while the provider never got paid for it.
 */
import { updateAppliedBeforePayment, type AfterPayment } from '../../../policies/ordering/ordering.js';
import type { PaymentOutcome } from '../../../policies/types.js';
import type { AccountState, SimInvoice } from '../model/state.js';
import { recordAttempt } from './attempts.js';
import { faultDraw, workloadChance, type Mutation, type SimContext } from './context.js';
import { EV_AUTH_DONE, EV_AUTH_EXPIRED, EV_BAD_DEBT_CHECK, EV_ROLLBACK_LATE, EV_UPGRADE_AGAIN } from './kinds.js';
import type { Platform } from './platform.js';
import { noteFault } from '../faults/sites.js';
import { FAULTS, WORKLOAD } from '../kernel/slots.js';

export const COMMIT_PATH = 'mutation-commit';
export const ROLLBACK_PATH = 'mutation-rollback';

export class MutationFlow {
  constructor(
    private readonly ctx: SimContext,
    private readonly platform: Platform,
  ) {}

  start(a: AccountState, m: Mutation): void {
    const { ordering } = this.ctx.policies;
    if (ordering.commitBeforePayment) this.commitLocally(a, m);
    const invoice = this.ctx.provider.createInvoice(a, 'upgrade', m.amountCents, this.ctx.nowMs, m.id);
    // Stripe applies a default_incomplete update at once, before its invoice is paid.
    if (updateAppliedBeforePayment(ordering.updatePaymentBehavior)) {
      m.appliedBeforePayment = true;
      this.ctx.provider.changePlan(a, m.toPlanId);
    }
    this.pay(a, invoice, m, false);
  }

  authenticationDone(a: AccountState, invoice: SimInvoice, m: Mutation): void {
    this.pay(a, invoice, m, true);
  }

  authenticationExpired(a: AccountState, invoice: SimInvoice): void {
    this.ctx.provider.voidInvoice(a, invoice);
    const m = this.ctx.mutations[invoice.mutationId];
    if (m !== undefined) this.checkAppliedLater(a, m);
    this.platform.reconcile(a);
  }

  /** A change the provider applied before payment stays applied when the payment fails: measured like a failed rollback. */
  private checkAppliedLater(a: AccountState, m: Mutation): void {
    if (!m.appliedBeforePayment || this.ctx.policies.ordering.commitBeforePayment) return;
    this.ctx.queue.push(
      this.ctx.nowMs + this.ctx.scenario.faults.badDebtGraceMs,
      EV_BAD_DEBT_CHECK,
      a.accountId,
      m.id,
      0,
    );
  }

  private pay(a: AccountState, invoice: SimInvoice, m: Mutation, authenticated: boolean): void {
    const { ctx } = this;
    const real = recordAttempt(ctx, a, invoice, true, authenticated).outcome;
    if (real.kind === 'succeeded') {
      m.paid = true;
      m.paidSeq = ctx.effectSerial++;
      ctx.provider.changePlan(a, m.toPlanId);
    }
    const timedOut = faultDraw(ctx, a, FAULTS.providerTimeout) < ctx.scenario.faults.providerTimeoutRate;
    if (timedOut) noteFault(ctx, 'provider.timeout');
    const seen: PaymentOutcome = timedOut ? { kind: 'timeout' } : real;
    let action = ctx.policies.ordering.afterPayment(seen);
    if (action === 'query_provider') action = ctx.policies.ordering.afterPayment(real);
    if (real.kind !== 'succeeded' && action !== 'await_customer') ctx.provider.voidInvoice(a, invoice);
    // A change the provider applied before payment stays applied when the payment fails: measure it as any other.
    if (real.kind !== 'succeeded' && action !== 'await_customer') this.checkAppliedLater(a, m);
    this.carryOut(a, invoice, m, action, timedOut);
    this.platform.reconcile(a);
  }

  private carryOut(a: AccountState, invoice: SimInvoice, m: Mutation, action: AfterPayment, timedOut: boolean): void {
    if (action === 'commit') {
      this.platform.commitPaid(a, m);
      if (m.committedSeq < 0) m.committedSeq = this.ctx.effectSerial++;
    } else if (action === 'revert') this.rollback(a, m, timedOut);
    else if (action === 'await_customer') this.awaitCustomer(a, invoice, m);
  }

  private awaitCustomer(a: AccountState, invoice: SimInvoice, m: Mutation): void {
    const { ctx } = this;
    const completes = workloadChance(
      ctx,
      a,
      ctx.scenario.customers.completeAuthenticationShare,
      WORKLOAD.authenticationCompleted,
    );
    if (completes) ctx.queue.push(ctx.nowMs + 5 * 60_000, EV_AUTH_DONE, a.accountId, invoice.id, m.id);
    else ctx.queue.push(ctx.nowMs + 23 * 3_600_000, EV_AUTH_EXPIRED, a.accountId, invoice.id, m.id);
  }

  private commitLocally(a: AccountState, m: Mutation): void {
    const toPlan = this.ctx.provider.plan(m.toPlanId);
    this.ctx.writer.subsAccount(a, COMMIT_PATH, { planId: toPlan.id, entitlements: toPlan.entitlements });
    m.committedAtMs = this.ctx.nowMs;
    m.committedSeq = this.ctx.effectSerial++;
  }

  /** A revert after commit: it can be lost silently or come late (faults); the customer may try again after a timeout. */
  private rollback(a: AccountState, m: Mutation, timedOut: boolean): void {
    const { ctx } = this,
      f = ctx.scenario.faults;
    ctx.metrics.rollbacks++;
    const u = faultDraw(ctx, a, FAULTS.rollbackFails);
    if (u >= f.rollbackFailureRate + f.rollbackLateRate) this.revert(a, m);
    else if (u >= f.rollbackFailureRate) {
      ctx.queue.push(
        ctx.nowMs + Math.round(faultDraw(ctx, a, FAULTS.rollbackLateDelay) * f.rollbackLateMaxMs),
        EV_ROLLBACK_LATE,
        a.accountId,
        m.id,
        0,
      );
    }
    ctx.queue.push(ctx.nowMs + f.badDebtGraceMs, EV_BAD_DEBT_CHECK, a.accountId, m.id, 0);
    if (
      timedOut &&
      !ctx.policies.ordering.idempotencyKeys &&
      workloadChance(ctx, a, ctx.scenario.customers.retryAfterTimeoutShare, WORKLOAD.retriesAfterTimeout)
    ) {
      ctx.queue.push(ctx.nowMs + 120_000, EV_UPGRADE_AGAIN, a.accountId, m.id, 0);
    }
  }

  revert(a: AccountState, m: Mutation): void {
    const fromPlan = this.ctx.provider.plan(m.fromPlanId);
    this.ctx.writer.subsAccount(a, ROLLBACK_PATH, { planId: fromPlan.id, entitlements: fromPlan.entitlements });
    this.platform.reconcile(a);
  }

  /**
   * The platform grants the new plan and the provider was never paid for it: it never applied it
   * (pending_if_incomplete, error_if_incomplete), or applied it before payment and the payment failed.
   */
  checkBadDebt(a: AccountState, m: Mutation): void {
    if (a.subsAccount.planId !== m.toPlanId) return;
    if (a.stripe.planId === m.toPlanId && (m.paid || !m.appliedBeforePayment)) return;
    this.ctx.metrics.badDebtUpgrades++;
    this.ctx.metrics.badDebtCents += m.amountCents;
  }
}
