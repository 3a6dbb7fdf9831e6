/**
 * Recovery curves are censoring-aware: an invoice that failed just before
 * the run ended and is still unpaid is censored, not a non-recovery, so the
 * curve is above the naive share paid; past what anyone was watched, it says
 * nothing (null) rather than carrying a figure forward.
 */
import { describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../../../policies/types.js';
import { recoveryCurvesOf } from '../../../sim/world/engine/recovery-curves.js';
import type { InvoiceRow, RunResult } from '../../../sim/world/result.js';
import { recoveryCurvesText } from '../../../reports/text.js';

const DAY = MS_PER_DAY;

function row(invoiceId: number, failedDay: number, paidDay: number | null): InvoiceRow {
  return {
    invoiceId,
    accountId: invoiceId,
    kind: 'renewal',
    amountCents: 1000,
    status: paidDay === null ? 'open' : 'paid',
    createdAtMs: failedDay * DAY,
    firstFailedAtMs: failedDay * DAY,
    paidAtMs: paidDay === null ? -1 : paidDay * DAY,
    attempts: 2,
    firstDeclineCode: 'insufficient_funds',
  };
}

describe('recoveryCurvesOf', () => {
  // Ends at day 10. Two failed on day 0 and were paid on days 2 and 4; one failed on day 0 and never paid;
  // one failed on day 9 and is still open at the end (watched one day).
  const invoices = [row(1, 0, 2.5), row(2, 0, 4.5), row(3, 0, null), row(4, 9, null)];
  const { curves, horizonDays } = recoveryCurvesOf(invoices, 10 * DAY);
  const curve = curves.find((c) => c.reason === 'insufficient_funds')!;

  it('censors the invoice still open at the end instead of counting it lost', () => {
    expect(horizonDays).toBe(10);
    // Naive: 2 of 4 paid = 50 %. Kaplan-Meier: the day-9 failure leaves the risk set after day 1: 1 - (2/3)(1/2) = 2/3.
    expect(curve.points[10]!.recoveredShare).toBeCloseTo(2 / 3, 10);
    expect(curve.censoredInvoices).toBe(2);
    expect(curve.peakDay).toBe(3);
    expect(curve.points[5]!.recoveredCents).toBe(2000);
    expect(curve.points[2]!.recoveredCents).toBe(0);
  });

  it('has an `all` curve and nothing when nothing failed', () => {
    expect(curves.map((c) => c.reason)).toEqual(['insufficient_funds', 'all']);
    expect(recoveryCurvesOf([], 10 * DAY).curves).toEqual([]);
  });
});

describe('recoveryCurvesText', () => {
  it('prints each reason by day, n/a past what was watched, and says so when nothing failed', () => {
    const curves = recoveryCurvesOf([row(1, 0, 2.5), row(2, 0, 4.5), row(3, 0, null)], 10 * DAY);
    const text = recoveryCurvesText({ recoveryCurves: curves } as RunResult);
    expect(text).toMatch(/insufficient_funds\s+3\s+0\.0 %\s+33\.3 %\s+66\.7 %\s+n\/a\s+n\/a\s+3\s+20\.00/);
    expect(recoveryCurvesText({ recoveryCurves: recoveryCurvesOf([], DAY) } as RunResult)).toMatch(
      /n\/a \(no renewal failed/,
    );
  });
});
