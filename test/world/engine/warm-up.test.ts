/**
 * Warm start (`warmUpDays`) and support contacts (`customers.supportContactMeanDays`),
 * sim/world/engine/warm-up.ts: opt-in, deterministic, the window counts only its own flows.
 */
import { describe, expect, it } from 'vitest';
import { legacyPolicies, targetPolicies } from '../../../policies/sets.js';
import { resultFromTallies, runSimulation } from '../../../sim/world/engine/run.js';
import { runShard, shardRanges } from '../../../sim/world/engine/job.js';
import { smallBaseline } from '../../support/small.js';

/** Failing renewals often enough that some run out of retries every day. */
const FAILING = 'declines:\n  renewalFailureRate: 0.3\n';
const cold = smallBaseline(1000, 3, FAILING);
const warm = smallBaseline(1000, 3, `warmUpDays: 30\n${FAILING}`);

describe('warm start', () => {
  it('is opt-in: warmUpDays 0 runs exactly as no warm-up', () => {
    const zero = smallBaseline(1000, 3, `warmUpDays: 0\n${FAILING}`);
    expect(JSON.stringify(runSimulation(zero, legacyPolicies(), 3).kpis)).toBe(
      JSON.stringify(runSimulation(cold, legacyPolicies(), 3).kpis),
    );
  });

  it('the window starts with history: the legacy escalator writes within 3 days only after a warm-up', () => {
    const c = runSimulation(cold, legacyPolicies(), 3);
    const w = runSimulation(warm, legacyPolicies(), 3);
    expect(Object.keys(c.writesByCodePath)).not.toContain('legacy/delinquency-escalator');
    expect(Object.keys(w.writesByCodePath)).toContain('legacy/delinquency-escalator');
    expect(w.kpis.dunningCodePaths).toBe(5);
    expect(w.daily.map((d) => d.day)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('flows count from the window on: the last daily row matches the KPIs, not the warm-up', () => {
    const w = runSimulation(warm, legacyPolicies(), 3);
    const last = w.daily[w.daily.length - 1]!;
    expect(last.rollbacks).toBe(Math.round(w.kpis.rollbacksPerDay * 3));
    expect(w.daily[0]!.rollbacks).toBeLessThanOrEqual(last.rollbacks);
    const longer = runSimulation(smallBaseline(1000, 33, FAILING), legacyPolicies(), 3);
    expect(last.invoiceEvents).toBeLessThan(longer.daily[longer.daily.length - 1]!.invoiceEvents);
  });

  it('shards by account like a cold run: three shards merge into the whole run, byte for byte', () => {
    const whole = runSimulation(warm, legacyPolicies(), 4);
    const merged = resultFromTallies(
      warm,
      legacyPolicies(),
      4,
      shardRanges(warm.accounts, 3).map((range) => runShard(warm, legacyPolicies(), 4, range)),
    );
    expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
  });

  it('is deterministic and leaves target at its goals', () => {
    expect(JSON.stringify(runSimulation(warm, legacyPolicies(), 5))).toBe(
      JSON.stringify(runSimulation(warm, legacyPolicies(), 5)),
    );
    const t = runSimulation(warm, targetPolicies(), 5);
    expect(t.kpis.disagreeingAccounts).toBe(0);
    expect(t.kpis.dunningCodePaths).toBe(1);
  });
});

describe('support contacts', () => {
  const withSupport = smallBaseline(1000, 3, `warmUpDays: 30\n${FAILING}customers:\n  supportContactMeanDays: 2\n`);

  it('repair visible drift under legacy (fewer disagreeing accounts) and add a dunning code path', () => {
    const without = runSimulation(warm, legacyPolicies(), 3);
    const repaired = runSimulation(withSupport, legacyPolicies(), 3);
    expect(repaired.kpis.disagreeingAccounts).toBeLessThan(without.kpis.disagreeingAccounts);
    expect(Object.keys(repaired.writesByCodePath)).toContain('legacy/support-repair');
  });

  it('change nothing under target (the engine has no manual repair; the world is the same)', () => {
    const a = runSimulation(warm, targetPolicies(), 3),
      b = runSimulation(withSupport, targetPolicies(), 3);
    expect(b.kpis).toEqual(a.kpis);
    expect(b.drift).toEqual(a.drift);
  });
});

describe('customers paying after a suspension (customers.payAfterSuspensionShare)', () => {
  const paying = smallBaseline(
    1000,
    3,
    `warmUpDays: 30\n${FAILING}customers:\n  supportContactMeanDays: 2\n  payAfterSuspensionShare: 0.9\n`,
  );

  it('under legacy, a paid write-off leaves the bad-debt flag behind (bad-debt drift), and the flags contradict each other', () => {
    const before = runSimulation(warm, legacyPolicies(), 3);
    const after = runSimulation(paying, legacyPolicies(), 3);
    expect(after.drift.badDebtFlagWithoutWriteOff).toBeGreaterThan(before.drift.badDebtFlagWithoutWriteOff ?? 0);
    expect(after.drift.inconsistentDebtFlags).toBeGreaterThan(0);
  });

  it('under target, the engine clears the flag with the payment: no drift', () => {
    const t = runSimulation(paying, targetPolicies(), 3);
    expect(t.kpis.disagreeingAccounts).toBe(0);
    expect(Object.values(t.drift).every((n) => n === 0)).toBe(true);
  });
});
