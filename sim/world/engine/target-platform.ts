/**
 * The platform run by the recompute engine. Every webhook, timer and payment
 * outcome ends the same way: read all six stores, compute the diff, apply it.
 * The event that woke the engine is not read.
 */
import { RECOMPUTE_CODE_PATH, type RecomputeConfig } from '../../../policies/dunning/recompute.js';
import {
  attemptDueAt,
  recoveryStep,
  SETTLE_ROUNDS_MAX,
  type RecoveryStep,
} from '../../../policies/dunning/recovery.js';
import { isEmptyDiff, type AccountDiff } from '../../../policies/dunning/diff.js';
import { findInvoice, type AccountState } from '../model/state.js';
import { faultDraw, settling, type SimContext } from './context.js';
import { EV_WAKE } from './kinds.js';
import type { EventBlindPlatform } from './platform.js';
import { computeDiffOf, recomputeConfigOf, type ComputeDiff } from '../../../policies/sets.js';
import { computeDiff } from '../../../policies/dunning/recompute.js';
import { clockSkewMs, fires, noteFault } from '../faults/sites.js';
import { recordRetry } from './attempts.js';
import { FAULTS } from '../kernel/slots.js';
import { noteCanceledForNonPayment } from './churn.js';

const CF_RETRY_MS = 5 * 60_000;
const PROVIDER_ERROR_RETRY_MS = 60_000;

export class TargetPlatform implements EventBlindPlatform {
  private readonly config: RecomputeConfig;
  private readonly compute: ComputeDiff;
  /**
   * The production engine with no fault weather: its one-apply fixed point is property-tested,
   * and a recompute draws no fault (atFixedPoint). Fixed for the run, so decided once, as is
   * whether a fixed point may also be held until its wake (noteSettled).
   */
  private readonly exactEngine: boolean;
  private readonly holdsUntilWake: boolean;

  constructor(private readonly ctx: SimContext) {
    this.config = recomputeConfigOf(ctx.policies, ctx.plans);
    this.compute = computeDiffOf(ctx.policies) ?? computeDiff;
    this.exactEngine = this.compute === computeDiff && ctx.weather === null;
    this.holdsUntilWake = this.exactEngine && this.config.retry.ignoresNow === true;
  }

  onDelivery(a: AccountState): boolean {
    return this.onAnyDelivery(a);
  }

  onAnyDelivery(a: AccountState): boolean {
    this.recompute(a);
    return true;
  }

  onWake(a: AccountState, token: number): void {
    if (token !== a.sim.wakeToken) return;
    const invoiceId = attemptDueAt(a, this.ctx.nowMs, !settling(this.ctx));
    const invoice = invoiceId < 0 ? undefined : findInvoice(a, invoiceId);
    const providerError = invoice !== undefined && fires(this.ctx, a, 'provider.error');
    if (invoice !== undefined && !providerError) recordRetry(this.ctx, a, invoice);
    this.recompute(a);
    if (providerError) this.scheduleWake(a, this.ctx.nowMs + PROVIDER_ERROR_RETRY_MS);
  }

  onRetryDue(): void {
    // The recompute engine schedules its own attempts through wakes.
  }

  commitPaid(): void {
    // The provider holds the paid change; the recompute engine brings the stores to it in reconcile().
  }

  reconcile(a: AccountState): void {
    this.recompute(a);
  }

  /**
   * Compute, apply, run provider commands, and compute again until nothing changes (bounded).
   * computeDiff is pure in (stores, now) and its answer cannot change with time alone before
   * its wakeAtMs when the retry schedule declares it never reads the time (`ignoresNow`, every
   * built-in one does) and the ladder keeps its contract (its answer changes with time alone only
   * at its nextEvaluationAtMs, which is a wake). It also reaches its fixed point in one apply
   * (computing again after applying its diff gives the empty diff, with the same wake:
   * test/policies/recompute.test.ts). So once an account's diff is applied whole with no
   * provider command, and until its stores change (version) or its wake (or the end of the
   * workload, when attempts stop) comes, computing again would find nothing to do and the same
   * wake: the engine only sets that wake again, as the compute would have
   * (test/world/engine/skip-unchanged.test.ts computes every skipped case).
   */
  recompute(a: AccountState): void {
    if (a.sim.settledVersion === a.sim.version && this.ctx.nowMs < a.sim.settledUntilMs) {
      this.scheduleWake(a, a.sim.settledWakeAtMs);
      return;
    }
    const attemptsAllowed = !settling(this.ctx);
    const skewMs = clockSkewMs(this.ctx, a);
    if (skewMs !== 0) noteFault(this.ctx, 'clock.skew');
    for (let round = 0; round < SETTLE_ROUNDS_MAX; round++) {
      const step = recoveryStep(a, this.ctx.nowMs + skewMs, this.config, attemptsAllowed, this.compute);
      const written = this.apply(a, step.diff);
      if (step.settled || written === 'aborted' || !this.runCommands(a, step.diff)) {
        this.scheduleWake(a, written === 'ok' ? step.wakeAtMs : this.ctx.nowMs + CF_RETRY_MS, Math.abs(skewMs));
        if (written === 'ok' && skewMs === 0) this.noteSettled(a, step);
        return;
      }
    }
    throw new Error(`recompute: account ${a.accountId} did not settle in ${SETTLE_ROUNDS_MAX} rounds`);
  }

