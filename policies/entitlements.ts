/**
 * Entitlements follow payment outcomes: one function, called by every writer.
 */
import { ENTITLEMENT_CORE, severityOf, type ConsequenceLevel, type Plan, type SubscriptionStatus } from './types.js';

export function entitlementsFor(plan: Plan, status: SubscriptionStatus, level: ConsequenceLevel): number {
  if (status === 'canceled' || status === 'incomplete') return 0;
  const severity = severityOf(level);
  if (severity >= severityOf('suspend')) return 0;
  if (severity >= severityOf('restrict_premium')) return plan.entitlements & ENTITLEMENT_CORE;
  return plan.entitlements;
}
