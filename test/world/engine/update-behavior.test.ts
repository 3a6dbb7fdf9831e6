/**
 * Stripe's payment_behavior on subscription updates, as a policy choice, on the
 * baseline: pending_if_incomplete holds an upgrade until it is paid, so nothing
 * unpaid is ever granted; default_incomplete applies it at once, and an upgrade
 * whose payment fails is granted unpaid (bad debt) even under pay-before-commit.
 */
import { describe, expect, it } from 'vitest';
import { payBeforeCommit } from '../../../policies/ordering/pay-before-commit.js';
import { targetPolicies } from '../../../policies/sets.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import { baseline } from '../../support/scenarios.js';

describe('payment_behavior on upgrades, baseline seed 7', () => {
  it('pending_if_incomplete: zero bad debt; default_incomplete: bad debt above zero, in money too', () => {
    const pending = runSimulation(baseline(), targetPolicies(), 7);
    const applied = runSimulation(
      baseline(),
      { ...targetPolicies(), name: 'target-default-incomplete', ordering: payBeforeCommit('default_incomplete') },
      7,
    );
    expect(targetPolicies().ordering.updatePaymentBehavior).toBe('pending_if_incomplete');
    expect(pending.kpis.badDebtFromUpgradesCents).toBe(0);
    expect(applied.kpis.badDebtFromUpgradesPerDay).toBeGreaterThan(0);
    expect(applied.kpis.badDebtFromUpgradesCents).toBeGreaterThan(0);
    // Nothing is committed before payment either way: no rollbacks.
    expect(applied.kpis.rollbacksPerDay).toBe(0);
    expect(applied.parameters).toMatchObject({ policies: { ordering: 'pay-before-commit(default_incomplete)' } });
  });
});
