/**
 * The subscription's own failure setting (Stripe's "Manage failed payments":
 * cancel, mark unpaid, leave past due) decides the status a written-off invoice
 * leaves, in the provider's rule, in the recompute engine's prediction of it and
 * in the simulator; a provider cancellation after a write-off is involuntary churn.
 */
import { describe, expect, it } from 'vitest';
import { subscriptionStatusFor, type AfterFailedPayments, type ProviderInvoice } from '../../../policies/account.js';
import { legacyPolicies } from '../../../policies/sets.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import { smallBaseline } from '../../support/small.js';

const invoice = (status: ProviderInvoice['status'], failed = true): ProviderInvoice => ({
  id: 1,
  kind: 'renewal',
  status,
  amountCents: 1_000,
  createdAtMs: 0,
  firstFailedAtMs: failed ? 0 : -1,
  paidAtMs: status === 'paid' ? 1 : -1,
  attempts: [],
});

describe('subscription status after failed payments', () => {
  it('an open failed invoice is past_due; its write-off leaves what the setting says; canceled is final', () => {
    expect(subscriptionStatusFor('active', [invoice('open')])).toBe('past_due');
    const after: Record<AfterFailedPayments, string> = {
      cancel: 'canceled',
      mark_unpaid: 'unpaid',
      leave_past_due: 'active',
    };
    for (const [setting, status] of Object.entries(after))
      expect(subscriptionStatusFor('past_due', [invoice('uncollectible')], setting as AfterFailedPayments)).toBe(
        status,
      );
    expect(subscriptionStatusFor('past_due', [invoice('uncollectible')])).toBe('unpaid');
    expect(subscriptionStatusFor('canceled', [invoice('paid')], 'leave_past_due')).toBe('canceled');
  });

  it('in the simulator: legacy writes off at exhaustion; with cancel the provider cancels, and that is churn', () => {
    const world = (setting: AfterFailedPayments) =>
      smallBaseline(600, 45, `subscriptions:\n  afterFailedPayments: ${setting}\n`);
    const unpaid = runSimulation(world('mark_unpaid'), legacyPolicies(), 5);
    const cancel = runSimulation(world('cancel'), legacyPolicies(), 5);
    const past = runSimulation(world('leave_past_due'), legacyPolicies(), 5);
    expect(cancel.recovery.involuntaryChurn).toBeGreaterThan(unpaid.recovery.involuntaryChurn);
    expect(cancel.recovery.involuntaryChurn - cancel.recovery.involuntaryChurnBySuspension).toBeGreaterThan(0);
    expect(past.recovery.involuntaryChurn).toBeLessThanOrEqual(unpaid.recovery.involuntaryChurn);
  });
});
