/**
 * Entitlements follow payment outcomes: one function, called by every writer.
 */
import {
  ENTITLEMENT_CORE,
  severityOf,
  subscriptionEnded,
  type ConsequenceLevel,
  type Plan,
  type SubscriptionStatus,
} from './types.js';

export function entitlementsFor(plan: Plan, status: SubscriptionStatus, level: ConsequenceLevel): number {
  // No service before the first payment, after the end, or while paused (a trial that ended without a payment method).
  if (subscriptionEnded(status) || status === 'incomplete' || status === 'paused') return 0;
  const severity = severityOf(level);
  if (severity >= severityOf('suspend')) return 0;
  if (severity >= severityOf('restrict_premium')) return plan.entitlements & ENTITLEMENT_CORE;
  return plan.entitlements;
}
