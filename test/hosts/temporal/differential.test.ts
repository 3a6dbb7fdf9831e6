/**
 * Differential check: for generated failing invoices (first decline, card
 * brand, the provider's answer to each charge, webhooks at generated times),
 * the dunning workflow on Temporal makes exactly the decisions the pure driver
 * makes on virtual time (attempt times and outcomes, consequence changes,
 * provider commands, final state). Both run the same policies; what differs is
 * the orchestration: durable timers, signals, activities, serialization.
 * Few runs: each one starts a worker on the time-skipping server.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { DECLINE_CODES } from '../../../policies/decline-codes.js';
import { MS_PER_DAY, type CardBrand, type DeclineCode, type PaymentOutcome } from '../../../policies/types.js';
import { driveRecovery } from '../../../sim/hosts/temporal/driver.js';
import type { DunningSignal } from '../../../sim/hosts/temporal/types.js';
import { useTemporalTestEnv } from './env.js';
import { failedRenewal, INVOICE_ID, outcomeOf, runCase, START_MS, type ScriptedCase } from './support.js';

const temporal = useTemporalTestEnv();

const CARD_CODES = DECLINE_CODES.filter((c) => c !== 'paypal_funding_failed' && c !== 'billing_agreement_revoked');
const declineCode = fc.constantFrom<DeclineCode>(...CARD_CODES);
const brand = fc.constantFrom<CardBrand>('visa', 'mastercard', 'amex');
const outcome: fc.Arbitrary<PaymentOutcome> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<PaymentOutcome>({ kind: 'succeeded' }) },
  { weight: 1, arbitrary: fc.constant<PaymentOutcome>({ kind: 'requires_action' }) },
  { weight: 5, arbitrary: declineCode.map((code): PaymentOutcome => ({ kind: 'declined', declineCode: code })) },
);

/** Webhook k lands (7 + 13k) minutes past an hour: off the policies' hour grid, and off every other webhook's offset. */
function signalsFrom(
  raw: readonly { day: number; hour: number; kind: DunningSignal['kind']; brand: CardBrand }[],
): DunningSignal[] {
  const times = raw.map((r) => r.day * MS_PER_DAY + r.hour * 3_600_000).sort((a, b) => a - b);
  return raw.map((r, k): DunningSignal => {
    const atMs = START_MS + times[k]! + (7 + 13 * k) * 60_000;
    if (r.kind === 'invoice_paid' || r.kind === 'invoice_voided') return { kind: r.kind, atMs, invoiceId: INVOICE_ID };
    return {
      kind: 'payment_method_updated',
      atMs,
      paymentMethod: { id: 20 + k, providerId: `pm_gen_${k}`, brand: r.brand },
    };
  });
}

const rawSignal = fc.record({
  day: fc.integer({ min: 0, max: 47 }),
  hour: fc.integer({ min: 0, max: 23 }),
  kind: fc.constantFrom<DunningSignal['kind']>(
    'payment_method_updated',
    'payment_method_updated',
    'invoice_paid',
    'invoice_voided',
  ),
  brand,
});

const scriptedCase: fc.Arbitrary<ScriptedCase> = fc
  .record({
    first: declineCode,
    brand,
    outcomes: fc.array(outcome, { minLength: 1, maxLength: 10 }),
    signals: fc.array(rawSignal, { maxLength: 3 }),
  })
  .map(({ first, brand: b, outcomes, signals }) => ({
    name: 'generated',
    input: failedRenewal(first, b),
    outcomes,
    signals: signalsFrom(signals),
  }));

describe('dunning workflow vs the pure driver', () => {
  test.prop([scriptedCase], { numRuns: 12 })("the workflow makes the driver's decisions", async (c) => {
    const run = await runCase(temporal().env, c, { workflowBundle: temporal().workflowBundle });
    const expected = driveRecovery(c.input, outcomeOf(c.outcomes), c.signals);
    expect(run.result).toEqual(expected);
    expect(run.provider.charges.length).toBe(expected.decisions.filter((d) => d.kind === 'attempt').length);
    expect(run.stores.snapshot.cfProd.restriction).toBe(expected.final.restriction);
  });
});
