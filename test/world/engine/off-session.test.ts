/**
 * The off-session flows under their ordering (sim/world/engine/off-session.ts):
 * under commit-then-pay a renewal's access, its finalized invoice's billing row
 * and a retry's restored access are written before the charge and reversed when
 * it fails (or not: a lost reversal); under pay-before-commit nothing is
 * written first. Each flow is a scope a split ordering covers or not.
 */
import { describe, expect, it } from 'vitest';
import { policyDocumentSchema, policySetOf, type PolicyDocumentInput } from '../../../policies/document.js';
import { inScope, orderingForCharge, type OffSessionScope } from '../../../policies/ordering/by-session.js';
import { BUILT_IN_DOCUMENTS, legacyPolicies, targetPolicies, type PolicySet } from '../../../policies/sets.js';
import { Simulation } from '../../../sim/world/engine/simulation.js';
import { commitRenewal, settleOffSession } from '../../../sim/world/engine/off-session.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import type { Scenario } from '../../../sim/world/scenario/schema.js';
import { smallBaseline } from '../../support/small.js';

/** Failing renewals often, with history so that some accounts are restricted in the window. */
const FAILING = 'declines:\n  renewalFailureRate: 0.3\n';
const world = smallBaseline(1500, 20, `warmUpDays: 30\n${FAILING}`);

function legacyWith(ordering: PolicyDocumentInput['ordering']): PolicySet {
  return policySetOf(policyDocumentSchema.parse({ ...BUILT_IN_DOCUMENTS['legacy']!, ordering }));
}

const offSessionOnly = (scope: OffSessionScope): PolicySet =>
  legacyWith({
    onSession: 'commit-then-pay',
    offSession: 'pay-before-commit',
    offSessionScope: scope,
    outsideScope: 'commit-then-pay',
  });

function run(scenario: Scenario, policies: PolicySet, seed = 3): Simulation {
  const sim = new Simulation(scenario, policies, seed);
  sim.run();
  return sim;
}

const offSessionTotal = (sim: Simulation): number =>
  Object.values(sim.ctx.metrics.rollbacksByFlow).reduce((s, n) => s + n, 0);

describe('scopes', () => {
  it('first-renewal covers a never-paid customer’s renewal and finalization; renewals every renewal; all retries too', () => {
    const charges = [
      { flow: 'renewal', firstRenewal: true },
      { flow: 'finalization', firstRenewal: false },
      { flow: 'retry', firstRenewal: true },
    ] as const;
    const covered = (scope: OffSessionScope) => charges.map((c) => inScope(scope, c));
    expect(covered('none')).toEqual([false, false, false]);
    expect(covered('first-renewal')).toEqual([true, false, false]);
    expect(covered('renewals')).toEqual([true, true, false]);
    expect(covered('all')).toEqual([true, true, true]);
  });

  it('a single ordering governs every off-session flow', () => {
    const legacy = legacyPolicies().ordering;
    expect(orderingForCharge(legacy, { flow: 'retry', firstRenewal: false })).toBe(legacy);
  });
});

