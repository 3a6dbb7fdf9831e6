import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../policies/account.js';
import { actionsOf, levelOfActions, stateFromActions, type LadderAction } from '../../policies/consequences/actions.js';
import type { ConsequenceLadder } from '../../policies/consequences/ladder.js';
import { statesLadder } from '../../policies/consequences/states-schema.js';
import { computeDiff } from '../../policies/dunning/recompute.js';
import { reasonAware } from '../../policies/retry/reason-aware.js';
import { ENTITLEMENT_CORE, MS_PER_DAY, type AttemptRecord } from '../../policies/types.js';
import { invoice, PLANS, settle, snapshot } from '../support/snapshot.js';

const expired: AttemptRecord = {
  atMs: 0,
  paymentMethodId: 64,
  brand: 'visa',
  declineCode: 'expired_card',
  onSession: false,
};

/** Records the state the ladder answered at each evaluation. */
function recording(ladder: ConsequenceLadder, seen: [number, string][]): ConsequenceLadder {
  return {
    ...ladder,
    evaluate: (input) => {
      const d = ladder.evaluate(input);
      seen.push([input.nowMs, d.state]);
      return d;
    },
  };
}

/** Drives the engine through its own wakes from day 0 to `endDays`, applying `events` at their times; returns when each state was first entered. */
function drive(
  ladder: ConsequenceLadder,
  start: AccountSnapshot,
  endDays: number,
  events: readonly [number, (a: AccountSnapshot) => AccountSnapshot][] = [],
) {
  const seen: [number, string][] = [];
  const config = { plans: PLANS, retry: reasonAware(), ladder: recording(ladder, seen) };
  let account = start,
    nowMs = 0;
  const pending = [...events].sort((x, y) => x[0] - y[0]);
  for (let steps = 0; steps < 500 && nowMs <= endDays * MS_PER_DAY; steps++) {
    while (pending.length > 0 && pending[0]![0] <= nowMs) account = pending.shift()![1](account);
    const { account: next, diff } = settle(account, nowMs, config);
    account = next;
    const wake = diff.ladderReviewAtMs;
    const nextEvent = pending[0]?.[0] ?? Infinity;
    const nextMs = Math.min(wake < 0 ? Infinity : wake, nextEvent);
    if (nextMs === Infinity) break;
    nowMs = nextMs;
  }
  const entered = new Map<string, number>();
  let previous = '';
  for (const [atMs, state] of seen) {
    if (state !== previous && !entered.has(state)) entered.set(state, atMs);
    previous = state;
  }
  return { entered, account };
}

describe('ladder actions', () => {
  it('derives the level from the most severe action; term-end cancellation keeps access', () => {
    expect(levelOfActions(['notify'])).toBe('notice');
    expect(levelOfActions(['notify', 'block_plan_changes'])).toBe('block_changes');
    expect(levelOfActions(['disable_entitlements', 'restrict_premium'])).toBe('suspend');
    expect(levelOfActions(['cancel_at_term_end'])).toBe('notice');
    const s = stateFromActions({ name: 'x', when: {}, actions: ['notify', 'cancel_at_term_end', 'write_off'] });
    expect(s).toMatchObject({ cancel: 'end_of_term', writeOff: true, level: 'notice' });
    expect(actionsOf(s)).toEqual(['notify', 'cancel_at_term_end', 'write_off']);
    expect(() =>
      stateFromActions({ name: 'y', when: {}, actions: ['cancel_immediately', 'cancel_at_term_end'] }),
    ).toThrow('exclude each other');
    expect(() => statesLadder({ states: [{ name: 'a', actions: ['explode' as LadderAction] }] })).toThrow(
      /^ladder: states\.0\.actions\.0: /,
    );
  });
});

