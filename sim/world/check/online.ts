/**
 * The online checker of a verify run. After every event it checks the
 * account's safety invariants (and, for a recompute engine, idempotence);
 * once the weather has healed it watches liveness (an unsettled account, a
 * restriction that outlives the payment) against a bound; at the end of the
 * settle window it checks the cross-store invariants (convergence). It keeps
 * the first violation of each invariant, with the account and the time.
 */
import type { ProviderInvoice } from '../../../policies/account.js';
import type { RecomputeConfig } from '../../../policies/dunning/recompute.js';
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import { computeDiffOf, recomputeConfigOf, type ComputeDiff } from '../../../policies/sets.js';
import { MS_PER_HOUR, severityOf, CONSEQUENCE_LEVELS } from '../../../policies/types.js';
import type { Mutation, SimContext } from '../engine/context.js';
import type { AccountState } from '../model/state.js';
import { brokenNames } from './invariants.js';
import { allowedTransitions, transitionOutsideLifecycle } from './lifecycle-spec.js';
import {
  attemptOnSettledInvoice,
  committedWithoutPayment,
  doubleCharge,
  harsherForLessDebt,
  networkRuleBroken,
  attemptCount,
  recomputeNotIdempotent,
  type AccountHistory,
  type DebtSample,
} from './safety.js';

export interface Violation {
  readonly invariant: string;
  readonly accountId: number;
  readonly atMs: number;
  readonly detail: string;
}

/** How long after the weather heals an account may stay unsettled, or restricted after paying. */
export function livenessBoundMs(ctx: Pick<SimContext, 'scenario'>): number {
  return ctx.scenario.webhooks.delayMaxMs + MS_PER_HOUR;
}

export class OnlineChecker {
  readonly violations = new Map<string, Violation>();
  private readonly mutationsByAccount = new Map<number, Mutation[]>();
  private mutationsSeen = 0;
  private readonly samples: (DebtSample | null)[];
  private readonly unsettledSinceMs: Float64Array;
  /** Attempts on the account when its network rules were last judged (the verdict is a function of them). */
  private readonly attemptsChecked: Int32Array;
  private readonly config: RecomputeConfig;
  private readonly compute: ComputeDiff | null;

  private readonly allowedTransitions: ReadonlySet<string>;

  /**
   * `lifecycle`: the spec whose transitions are allowed. `healMs`: when the faults stop and liveness
   * is watched (a run: the end of the workload; a replay: the last recorded event).
   */
  constructor(
    private readonly ctx: SimContext,
    lifecycle: LifecycleSpec,
    private readonly healMs = ctx.workloadEndMs,
  ) {
    this.samples = new Array<DebtSample | null>(ctx.scenario.accounts).fill(null);
    this.unsettledSinceMs = new Float64Array(ctx.scenario.accounts).fill(-1);
    this.attemptsChecked = new Int32Array(ctx.scenario.accounts);
    this.config = recomputeConfigOf(ctx.policies, ctx.plans);
    this.compute = computeDiffOf(ctx.policies);
    this.allowedTransitions = allowedTransitions(lifecycle);
  }

  private flag(invariant: string, a: AccountState, detail: string): void {
    if (!this.violations.has(invariant))
      this.violations.set(invariant, { invariant, accountId: a.accountId, atMs: this.ctx.nowMs, detail });
  }

  /** After every event for account `a`; `from`/`to` are its lifecycle states before and after. */
  afterEvent(a: AccountState, from: string, to: string): void {
    const h = this.historyOf(a);
    if (doubleCharge(h)) this.flag('noDoubleCharge', a, 'a retried mutation was paid twice');
    if (committedWithoutPayment(h))
      this.flag('payBeforeCommit', a, 'a mutation was committed before its payment succeeded');
    if (attemptOnSettledInvoice(h))
      this.flag('noAttemptOnSettledInvoice', a, 'an attempt on a paid, void or written-off invoice');
    this.checkNetworkRules(a);
    if (transitionOutsideLifecycle(this.allowedTransitions, from, to))
      this.flag('transitionsInsideLifecycle', a, `transition ${from}->${to} is not in the lifecycle spec`);
    this.checkMonotone(a);
    if (this.compute !== null && recomputeNotIdempotent(a, this.ctx.nowMs, this.config, this.compute)) {
      this.flag('recomputeIdempotent', a, 'computeDiff after applyDiff is not empty');
    }
    if (this.ctx.nowMs >= this.healMs) this.checkLiveness(a, this.ctx.nowMs);
  }