  /**
   * Applies the store writes. 'aborted': the transaction over the four platform stores
   * failed (store.partial_write; the diff is atomic, nothing is written); 'cf_failed': the
   * cf_prod call failed. Either way a wake retries soon.
   */
  private apply(a: AccountState, diff: AccountDiff): 'ok' | 'aborted' | 'cf_failed' {
    const { writer } = this.ctx;
    if (fires(this.ctx, a, 'store.partial_write')) return 'aborted';
    if (diff.billingProd.length > 0) writer.billingProd(a, RECOMPUTE_CODE_PATH, diff.billingProd);
    if (diff.subsAccount !== null) writer.subsAccount(a, RECOMPUTE_CODE_PATH, diff.subsAccount);
    if (diff.subsCustomer !== null) writer.subsCustomer(a, RECOMPUTE_CODE_PATH, diff.subsCustomer);
    if (diff.subsDunning !== null) writer.subsDunning(a, RECOMPUTE_CODE_PATH, diff.subsDunning);
    if (diff.cfProd === null) return 'ok';
    if (faultDraw(this.ctx, a, FAULTS.engineCfProdCallFails) < this.ctx.scenario.faults.cfProdCallFailureRate) {
      noteFault(this.ctx, 'cf_prod.call_down');
      return 'cf_failed';
    }
    writer.cfProd(a, RECOMPUTE_CODE_PATH, diff.cfProd);
    return 'ok';
  }

  /**
   * Runs the provider commands; false when none changed the provider (a
   * recorded provider only notes them), so the engine stops at this diff.
   */
  private runCommands(a: AccountState, diff: AccountDiff): boolean {
    let changed = false;
    for (const command of diff.commands) {
      if (command.kind === 'mark_uncollectible')
        changed = this.ctx.provider.markUncollectible(a, command.invoiceId) || changed;
      else if (command.kind === 'resume_subscription')
        changed = this.ctx.provider.setCancelAtPeriodEnd(a, false) || changed;
      else if (command.when === 'end_of_term') changed = this.ctx.provider.setCancelAtPeriodEnd(a, true) || changed;
      else if (this.ctx.provider.cancelSubscription(a)) {
        noteCanceledForNonPayment(this.ctx, a);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Remembers a fixed point (see recompute). With nothing to wake for, it holds until the
   * stores change. With a wake, only for the production engine, with a schedule that never
   * reads the time (a policy module's may), and without fault weather: there a recompute draws
   * no fault, so skipping one changes no draw.
   */
  private noteSettled(a: AccountState, step: RecoveryStep): void {
    if (!this.atFixedPoint(step)) return;
    const diffWakeMs = step.diff.wakeAtMs;
    if (this.nothingToWakeFor(step.diff)) this.settle(a, Number.POSITIVE_INFINITY, -1);
    else if (this.holdsUntilWake && diffWakeMs > this.ctx.nowMs) {
      const phaseEndMs = settling(this.ctx) ? Number.POSITIVE_INFINITY : this.ctx.workloadEndMs;
      this.settle(a, Math.min(diffWakeMs, phaseEndMs), step.wakeAtMs);
    }
  }

  private settle(a: AccountState, untilMs: number, wakeAtMs: number): void {
    a.sim.settledVersion = a.sim.version;
    a.sim.settledUntilMs = untilMs;
    a.sim.settledWakeAtMs = wakeAtMs;
  }

  /**
   * The stores hold the truth once `step` is applied: its diff was empty, or it was the
   * production engine's diff (whose one-apply fixed point is property-tested) with no
   * provider command. Under fault weather every recompute is also a chance for a fault to
   * fire, so there only an empty diff counts (skipping would change which faults fire).
   */
  private atFixedPoint(step: RecoveryStep): boolean {
    if (isEmptyDiff(step.diff)) return true;
    return step.settled && this.exactEngine;
  }

  private nothingToWakeFor(diff: AccountDiff): boolean {
    return diff.wakeAtMs < 0 || diff.wakeAtMs >= this.ctx.endMs;
  }

  /** Sets the one live wake timer; a skewed clock waits out its skew before looking again. */
  private scheduleWake(a: AccountState, atMs: number, skewMs = 0): void {
    a.sim.wakeToken++;
    if (atMs < 0 || atMs >= this.ctx.endMs) return;
    this.ctx.queue.push(Math.max(atMs, this.ctx.nowMs + 1 + skewMs), EV_WAKE, a.accountId, 0, a.sim.wakeToken);
  }
}
