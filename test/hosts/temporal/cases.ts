/**
 * The scripted dunning cases the time-skipping tests run and whose histories
 * are recorded as replay fixtures (scripts/record-histories.ts).
 */
import { MS_PER_DAY } from '../../../policies/types.js';
import { declined, failedRenewal, INVOICE_ID, NEW_CARD, START_MS, SUCCEEDED, type ScriptedCase } from './support.js';

/** Webhooks land off the policies' hour grid, so no webhook ties with a timer. */
const OFF_GRID_MS = 17 * 60_000;

export const DECLINES_FOR_30_DAYS: ScriptedCase = {
  name: 'declines-30-days',
  input: failedRenewal('insufficient_funds'),
  outcomes: [declined('insufficient_funds')],
  signals: [],
};

const paidAtMs = START_MS + 16 * MS_PER_DAY + OFF_GRID_MS;
export const LATE_PAID: ScriptedCase = {
  name: 'late-paid',
  input: failedRenewal('do_not_honor'),
  outcomes: [declined('do_not_honor')],
  // Paid on the hosted page after seven declines, once the account's changes were blocked.
  signals: [{ kind: 'invoice_paid', atMs: paidAtMs, invoiceId: INVOICE_ID }],
};

const newCardAtMs = START_MS + 9 * MS_PER_DAY + OFF_GRID_MS;
export const HARD_DECLINE_NEW_CARD: ScriptedCase = {
  name: 'hard-decline-new-card',
  input: failedRenewal('expired_card'),
  outcomes: [SUCCEEDED],
  // The customer adds a card on day 9; the webhook is delivered twice (at-least-once delivery).
  signals: [
    { kind: 'payment_method_updated', atMs: newCardAtMs, paymentMethod: NEW_CARD },
    { kind: 'payment_method_updated', atMs: newCardAtMs + 20 * 60_000, paymentMethod: NEW_CARD },
  ],
};

export const RECORDED_CASES: readonly ScriptedCase[] = [DECLINES_FOR_30_DAYS, LATE_PAID, HARD_DECLINE_NEW_CARD];