describe('off-session flows under commit-then-pay', () => {
  const legacy = run(world, legacyPolicies());

  it('each flow commits before its charge and rolls back when the charge fails', () => {
    const byFlow = legacy.ctx.metrics.rollbacksByFlow;
    expect(byFlow.finalization).toBeGreaterThan(0);
    expect(byFlow.renewal).toBeGreaterThan(0);
    expect(byFlow.retry).toBeGreaterThan(0);
    const paths = [...legacy.ctx.writer.writes.keys()];
    for (const flow of ['renewal', 'finalization', 'retry'])
      expect(paths).toEqual(expect.arrayContaining([`off-session-commit/${flow}`, `off-session-rollback/${flow}`]));
  });

  it('the rollbacks KPI counts the off-session reversals beside the upgrades’ (pay-before-commit everywhere off session removes exactly those)', () => {
    const covered = run(world, offSessionOnly('all'));
    expect(offSessionTotal(covered)).toBe(0);
    expect(legacy.ctx.metrics.rollbacks).toBeGreaterThan(covered.ctx.metrics.rollbacks);
    expect([...covered.ctx.writer.writes.keys()].some((p) => p.startsWith('off-session-'))).toBe(false);
  });

  it('a scope removes the rollbacks of the flows it covers and leaves the others', () => {
    const renewals = run(world, offSessionOnly('renewals')).ctx.metrics.rollbacksByFlow;
    expect(renewals.renewal + renewals.finalization).toBe(0);
    expect(renewals.retry).toBeGreaterThan(0);
    const none = run(world, offSessionOnly('none')).ctx.metrics.rollbacksByFlow;
    expect(none).toEqual(legacy.ctx.metrics.rollbacksByFlow);
  });

  it('first-renewal covers only customers who never paid: with none of them, it covers nothing', () => {
    const paying = smallBaseline(1500, 20, `warmUpDays: 30\n${FAILING}customers:\n  newCustomerShare: 0\n`);
    const first = run(paying, offSessionOnly('first-renewal')).ctx.metrics.rollbacksByFlow;
    expect(first).toEqual(run(paying, offSessionOnly('none')).ctx.metrics.rollbacksByFlow);
    const allNew = smallBaseline(1500, 20, `${FAILING}customers:\n  newCustomerShare: 1\n`);
    const onlyNew = run(allNew, offSessionOnly('first-renewal')).ctx.metrics.rollbacksByFlow;
    expect(onlyNew.renewal + onlyNew.finalization).toBeLessThan(
      run(allNew, offSessionOnly('none')).ctx.metrics.rollbacksByFlow.finalization,
    );
  });

  /** One failed renewal's commits and their reversal, on a fresh account of `faults`' world. */
  function failedRenewal(faults: string) {
    const sim = new Simulation(smallBaseline(10, 10, `faults:\n${faults}`), offSessionOnly('none'), 1);
    const a = sim.ctx.accounts[0]!;
    const invoice = sim.ctx.provider.createInvoice(a, 'renewal', 1000, 0, -1);
    const reversals = commitRenewal(sim.ctx, a, invoice);
    const committed = a.billingProd.find((r) => r.invoiceId === invoice.id)?.status;
    settleOffSession(sim.ctx, a, reversals, false);
    return { sim, row: a.billingProd.find((r) => r.invoiceId === invoice.id)?.status, committed, reversals };
  }

  it('a failed charge reverses the finalization commit; a lost reversal leaves the row paid for an unpaid invoice', () => {
    const reversed = failedRenewal('  rollbackFailureRate: 0\n  rollbackLateRate: 0\n');
    expect(reversed.reversals.map((r) => r.flow)).toEqual(['finalization']);
    expect([reversed.committed, reversed.row]).toEqual(['paid', 'open']);
    expect(reversed.sim.ctx.metrics.rollbacksByFlow.finalization).toBe(1);
    const lost = failedRenewal('  rollbackFailureRate: 1\n  rollbackLateRate: 0\n');
    expect(lost.row).toBe('paid');
    expect(lost.sim.ctx.metrics.rollbacksByFlow.finalization).toBe(1);
    const late = failedRenewal('  rollbackFailureRate: 0\n  rollbackLateRate: 1\n');
    expect(late.row).toBe('paid');
    expect(late.sim.ctx.offSessionReversals.size).toBe(1);
    const a = late.sim.ctx.accounts[0]!;
    settleOffSession(late.sim.ctx, a, late.reversals, false); // a second late reversal of the same invoice and flow
    expect(late.sim.ctx.offSessionReversals.size).toBe(2);
  });

  it('under target (pay-before-commit for every flow) no off-session flow writes first', () => {
    const target = run(world, targetPolicies());
    expect(offSessionTotal(target)).toBe(0);
    expect(target.ctx.metrics.rollbacks).toBe(0);
  });

  it('deterministic: the same seed gives the same per-flow rollbacks', () => {
    const again = run(world, legacyPolicies());
    expect(again.ctx.metrics.rollbacksByFlow).toEqual(legacy.ctx.metrics.rollbacksByFlow);
    expect(runSimulation(world, legacyPolicies(), 3).kpis).toEqual(runSimulation(world, legacyPolicies(), 3).kpis);
  });
});
