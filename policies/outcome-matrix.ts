/**
 * The payment outcome matrix: for every payment outcome and every lifecycle
 * state the account is in when it arrives, what the platform does and the
 * state it ends in. Total by construction (a Record over both), checked by a
 * test, printed by `billsim policies matrix`, and kept consistent with the
 * recompute engine: a test drives computeDiff through every modelled cell.
 */
import type { LifecycleState } from './lifecycle.js';

export const PAYMENT_OUTCOME_KINDS = [
  'succeeded',
  'failed_soft',
  'failed_hard',
  'requires_action',
  'disputed',
  'refunded',
  'written_off',
  'voided',
] as const;
export type PaymentOutcomeKind = (typeof PAYMENT_OUTCOME_KINDS)[number];

export const MATRIX_ACTIONS = {
  none: 'nothing changes',
  end_dunning: 'stop dunning; lift every consequence',
  reinstate: 'clear the bad-debt flag; lift every consequence',
  start_dunning: 'start dunning; the schedule sets the first retry',
  schedule_retry: 'the schedule sets the next retry',
  await_payment_method: 'stop retrying this card; ask the customer for another',
  request_authentication: 'ask the customer to authenticate (3-D Secure); no retry meanwhile',
  keep_escalated: "keep the ladder's consequences; the schedule may still retry",
  record_dispute: 'record the dispute; a disputed charge is never retried (network rules)',
  record_refund: 'record the refund; the invoice stays paid',
  write_off: 'mark the invoice uncollectible; set the bad-debt flag',
  drop_invoice: 'stop dunning the voided invoice',
} as const;
export type MatrixAction = keyof typeof MATRIX_ACTIONS;

export interface MatrixCell {
  readonly action: MatrixAction;
  readonly next: LifecycleState;
}

const cell = (action: MatrixAction, next: LifecycleState): MatrixCell => ({ action, next });
const same = (action: MatrixAction): Record<LifecycleState, MatrixCell> => ({
  current: cell(action, 'current'),
  retrying: cell(action, 'retrying'),
  awaiting_payment_method: cell(action, 'awaiting_payment_method'),
  escalated: cell(action, 'escalated'),
  written_off: cell(action, 'written_off'),
});

export const OUTCOME_MATRIX: Readonly<Record<PaymentOutcomeKind, Readonly<Record<LifecycleState, MatrixCell>>>> = {
  succeeded: {
    current: cell('none', 'current'),
    retrying: cell('end_dunning', 'current'),
    awaiting_payment_method: cell('end_dunning', 'current'),
    escalated: cell('end_dunning', 'current'),
    written_off: cell('reinstate', 'current'),
  },
  failed_soft: {
    current: cell('start_dunning', 'retrying'),
    retrying: cell('schedule_retry', 'retrying'),
    awaiting_payment_method: cell('schedule_retry', 'retrying'),
    escalated: cell('keep_escalated', 'escalated'),
    written_off: cell('none', 'written_off'),
  },
  failed_hard: {
    current: cell('await_payment_method', 'awaiting_payment_method'),
    retrying: cell('await_payment_method', 'awaiting_payment_method'),
    awaiting_payment_method: cell('await_payment_method', 'awaiting_payment_method'),
    escalated: cell('keep_escalated', 'escalated'),
    written_off: cell('none', 'written_off'),
  },
  requires_action: {
    current: cell('request_authentication', 'awaiting_payment_method'),
    retrying: cell('request_authentication', 'awaiting_payment_method'),
    awaiting_payment_method: cell('request_authentication', 'awaiting_payment_method'),
    escalated: cell('keep_escalated', 'escalated'),
    written_off: cell('none', 'written_off'),
  },
  disputed: same('record_dispute'),
  refunded: same('record_refund'),
  written_off: {
    current: cell('write_off', 'written_off'),
    retrying: cell('write_off', 'written_off'),
    awaiting_payment_method: cell('write_off', 'written_off'),
    escalated: cell('write_off', 'written_off'),
    written_off: cell('write_off', 'written_off'),
  },
  voided: {
    current: cell('none', 'current'),
    retrying: cell('drop_invoice', 'current'),
    awaiting_payment_method: cell('drop_invoice', 'current'),
    escalated: cell('drop_invoice', 'current'),
    written_off: cell('none', 'written_off'),
  },
};

export function outcomeCell(outcome: PaymentOutcomeKind, state: LifecycleState): MatrixCell {
  return OUTCOME_MATRIX[outcome][state];
}
