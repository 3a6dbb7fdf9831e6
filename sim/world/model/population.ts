/**
 * The synthetic population: plans, terms, providers, card brands, expiring
 * cards, new customers. Every draw is keyed by account, so account k is the
 * same customer whatever the population size or the policy set.
 */
import {
  ENTITLEMENT_CORE,
  ENTITLEMENT_PREMIUM,
  MS_PER_DAY,
  type CardBrand,
  type Plan,
} from '../../../policies/types.js';
import type { Stream } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';
import { pickWeighted } from './weights.js';
import { newAccount, newCard, type AccountState } from './state.js';
import { ACCOUNT_INIT, COUNTER } from '../kernel/slots.js';

export const MONTH_MS = 30 * MS_PER_DAY;

export function plansOf(s: Scenario): Plan[] {
  return s.plans.map((p, id) => ({
    id,
    name: p.name,
    monthlyPriceCents: p.monthlyPriceCents,
    entitlements: ENTITLEMENT_CORE | (p.premium ? ENTITLEMENT_PREMIUM : 0),
  }));
}

export function createAccount(s: Scenario, plans: readonly Plan[], stream: Stream, accountId: number): AccountState {
  const u = (slot: number): number => stream.u01(accountId, COUNTER.accountInit, slot);
  const plan = plans[Number(pickWeighted(planWeightsOf(s), u(ACCOUNT_INIT.planPick)))]!;
  const provider = u(ACCOUNT_INIT.paypal) < s.customers.paypalShare ? 'paypal' : 'stripe';
  const brand: CardBrand =
    provider === 'paypal' ? 'paypal' : pickWeighted(s.customers.brandMix, u(ACCOUNT_INIT.brandPick));
  const expiresAtMs =
    provider === 'stripe' && u(ACCOUNT_INIT.cardExpires) < s.customers.cardExpiryShare
      ? Math.floor(u(ACCOUNT_INIT.cardExpiryTime) * ((s.warmUpDays ?? 0) + s.days) * MS_PER_DAY)
      : Number.POSITIVE_INFINITY;
  const termMonths = u(ACCOUNT_INIT.annualTerm) < s.customers.annualShare ? 12 : 1;
  const nextRenewalMs = Math.floor(u(ACCOUNT_INIT.firstRenewalTime) * termMonths * MONTH_MS);
  const hasPaid = u(ACCOUNT_INIT.hasPaidBefore) >= s.customers.newCustomerShare;
  const a = newAccount(
    accountId,
    plan,
    provider,
    newCard(accountId * 64, brand, expiresAtMs),
    termMonths,
    nextRenewalMs,
    hasPaid,
  );
  a.stripe.afterFailedPayments = s.subscriptions.afterFailedPayments;
  return a;
}

const planWeights = new WeakMap<Scenario['plans'], Record<string, number>>();

/** Plan weights keyed by plan index, built once per scenario. */
function planWeightsOf(s: Scenario): Record<string, number> {
  let weights = planWeights.get(s.plans);
  if (weights === undefined)
    planWeights.set(s.plans, (weights = Object.fromEntries(s.plans.map((p, id) => [String(id), p.weight]))));
  return weights;
}

/** The first time of a Poisson process with `perMonth` events a month, from the account's init draws. */
export function firstArrivalMs(stream: Stream, accountId: number, slot: number, perMonth: number): number {
  if (perMonth <= 0) return Number.POSITIVE_INFINITY;
  return Math.round(-Math.log(1 - stream.u01(accountId, COUNTER.accountInit, slot)) * (MONTH_MS / perMonth));
}
