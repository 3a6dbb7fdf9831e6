/**
 * Stripe-style ids and times for exported runs. Ids are zero-padded so that
 * sorting them sorts by account, then by the order the simulator made them
 * (replay breaks ties between events created in the same second by id).
 */

/** Virtual time 0 of an exported run: 2025-01-01T00:00:00Z. */
export const EPOCH_SECONDS = 1_735_689_600;

export function epochSeconds(virtualMs: number): number {
  return EPOCH_SECONDS + Math.floor(virtualMs / 1000);
}

function pad(n: number, width = 8): string {
  return n.toString(36).padStart(width, '0');
}

export const customerId = (accountId: number): string => `cus_${pad(accountId)}`;
export const subscriptionId = (accountId: number): string => `sub_${pad(accountId)}`;
export const invoiceKey = (invoiceId: number): string => `in_${pad(invoiceId, 10)}`;
export const paymentIntentId = (invoiceId: number): string => `pi_${pad(invoiceId, 10)}`;
export const chargeId = (invoiceId: number, attempt: number): string => `ch_${pad(invoiceId, 10)}_${pad(attempt, 3)}`;
export const priceId = (planId: number): string => `price_${pad(planId, 3)}`;
/** A payment method id; -2 is the hosted invoice page (the customer paid by hand). */
export const paymentMethodId = (accountId: number, pmId: number): string =>
  pmId < 0 ? `pm_hosted_${pad(accountId)}` : `pm_${pad(pmId, 10)}`;
/** Event ids: per account, in creation order; "c" and "s" are the initial customer and subscription. */
export const eventId = (accountId: number, serial: number | 'c' | 's'): string =>
  `evt_${pad(accountId)}_${typeof serial === 'number' ? `1${pad(serial)}` : `0${serial}`}`;
