import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { binaryDelinquency } from '../../../policies/consequences/binary.js';
import { graduatedLadder } from '../../../policies/consequences/graduated.js';
import { targetPolicies } from '../../../policies/sets.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import { allowedTransitions, transitionOutsideLifecycle } from '../../../sim/world/check/lifecycle-spec.js';
import {
  committedWithoutPayment,
  doubleCharge,
  harsherForLessDebt,
  type AccountHistory,
  type MutationRecord,
} from '../../../sim/world/check/safety.js';
import { checkLadderMonotone } from '../../../sim/tools/verify/properties.js';
import { historyOf } from '../../../sim/tools/verify/history.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';

const INITIAL_PROVIDER = historyOf([]).provider;

function history(mutations: MutationRecord[]): AccountHistory {
  const account = {
    accountId: 0,
    stripe: INITIAL_PROVIDER,
    billingProd: [],
    subsAccount: { planId: 1, status: 'active' as const, entitlements: 3 },
    subsCustomer: { defaultPaymentMethodId: 0, hasNoSuccessfulPayment: false, badDebt: false },
    subsDunning: {
      inDunning: false,
      failingInvoiceId: -1,
      failureReason: null,
      retryCount: 0,
      escalationLevel: 'none' as const,
      nextRetryAtMs: -1,
    },
    cfProd: { delinquent: false, restriction: 'none' as const },
  };
  return { account, mutations, attemptsOnSettled: 0 };
}

describe('safety predicates', () => {
  it('doubleCharge: a retry of a paid mutation, also paid', () => {
    const first = { id: 0, retryOf: -1, paid: true, committedSeq: 2, paidSeq: 1 };
    expect(doubleCharge(history([first, { id: 1, retryOf: 0, paid: true, committedSeq: 4, paidSeq: 3 }]))).toBe(true);
    expect(
      doubleCharge(
        history([
          { ...first, paid: false },
          { id: 1, retryOf: 0, paid: true, committedSeq: 4, paidSeq: 3 },
        ]),
      ),
    ).toBe(false);
  });

  it('committedWithoutPayment: commit before the payment, or with none', () => {
    expect(committedWithoutPayment(history([{ id: 0, retryOf: -1, paid: true, committedSeq: 1, paidSeq: 2 }]))).toBe(
      true,
    );
    expect(committedWithoutPayment(history([{ id: 0, retryOf: -1, paid: false, committedSeq: 1, paidSeq: -1 }]))).toBe(
      true,
    );
    expect(committedWithoutPayment(history([{ id: 0, retryOf: -1, paid: true, committedSeq: 2, paidSeq: 1 }]))).toBe(
      false,
    );
  });

  it('harsherForLessDebt: a payment that makes consequences harsher', () => {
    const before = { atMs: 30 * MS_PER_DAY, owedCents: 3000, oldestOwedSinceMs: 0, level: 'restrict_premium' as const };
    expect(
      harsherForLessDebt(before, {
        ...before,
        atMs: 31 * MS_PER_DAY,
        owedCents: 1000,
        oldestOwedSinceMs: 20 * MS_PER_DAY,
        level: 'suspend',
      }),
    ).toBe(true);
    expect(harsherForLessDebt(before, { ...before, atMs: 31 * MS_PER_DAY, level: 'suspend' })).toBe(false);
    expect(harsherForLessDebt(before, { ...before, level: 'suspend' })).toBe(false);
  });

  it('transitionOutsideLifecycle follows the spec', () => {
    const allowed = allowedTransitions(lifecycleSpec());
    expect(transitionOutsideLifecycle(allowed, 'written_off', 'retrying')).toBe(true);
    expect(transitionOutsideLifecycle(allowed, 'escalated', 'written_off')).toBe(false);
    expect(transitionOutsideLifecycle(allowed, 'current', 'current')).toBe(false);
  });

  it('the shipped ladders are monotone (the suite property finds no counterexample)', () => {
    expect(checkLadderMonotone(targetPolicies(), 7, 400).failure).toBeNull();
    expect(checkLadderMonotone({ ...targetPolicies(), ladder: binaryDelinquency() }, 7, 400).failure).toBeNull();
  });

  it('a ladder that eases off with more days overdue is caught', () => {
    const inverted = {
      ...targetPolicies(),
      ladder: {
        ...graduatedLadder(),
        evaluate: (input: Parameters<ReturnType<typeof graduatedLadder>['evaluate']>[0]) => {
          const d = graduatedLadder().evaluate(input);
          return input.nowMs - input.oldestOwedSinceMs > 40 * MS_PER_DAY ? { ...d, level: 'notice' as const } : d;
        },
      },
    };
    const out = checkLadderMonotone(inverted, 7, 2000);
    expect(out.failure).not.toBeNull();
  });
});

test.prop([fc.array(fc.constantFrom('a', 'b'), { maxLength: 3 })])(
  'history builder publishes Stripe events whose ids sort in creation order',
  (xs) => {
    const h = historyOf(
      xs.map((x) =>
        x === 'a'
          ? { kind: 'renew' as const, amountCents: 1000 }
          : { kind: 'fail' as const, code: 'do_not_honor' as const },
      ),
    );
    const ids = h.events.map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of h.events) expect(JSON.stringify(e.data.object)).toContain('cus_00000000');
  },
);
