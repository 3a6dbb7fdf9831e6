import { describe, expect, it } from 'vitest';
import type { AccountSnapshot, ProviderInvoice } from '../../policies/account.js';
import { graduatedLadder } from '../../policies/consequences/graduated.js';
import { LIFECYCLE_STATES, lifecycleStateOf, type LifecycleState } from '../../policies/lifecycle.js';
import {
  MATRIX_ACTIONS,
  OUTCOME_MATRIX,
  PAYMENT_OUTCOME_KINDS,
  type PaymentOutcomeKind,
} from '../../policies/outcome-matrix.js';
import { reasonAware } from '../../policies/retry/reason-aware.js';
import { MS_PER_DAY, type AttemptRecord, type DeclineCode } from '../../policies/types.js';
import { invoice, PLANS, settle, snapshot } from '../support/snapshot.js';

const config = { plans: PLANS, retry: reasonAware(), ladder: graduatedLadder() };
const attempt = (atMs: number, declineCode: DeclineCode | null, paymentMethodId = 64): AttemptRecord => ({
  atMs,
  paymentMethodId,
  brand: 'visa',
  declineCode,
  onSession: false,
});

/** An account settled by the engine into each lifecycle state, with the invoice the outcome is about. */
function accountIn(state: LifecycleState): { account: AccountSnapshot; nowMs: number; target: number } {
  const failed = (code: DeclineCode, atMs = 0) =>
    invoice(1, { firstFailedAtMs: atMs, attempts: [attempt(atMs, code)] });
  const setups: Record<LifecycleState, [ProviderInvoice[], number]> = {
    current: [[invoice(1)], MS_PER_DAY],
    retrying: [[failed('insufficient_funds')], MS_PER_DAY],
    awaiting_payment_method: [[failed('stolen_card')], MS_PER_DAY],
    escalated: [[failed('stolen_card')], 22 * MS_PER_DAY],
    written_off: [
      [
        invoice(1, { status: 'uncollectible', firstFailedAtMs: 0, attempts: [attempt(0, 'stolen_card')] }),
        invoice(2, { createdAtMs: MS_PER_DAY }),
      ],
      50 * MS_PER_DAY,
    ],
  };
  const [invoices, nowMs] = setups[state];
  const { account } = settle(snapshot(invoices), nowMs, config);
  expect(lifecycleStateOf(account)).toBe(state);
  return { account, nowMs, target: state === 'written_off' ? 2 : 1 };
}

/** What the provider's store looks like after the outcome, on the invoice it is about. */
function withOutcome(
  a: AccountSnapshot,
  outcome: PaymentOutcomeKind,
  id: number,
  nowMs: number,
  state: LifecycleState,
): AccountSnapshot {
  const newCard = state === 'awaiting_payment_method' ? 65 : 64;
  const edit = (f: (i: ProviderInvoice) => ProviderInvoice) => ({
    ...a,
    stripe: {
      ...a.stripe,
      defaultPaymentMethodId: newCard,
      paymentMethodUpdatedAtMs: newCard === 65 ? nowMs - 1 : a.stripe.paymentMethodUpdatedAtMs,
      invoices: a.stripe.invoices.map((i) =>
        i.id === (outcome === 'succeeded' && state === 'written_off' ? 1 : id) ? f(i) : i,
      ),
    },
  });
  const fail = (code: DeclineCode) =>
    edit((i) => ({
      ...i,
      firstFailedAtMs: i.firstFailedAtMs < 0 ? nowMs : i.firstFailedAtMs,
      attempts: [...i.attempts, attempt(nowMs, code, newCard)],
    }));
  switch (outcome) {
    case 'succeeded':
      return edit((i) => ({
        ...i,
        status: 'paid',
        paidAtMs: nowMs,
        attempts: [...i.attempts, attempt(nowMs, null, newCard)],
      }));
    case 'failed_soft':
      return fail('insufficient_funds');
    case 'failed_hard':
      return fail('stolen_card');
    case 'requires_action':
      return fail('authentication_required');
    case 'written_off':
      return edit((i) => ({
        ...i,
        status: 'uncollectible',
        firstFailedAtMs: i.firstFailedAtMs < 0 ? nowMs : i.firstFailedAtMs,
      }));
    case 'voided':
      return edit((i) => (i.status === 'open' ? { ...i, status: 'void' } : i));
    case 'disputed':
    case 'refunded':
      return a; // on an earlier, paid charge: the open invoice and the stores are untouched
  }
}

describe('payment outcome matrix', () => {
  it('is total: every outcome in every lifecycle state has a known action and a next state', () => {
    for (const outcome of PAYMENT_OUTCOME_KINDS) {
      expect(Object.keys(OUTCOME_MATRIX[outcome]).sort()).toEqual([...LIFECYCLE_STATES].sort());
      for (const state of LIFECYCLE_STATES) {
        const cell = OUTCOME_MATRIX[outcome][state];
        expect(Object.keys(MATRIX_ACTIONS)).toContain(cell.action);
        expect(LIFECYCLE_STATES).toContain(cell.next);
      }
    }
    expect(Object.keys(OUTCOME_MATRIX).sort()).toEqual([...PAYMENT_OUTCOME_KINDS].sort());
  });

  for (const state of LIFECYCLE_STATES) {
    it(`agrees with the recompute engine from ${state}`, () => {
      for (const outcome of PAYMENT_OUTCOME_KINDS) {
        const { account, nowMs, target } = accountIn(state);
        const after = settle(withOutcome(account, outcome, target, nowMs + 1000, state), nowMs + 1000, config).account;
        expect(lifecycleStateOf(after), `${outcome} in ${state}`).toBe(OUTCOME_MATRIX[outcome][state].next);
      }
    });
  }
});
