import { describe, expect, it } from 'vitest';
import { stolenCardRetryCanary } from '../../policies/canary/stolen-card-retry.js';
import { RETRY_SCHEDULES } from '../../policies/catalog.js';
import { networkLimits } from '../../policies/config.js';
import { violatedRules } from '../../policies/network-rules.js';
import { targetPolicies } from '../../policies/sets.js';
import { MS_PER_HOUR, type AttemptRecord } from '../../policies/types.js';
import { runSimulation } from '../../sim/world/engine/run.js';
import { smallBaseline } from '../support/small.js';

describe('card-network rules', () => {
  it('caps Visa reattempts at 15 in 30 days, or 20 under the May 2025 rules', () => {
    const attempts: AttemptRecord[] = Array.from({ length: 17 }, (_, k) => ({
      atMs: k * 24 * MS_PER_HOUR,
      paymentMethodId: 1,
      brand: 'visa',
      declineCode: 'do_not_honor',
      onSession: false,
    }));
    const atMs = 17 * 24 * MS_PER_HOUR;
    expect(violatedRules(attempts, atMs, 1, networkLimits({ visaReattemptsMax30d: 15 }))).toEqual([
      'visa_reattempts_over_cap',
    ]);
    expect(violatedRules(attempts, atMs, 1, networkLimits({ visaReattemptsMax30d: 20 }))).toEqual([]);
    expect(() => networkLimits({ visaReattemptsMax30d: 0 })).toThrow('networkRules: visaReattemptsMax30d:');
  });

  it('the canary that retries stolen cards is caught by the run', () => {
    const scenario = smallBaseline(400, 30, 'declines:\n  mix: { stolen_card: 1, insufficient_funds: 1 }\n');
    const result = runSimulation(scenario, { ...targetPolicies(), name: 'canary', retry: stolenCardRetryCanary() }, 7);
    const byRule = result.recovery.networkRuleViolationsByRule;
    expect(byRule.visa_category1_retried).toBeGreaterThan(0);
    expect(byRule.mc_do_not_retry_within_30d).toBeGreaterThan(0);
    expect(runSimulation(scenario, targetPolicies(), 7).recovery.networkRuleViolations).toBe(0);
  });

  it('checks every attempt against the limits the policy set declares', () => {
    // A reason-blind daily schedule that ignores the rules: 18 daily retries of insufficient funds on one card.
    const scenario = smallBaseline(
      300,
      40,
      'recovery:\n  model: fixed-chance\ndeclines:\n  retrySuccess: { default: 0 }\n  mix: { insufficient_funds: 1 }\ncustomers:\n  updateAfterFailureShare: 0\n  payOutOfBandShare: 0\n  brandMix: { visa: 1, mastercard: 0, amex: 0 }\n  paypalShare: 0\n',
    );
    const env15 = { networkLimits: networkLimits({ visaReattemptsMax30d: 15 }) };
    const daily = RETRY_SCHEDULES['per-reason']!.create(
      { table: { default: Array(18).fill(24) }, respectNetworkRules: false },
      env15,
    );
    const run = (visa: number) =>
      runSimulation(
        scenario,
        {
          ...targetPolicies(),
          name: `visa-${visa}`,
          retry: daily,
          networkLimits: networkLimits({ visaReattemptsMax30d: visa }),
        },
        7,
      ).recovery.networkRuleViolationsByRule.visa_reattempts_over_cap!;
    expect(run(15)).toBeGreaterThan(0);
    expect(run(20)).toBe(0);
    const guarded = RETRY_SCHEDULES['per-reason']!.create({ table: { default: Array(18).fill(24) } }, env15);
    expect(
      runSimulation(scenario, { ...targetPolicies(), retry: guarded, networkLimits: env15.networkLimits }, 7).recovery
        .networkRuleViolations,
    ).toBe(0);
  });
});