describe('Kill Bill issue 2297: a partial payment must not let an account skip a state', () => {
  it('enters every state on its day, in order, whatever partial payments come in between', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 2, maxLength: 5 })
          .map((d) => d.sort((a, b) => b - a)),
        fc.integer({ min: 0, max: 50 * 24 }),
        fc.integer({ min: 1, max: 2999 }),
        (daysDesc, paidAtHours, paidCents) => {
          // Most severe first; two states may share a level (every state blocks changes), as in Kill Bill configs.
          const ladder = statesLadder({
            name: 'od',
            states: daysDesc.map((days, k) => ({
              name: `OD${daysDesc.length - k}`,
              when: { daysOverdueMin: days },
              actions: ['notify', 'block_plan_changes'] as LadderAction[],
            })),
          });
          const start = snapshot([invoice(1, { firstFailedAtMs: 0, attempts: [expired] })]);
          const partial = (a: AccountSnapshot): AccountSnapshot => ({
            ...a,
            stripe: { ...a.stripe, invoices: a.stripe.invoices.map((i) => ({ ...i, amountPaidCents: paidCents })) },
          });
          const { entered } = drive(ladder, start, 55, [[paidAtHours * 3_600_000, partial]]);
          for (const days of daysDesc) {
            const name = `OD${daysDesc.length - daysDesc.indexOf(days)}`;
            expect(entered.get(name), `${name} (${days} days)`).toBe(days * MS_PER_DAY);
          }
        },
      ),
      { numRuns: 60, seed: 2297 },
    );
  });

  it('counts what is still owed after a partial payment, and keeps counting days', () => {
    const ladder = statesLadder({
      states: [
        { name: 'big', when: { daysOverdueMin: 10, owedCentsMin: 2000 }, actions: ['disable_entitlements'] },
        { name: 'late', when: { daysOverdueMin: 10 }, actions: ['block_plan_changes'] },
      ],
    });
    const start = snapshot([invoice(1, { firstFailedAtMs: 0, attempts: [expired] })]);
    const halfPaid = (a: AccountSnapshot): AccountSnapshot => ({
      ...a,
      stripe: { ...a.stripe, invoices: a.stripe.invoices.map((i) => ({ ...i, amountPaidCents: 1500 })) },
    });
    expect(drive(ladder, start, 20).entered.get('big')).toBe(10 * MS_PER_DAY);
    const { entered } = drive(ladder, start, 20, [[5 * MS_PER_DAY, halfPaid]]);
    expect(entered.has('big')).toBe(false);
    expect(entered.get('late')).toBe(10 * MS_PER_DAY);
  });
});

describe('Kill Bill issue 1997: an account-level state leaves a prepaid annual subscription alone unless the ladder says so', () => {
  // The annual subscription's invoice is paid for the year; an add-on invoice on the account is unpaid.
  const annual = invoice(1, { amountCents: 36_000, status: 'paid', paidAtMs: 0 });
  const addOn = invoice(2, {
    amountCents: 500,
    firstFailedAtMs: MS_PER_DAY,
    attempts: [{ ...expired, atMs: MS_PER_DAY }],
  });
  const account = snapshot([annual, addOn]);
  const at = 40 * MS_PER_DAY;
  const config = (actions: LadderAction[]) => ({
    plans: PLANS,
    retry: reasonAware(),
    ladder: statesLadder({ states: [{ name: 'overdue', when: { daysOverdueMin: 5 }, actions }] }),
  });

  it('blocking changes neither pauses nor cancels it', () => {
    const diff = computeDiff(account, at, config(['notify', 'block_plan_changes']));
    expect(diff.commands).toEqual([]);
    expect(diff.subsAccount?.entitlements ?? PLANS[0]!.entitlements).toBe(ENTITLEMENT_CORE);
    expect(diff.subsAccount?.status ?? 'active').not.toBe('canceled');
  });

  it('cancel at term end keeps access until the term ends, and stops once settled', () => {
    const cfg = config(['notify', 'cancel_at_term_end']);
    const { account: after, diff } = settle(account, at, cfg);
    expect(after.stripe.cancelAtPeriodEnd).toBe(true);
    expect(after.stripe.subscriptionStatus).not.toBe('canceled');
    expect(after.subsAccount.entitlements).toBe(PLANS[0]!.entitlements);
    expect(diff.commands).toEqual([]);
    const paid = {
      ...after,
      stripe: { ...after.stripe, invoices: [annual, { ...addOn, status: 'paid' as const, paidAtMs: at }] },
    };
    expect(computeDiff(paid, at + 1, cfg).commands).toEqual([{ kind: 'resume_subscription' }]);
  });

  it('only disable_entitlements or a cancellation takes access away', () => {
    expect(computeDiff(account, at, config(['disable_entitlements'])).subsAccount?.entitlements).toBe(0);
    expect(computeDiff(account, at, config(['cancel_immediately'])).commands).toEqual([
      { kind: 'cancel_subscription', when: 'immediately' },
    ]);
  });
});
