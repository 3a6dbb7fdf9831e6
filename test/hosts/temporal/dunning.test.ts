/**
 * The dunning workflow on Temporal's time-skipping test server: whole
 * recoveries of 9 to 45 days run in seconds. The provider is scripted per
 * attempt; the policies decide. Each case is also run by the pure driver, and
 * the workflow must make exactly the driver's decisions.
 */
import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '../../../policies/types.js';
import { driveRecovery } from '../../../sim/hosts/temporal/driver.js';
import { useTemporalTestEnv } from './env.js';
import { DECLINES_FOR_30_DAYS, HARD_DECLINE_NEW_CARD, LATE_PAID } from './cases.js';
import {
  FIRST_CARD,
  INVOICE_ID,
  NEW_CARD,
  outcomeOf,
  runCase,
  START_MS,
  type CaseRun,
  type ScriptedCase,
} from './support.js';

const temporal = useTemporalTestEnv();

const day = (atMs: number): number => (atMs - START_MS) / MS_PER_DAY;

function attemptDays(run: CaseRun): number[] {
  return run.result.decisions.filter((d) => d.kind === 'attempt').map((d) => day(d.atMs));
}

function consequences(run: CaseRun): string[] {
  return run.result.decisions.flatMap((d) => (d.kind === 'consequence' ? [`${day(d.atMs)}:${d.to}`] : []));
}

/** The stores the activities wrote agree with the workflow's own view, and the driver made the same decisions. */
function expectConsistent(c: ScriptedCase, run: CaseRun): void {
  expect(run.result).toEqual(driveRecovery(c.input, outcomeOf(c.outcomes), c.signals));
  const stores = run.stores.snapshot;
  expect(stores.cfProd.restriction).toBe(run.result.final.restriction);
  expect(stores.subsDunning.inDunning).toBe(run.result.final.inDunning);
  expect(stores.subsAccount.entitlements).toBe(run.result.final.entitlements);
  expect(stores.billingProd.find((r) => r.invoiceId === INVOICE_ID)?.status).toBe(run.result.final.billingStatus);
  expect([...run.stores.codePaths]).toEqual(['recompute-engine']);
  expect(new Set(run.provider.charges.map((c) => c.idempotencyKey)).size).toBe(run.provider.charges.length);
}

describe('dunning workflow (time-skipping)', () => {
  it('runs the whole reason-aware schedule through declines, then escalates to write-off and cancel on day 45', async () => {
    const run = await runCase(temporal().env, DECLINES_FOR_30_DAYS, temporal());
    // insufficient_funds waits 72 h; eight attempts per card, then it waits for a new card.
    expect(attemptDays(run)).toEqual([3, 6, 9, 12, 15, 18, 21]);
    expect(consequences(run)).toEqual([
      '0:notice',
      '7:restrict_premium',
      '14:block_changes',
      '21:suspend',
      '45:cancel',
    ]);
    expect(run.result.final).toMatchObject({
      invoiceStatus: 'uncollectible',
      billingStatus: 'resolved',
      subscriptionStatus: 'canceled',
      restriction: 'cancel',
      inDunning: false,
      entitlements: 0,
      attempts: 8,
    });
    expect(run.provider.commands.map((c) => c.idempotencyKey.split(':').slice(1).join(':'))).toEqual([
      `command:${START_MS + 45 * MS_PER_DAY}:0`,
      `command:${START_MS + 45 * MS_PER_DAY}:1`,
    ]);
    expect(run.notifier.sent.filter((e) => e.type === 'invoice.written_off')).toEqual([
      { type: 'invoice.written_off', invoiceId: INVOICE_ID },
    ]);
    expect(run.serverElapsedMs).toBeGreaterThanOrEqual(45 * MS_PER_DAY);
    expectConsistent(DECLINES_FOR_30_DAYS, run);
  });

  it('a late "paid" webhook ends dunning and lifts the restrictions at once', async () => {
    const run = await runCase(temporal().env, LATE_PAID, temporal());
    expect(attemptDays(run)).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(consequences(run)).toEqual([
      '0:notice',
      '7:restrict_premium',
      '14:block_changes',
      `${day(LATE_PAID.signals[0]!.atMs)}:none`,
    ]);
    expect(run.result.final).toMatchObject({
      invoiceStatus: 'paid',
      billingStatus: 'paid',
      subscriptionStatus: 'active',
      restriction: 'none',
      inDunning: false,
      entitlements: 3,
    });
    expect(run.provider.commands).toEqual([]);
    expectConsistent(LATE_PAID, run);
  });

  it('a hard decline waits for a new card (no futile retries), then charges it an hour after it arrives', async () => {
    const run = await runCase(temporal().env, HARD_DECLINE_NEW_CARD, temporal());
    const newCardAtMs = HARD_DECLINE_NEW_CARD.signals[0]!.atMs;
    expect(run.result.decisions.filter((d) => d.kind === 'attempt')).toEqual([
      { kind: 'attempt', atMs: newCardAtMs + MS_PER_HOUR, paymentMethodId: NEW_CARD.id, outcome: 'succeeded' },
    ]);
    expect(run.provider.charges.map((c) => c.paymentMethodId)).toEqual([NEW_CARD.providerId]);
    expect(run.provider.charges.map((c) => c.paymentMethodId)).not.toContain(FIRST_CARD.providerId);
    expect(consequences(run)).toEqual(['0:notice', '7:restrict_premium', `${day(newCardAtMs + MS_PER_HOUR)}:none`]);
    expect(run.result.final).toMatchObject({
      invoiceStatus: 'paid',
      restriction: 'none',
      inDunning: false,
      attempts: 2,
    });
    expectConsistent(HARD_DECLINE_NEW_CARD, run);
  });
});