  /** Judges the account's attempts against the card-network rules, again only when an attempt was added. */
  private checkNetworkRules(a: AccountState): void {
    const attempts = attemptCount(a);
    if (attempts === this.attemptsChecked[a.accountId]) return;
    this.attemptsChecked[a.accountId] = attempts;
    if (networkRuleBroken(a)) this.flag('networkRulesKept', a, 'an attempt broke a card-network retry rule');
  }

  private historyOf(a: AccountState): AccountHistory {
    const all = this.ctx.mutations;
    for (; this.mutationsSeen < all.length; this.mutationsSeen++) {
      const m = all[this.mutationsSeen]!;
      const list = this.mutationsByAccount.get(m.accountId) ?? [];
      list.push(m);
      this.mutationsByAccount.set(m.accountId, list);
    }
    return {
      account: a,
      mutations: this.mutationsByAccount.get(a.accountId) ?? [],
      attemptsOnSettled: a.sim.attemptsOnSettled,
    };
  }

  private checkMonotone(a: AccountState): void {
    const sample = debtSampleOf(a, this.ctx.nowMs);
    const before = this.samples[a.accountId];
    if (before != null && harsherForLessDebt(before, sample)) {
      this.flag(
        'consequencesMonotone',
        a,
        `${before.level} -> ${sample.level} while owing ${before.owedCents} -> ${sample.owedCents} cents`,
      );
    }
    this.samples[a.accountId] = sample;
  }

  private checkLiveness(a: AccountState, nowMs: number): void {
    const boundMs = livenessBoundMs(this.ctx);
    const healMs = this.healMs;
    if (a.sim.brokenMask === 0) this.unsettledSinceMs[a.accountId] = -1;
    else if (this.unsettledSinceMs[a.accountId]! < 0) this.unsettledSinceMs[a.accountId] = nowMs;
    const since = this.unsettledSinceMs[a.accountId]!;
    if (since >= 0 && nowMs - Math.max(since, healMs) > boundMs) {
      this.flag(
        'settlesWithinBound',
        a,
        `unsettled (${brokenNames(a).join(', ')}) for more than ${boundMs} ms after the faults healed`,
      );
    }
    if (a.sim.harmSinceMs >= 0 && nowMs - Math.max(a.sim.harmSinceMs, healMs) > boundMs) {
      this.flag(
        'paymentLiftsConsequences',
        a,
        `restricted (${a.cfProd.restriction}) owing nothing for more than ${boundMs} ms`,
      );
    }
  }

  /** At the end of the settle window: liveness against the clock, then the cross-store invariants. */
  atEnd(accounts: readonly AccountState[]): void {
    for (const a of accounts) {
      this.checkLiveness(a, this.ctx.endMs);
      for (const name of brokenNames(a)) this.flag(name, a, 'broken at the end of the settle window');
    }
  }
}

function owed(i: ProviderInvoice): boolean {
  return i.firstFailedAtMs >= 0 && (i.status === 'open' || i.status === 'uncollectible');
}

export function debtSampleOf(a: AccountState, atMs: number): DebtSample {
  let owedCents = 0,
    oldestOwedSinceMs = -1;
  for (const i of a.stripe.invoices) {
    if (!owed(i)) continue;
    owedCents += i.amountCents;
    if (oldestOwedSinceMs < 0 || i.firstFailedAtMs < oldestOwedSinceMs) oldestOwedSinceMs = i.firstFailedAtMs;
  }
  return { atMs, owedCents, oldestOwedSinceMs, level: CONSEQUENCE_LEVELS[severityOf(a.cfProd.restriction)]! };
}
