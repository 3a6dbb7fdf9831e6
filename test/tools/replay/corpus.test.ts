/**
 * The corpus of test/fixtures/stripe/: Stripe's own fixture objects of five API versions (2020-03-02
 * to 2025-03-31.basil; provenance in test/fixtures/stripe/PROVENANCE.md), in one story each: a
 * customer whose renewal fails twice with insufficient_funds and is paid on the third attempt, and
 * one declined twice with transaction_not_allowed and written off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { targetPolicies } from '../../../policies/sets.js';
import { parsePerturb } from '../../../sim/tools/replay/perturb.js';
import { replayAndCheck, type CheckedReplay } from '../../../sim/tools/replay/verdict.js';
import { replayStream } from '../../../sim/tools/replay/replay.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';
import { states } from './support.js';

const CORPUS = join(import.meta.dirname, '../../fixtures/stripe');
const VERSIONS = ['2020-03-02', '2020-08-27', '2022-11-15', '2024-06-20', '2025-03-31.basil'];
const BASIL = '2025-03-31.basil';

function eventsOf(version: string): object[] {
  return readFileSync(join(CORPUS, `${version}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as object);
}

async function judge(source: string | readonly object[], perturb: string | null = null): Promise<CheckedReplay> {
  return replayAndCheck(source, {
    policies: targetPolicies(),
    lifecycle: lifecycleSpec(),
    seed: 3,
    perturb: perturb === null ? null : parsePerturb(perturb),
    skipBad: false,
    settleMs: null,
  });
}

function declines(r: CheckedReplay, account: number): unknown[] {
  return r.outcome.states[account]!.stripe.invoices[0]!.attempts.map((x) => x.declineCode);
}

/** Final states in customer order (accounts are numbered in the order a delivery first names them). */
function byCustomer(r: CheckedReplay): unknown[] {
  return states([...r.outcome.accounts].sort((x, y) => x.customer.localeCompare(y.customer)));
}

/** A permutation of the events drawn from a small linear congruential generator (seeded, no Math.random). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let k = out.length - 1; k > 0; k--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (k + 1);
    [out[k], out[j]] = [out[j]!, out[k]!];
  }
  return out;
}

describe.each(VERSIONS)('Stripe fixtures, API version %s', (version) => {
  const path = join(CORPUS, `${version}.jsonl`);

  it('every event carries its version and replays to the story under every invariant', async () => {
    expect(eventsOf(version).every((e) => (e as { api_version?: string }).api_version === version)).toBe(true);
    const r = await judge(path);
    expect(r.invariants.filter((i) => i.status === 'failed')).toEqual([]);
    expect(states(r.outcome.accounts)).toEqual([
      {
        customer: 'cus_recovers',
        invoices: [{ id: 'in_recovers', status: 'paid' }],
        inDunning: false,
        restricted: false,
        subscriptionStatus: 'active',
      },
      {
        customer: 'cus_writtenoff',
        invoices: [{ id: 'in_writtenoff', status: 'resolved' }],
        inDunning: false,
        restricted: true,
        subscriptionStatus: 'unpaid',
      },
    ]);
    expect(r.outcome.result.recovery.failedInvoices).toBe(2);
  });

  it('links every failed invoice that the version lets a webhook link, with its recorded decline code', async () => {
    const r = await judge(path);
    expect(declines(r, 0)).toEqual(['insufficient_funds', 'insufficient_funds', null]);
    // The network's own code, where the version's charge has outcome.network_decline_code (basil's fixture does).
    expect(r.outcome.states[0]!.stripe.invoices[0]!.attempts[0]!.networkDeclineCode ?? null).toBe(
      version === BASIL ? '51' : null,
    );
    if (version === BASIL) {
      // Basil removed charge.invoice, invoice.charge and payment_intent.invoice; an invoice payment is
      // announced only when paid, so a never-paid invoice's charges cannot be linked from webhooks:
      // its failures come from its payment_failed events, reason unknown, and the summary says so.
      expect(declines(r, 1)).toEqual(['generic_decline', 'generic_decline']);
      expect(r.outcome.unlinked).toMatchObject({ failedInvoices: 2, failedInvoicesWithoutAttempts: 1, warning: null });
    } else {
      expect(declines(r, 1)).toEqual(['transaction_not_allowed', 'transaction_not_allowed']);
      expect(r.outcome.unlinked).toMatchObject({ failedInvoices: 2, failedInvoicesWithoutAttempts: 0 });
    }
  });

  it('ends in the same stores delivered shuffled, duplicated or late', async () => {
    const recorded = await judge(path);
    const events = eventsOf(version);
    const variants = await Promise.all([
      judge(shuffled(events, 17)),
      judge(events.flatMap((e) => [e, e])),
      judge(path, 'late=0.5:2d,dup=0.3,reorder=0.3,drop=0.2'),
    ]);
    for (const v of variants) {
      expect(v.invariants.filter((i) => i.status === 'failed')).toEqual([]);
      expect(byCustomer(v)).toEqual(byCustomer(recorded));
    }
  });

  it('has one timeline (--timeline) for the recorded order and every event delivered twice', async () => {
    const timeline = async (source: string | readonly object[]): Promise<unknown> =>
      (
        await replayStream(source, {
          policies: targetPolicies(),
          lifecycle: lifecycleSpec(),
          seed: 3,
          perturb: null,
          skipBad: false,
          settleMs: null,
          samples: 'daily',
        })
      ).timeline;
    const recorded = (await timeline(path)) as { customers: { consequenceState: string }[] }[];
    expect(recorded.length).toBeGreaterThan(50);
    expect(recorded.some((p) => p.customers.some((c) => c.consequenceState !== 'clear'))).toBe(true);
    expect(await timeline(eventsOf(version).flatMap((e) => [e, e]))).toEqual(recorded);
  });
});
