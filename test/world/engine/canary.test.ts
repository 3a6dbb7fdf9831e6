/**
 * Canaries: policies broken on purpose. The harness must notice.
 */
import { describe, expect, it } from 'vitest';
import { LEGACY_PROCESSORS } from '../../../policies/dunning/legacy.js';
import type { RetrySchedule } from '../../../policies/retry/schedule.js';
import { targetPolicies, type PolicySet } from '../../../policies/sets.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import { scenarioOf } from '../../support/scenarios.js';

const world = scenarioOf({ accounts: 2000, days: 45, declines: { renewalFailureRate: 0.25 } });

/** Retries every decline daily, stolen and lost cards included. */
const retryEverything: RetrySchedule = {
  name: 'canary-retry-everything',
  params: {},
  next: (input) =>
    input.attempts.length >= 6
      ? { kind: 'exhausted' }
      : { kind: 'retry_at', atMs: input.attempts.at(-1)!.atMs + MS_PER_DAY },
};

describe('canary policies are caught', () => {
  it('a schedule that retries stolen and lost cards breaks the Visa category-1 and Mastercard rules', () => {
    const canary: PolicySet = { ...targetPolicies(), name: 'canary-retry', retry: retryEverything };
    const r = runSimulation(world, canary, 4);
    expect(r.recovery.networkRuleViolationsByRule['visa_category1_retried']).toBeGreaterThan(0);
    expect(r.recovery.networkRuleViolationsByRule['mc_do_not_retry_within_30d']).toBeGreaterThan(0);
  });

  it('a dunning engine that starts dunning but never ends it leaves settled invoices dunned', () => {
    const processors = LEGACY_PROCESSORS.filter((p) => p.codePath === 'legacy/invoice-payment-failed');
    const canary: PolicySet = {
      ...targetPolicies(),
      name: 'canary-never-ends',
      dunning: { kind: 'legacy-processors', processors },
    };
    const r = runSimulation(world, canary, 4);
    expect(r.drift['dunningOnSettledInvoice']).toBeGreaterThan(0);
    expect(r.kpis.disagreeingAccounts).toBeGreaterThan(0);
  });
});
