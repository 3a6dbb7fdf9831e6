/**
 * The dunning workflow's signals (webhooks) and query, defined apart from the
 * workflow so that clients import them without loading workflow code.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DunningSignal, DunningView } from './types.js';

export const invoicePaidSignal = defineSignal<[Extract<DunningSignal, { kind: 'invoice_paid' }>]>('invoicePaid');
export const invoiceVoidedSignal = defineSignal<[Extract<DunningSignal, { kind: 'invoice_voided' }>]>('invoiceVoided');
export const paymentMethodUpdatedSignal =
  defineSignal<[Extract<DunningSignal, { kind: 'payment_method_updated' }>]>('paymentMethodUpdated');
export const dunningStateQuery = defineQuery<DunningView>('dunningState');
