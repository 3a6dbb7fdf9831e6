/**
 * The simulator asks violatedRulesOn (no history built when the card has no merchant-initiated
 * decline in reach); its verdict must equal the full rules' on the full history.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkHistoryOf, violatedRules, violatedRulesOn } from '../../policies/network-rules.js';
import { DECLINE_CODES } from '../../policies/decline-codes.js';
import { MS_PER_HOUR, type AttemptRecord } from '../../policies/types.js';

/** A card has one brand: payment method 1 is a Visa, 2 a Mastercard, 3 an Amex. */
const BRANDS = ['visa', 'mastercard', 'amex'] as const;

const attemptArb = fc.record({
  atMs: fc.integer({ min: 0, max: 60 * 24 }).map((h) => h * MS_PER_HOUR),
  paymentMethodId: fc.integer({ min: 1, max: 3 }),
  declineCode: fc.option(fc.constantFrom(...DECLINE_CODES), { nil: null, freq: 3 }),
  onSession: fc.boolean(),
  networkAdviceCode: fc.option(fc.constantFrom('01', '03', '21', '24', '29'), { nil: null }),
});

const invoicesArb = fc.array(
  fc.record({
    id: fc.integer({ min: 1, max: 4 }),
    amountCents: fc.constantFrom(1_000, 3_000),
    attempts: fc.array(
      attemptArb.map((a) => ({ ...a, brand: BRANDS[a.paymentMethodId - 1]! })),
      { maxLength: 14 },
    ),
  }),
  { maxLength: 4 },
);

describe('violatedRulesOn', () => {
  it('gives the verdict of violatedRules over the whole history, for any invoices and attempt', () => {
    fc.assert(
      fc.property(
        invoicesArb,
        fc.integer({ min: 0, max: 61 * 24 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (invoices, hour, paymentMethodId, invoiceId) => {
          const sorted = invoices.map((i) => ({
            ...i,
            attempts: [...i.attempts].sort((x: AttemptRecord, y: AttemptRecord) => x.atMs - y.atMs),
          }));
          const amountCents = sorted.find((i) => i.id === invoiceId)?.amountCents ?? 1_000;
          const next = { atMs: hour * MS_PER_HOUR, paymentMethodId, amountCents, invoiceId };
          const before = networkHistoryOf(sorted).filter((a) => a.atMs <= next.atMs);
          expect(violatedRulesOn(sorted, next)).toEqual(violatedRules(before, next));
        },
      ),
      { numRuns: 2_000, seed: 7 },
    );
  });
});
