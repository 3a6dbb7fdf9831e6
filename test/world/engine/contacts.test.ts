/**
 * Dunning contacts as a policy: a contact schedule beside the retry schedule.
 * Customers answer contacts (so a cadence recovers more than none), daily
 * emails annoy some into cancelling, and a platform whose books lag the
 * provider (legacy) emails customers who have already paid.
 */
import { describe, expect, it } from 'vitest';
import { contactCadence } from '../../../policies/contact/cadence.js';
import { PolicyConfigError } from '../../../policies/config.js';
import { policyDocumentSchema, policySetOf } from '../../../policies/document.js';
import { BUILT_IN_DOCUMENTS } from '../../../policies/sets.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import type { Recovery } from '../../../sim/world/result.js';
import { smallBaseline } from '../../support/small.js';

const DAILY = {
  schedule: 'cadence',
  steps: Array.from({ length: 14 }, (_, d) => ({ afterDays: d, channel: 'email' })),
};

function withContact(base: string, contact: unknown) {
  return policySetOf(policyDocumentSchema.parse({ ...BUILT_IN_DOCUMENTS[base]!, name: `${base}-contact`, contact }));
}

function recoveryOf(base: string, contact: unknown, seed: number): Recovery {
  return runSimulation(smallBaseline(2000, 45), withContact(base, contact), seed).recovery;
}

describe('dunning contacts in the world', () => {
  it('customers answer contacts: the default cadence recovers more than no contact, on the same seeds', () => {
    for (const seed of [1, 2, 3]) {
      const none = recoveryOf('target', undefined, seed);
      const cadence = recoveryOf('target', { schedule: 'cadence' }, seed);
      // Same seeds: a larger share of the failed invoices paid (the recovery rate leaves those still in recovery out).
      const share = (r: Recovery): number => r.recoveredInvoices / r.failedInvoices;
      expect(none.contactsSent).toBe(0);
      expect(cadence.contactsSent).toBeGreaterThan(0);
      expect(share(cadence)).toBeGreaterThan(share(none) + 0.03);
      expect(cadence.contactsToCustomersOwingNothing).toBe(0);
    }
  });

  it('daily emails from books that lag the provider reach customers who paid, and drive some to cancel', () => {
    for (const seed of [1, 2, 3]) {
      const none = recoveryOf('legacy', undefined, seed);
      const daily = recoveryOf('legacy', DAILY, seed);
      // Measured: 83 / 79 / 87 contacts to customers owing nothing; subscribers lost by cancellation (churn not
      // by a long suspension) 5 / 4 / 4 against 0 / 0 / 0. Total churn falls (17 / 16 / 10 against 18 / 21 / 14):
      // the contacts also recover customers legacy would otherwise have left suspended past the bound.
      const canceled = (r: Recovery): number => r.involuntaryChurn - r.involuntaryChurnBySuspension;
      expect(daily.contactsToCustomersOwingNothing).toBeGreaterThan(20);
      expect(canceled(none)).toBe(0);
      expect(canceled(daily)).toBeGreaterThan(0);
    }
  });
});

describe('the contact cadence policy', () => {
  const firstFailedAtMs = 10 * MS_PER_DAY;
  it('sends each step in turn after the first failure and stops after the last or past stopAfterDays', () => {
    const c = contactCadence({
      steps: [
        { afterDays: 0, channel: 'email' },
        { afterDays: 30, channel: 'in_app' },
      ],
    });
    expect(c.next({ firstFailedAtMs, contacts: [] })).toEqual({
      kind: 'contact_at',
      atMs: firstFailedAtMs,
      channel: 'email',
    });
    expect(c.next({ firstFailedAtMs, contacts: [{ atMs: firstFailedAtMs, channel: 'email' }] })).toEqual({
      kind: 'stop',
    });
    const d = contactCadence();
    const sent = [0, 3, 5, 7, 14].map((day) => ({
      atMs: firstFailedAtMs + day * MS_PER_DAY,
      channel: 'email' as const,
    }));
    expect(d.next({ firstFailedAtMs, contacts: sent.slice(0, 2) })).toMatchObject({ channel: 'in_app' });
    expect(d.next({ firstFailedAtMs, contacts: sent })).toEqual({ kind: 'stop' });
  });

  it('a bad contact field in a policy document names its path', () => {
    const bad = {
      ...BUILT_IN_DOCUMENTS.target!,
      contact: { schedule: 'cadence', steps: [{ afterDays: -1, channel: 'email' }] },
    };
    expect(() => policySetOf(policyDocumentSchema.parse(bad))).toThrow(PolicyConfigError);
    expect(() => policySetOf(policyDocumentSchema.parse(bad))).toThrow(/contact\.steps\.0\.afterDays/);
  });
});
