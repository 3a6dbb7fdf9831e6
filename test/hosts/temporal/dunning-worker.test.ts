/**
 * `billsim worker --dunning` against a real Temporal server (the CLI's dev
 * server) with Stripe's API served by stripe-mock: the dunning workflow runs
 * in the worker process around the same policies, its provider calls go
 * through the Stripe adapter, and its store writes and notifications come out
 * as JSON lines. The workflow's decisions equal the pure driver's.
 *
 * stripe-mock is stateless and answers invoices.pay with a draft invoice (an
 * undecided charge), so these cases make no charge: one writes off at once
 * (a ladder whose every threshold is day 0: mark uncollectible and cancel on
 * Stripe), one ends with a paid webhook. Charges are covered by the Stripe
 * contract test and the time-skipping tests.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../../../policies/types.js';
import { startDunning, sendWebhook } from '../../../sim/hosts/temporal/client.js';
import { driveRecovery } from '../../../sim/hosts/temporal/driver.js';
import type { DunningInput, DunningSignal } from '../../../sim/hosts/temporal/types.js';
import { sweepDocumentFor, withParam } from '../../../sim/tools/sweep/document.js';
import { cli } from '../../support/cli.js';
import { startStripeMock, type StripeMock } from '../../support/servers.js';
import { startDevServer, type DevServer } from './dev-server.js';
import { startWorker, type BillsimProcess } from './processes.js';
import { ACCOUNT_ID, failedRenewal, INVOICE_ID, outcomeOf, START_MS } from './support.js';

let server: DevServer;
let stripe: StripeMock;
let worker: BillsimProcess;
let connection: Connection;
let client: Client;
const taskQueue = `dunning-${randomUUID()}`;

beforeAll(async () => {
  [server, stripe] = await Promise.all([startDevServer(), startStripeMock()]);
  const flags = ['--dunning', '--stripe-base-url', stripe.baseUrl, '--stripe-api-key', 'sk_test_billsim'];
  worker = await startWorker(server.address, taskQueue, flags);
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  await worker?.stop();
  await Promise.all([server?.stop(), stripe?.stop()]);
});

/** The worker's JSON lines on stdout (store writes and notifications), in order. */
function logLines(): { kind: string; accountId: number; codePath?: string }[] {
  return worker
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { kind: string; accountId: number; codePath?: string });
}

/** Every threshold of the target's graduated ladder at day 0: the first step writes off and cancels. */
function writeOffAtOnce(): DunningInput {
  let document = sweepDocumentFor('target');
  for (const path of ['restrictPremiumAfterDays', 'blockChangesAfterDays', 'suspendAfterDays', 'cancelAfterDays'])
    document = withParam(document, `ladder.${path}`, 0);
  const { policySet: _builtIn, ...input } = failedRenewal('expired_card');
  return { ...input, policies: { ...document, name: 'target-write-off-at-once' } };
}

describe('billsim worker --dunning (dev server, stripe-mock)', () => {
  it('writes off and cancels on Stripe at once, as the driver decides', async () => {
    const input = writeOffAtOnce();
    const handle = await startDunning(client, input, taskQueue, `dunning-writeoff-${randomUUID()}`);
    const result = await handle.result();
    expect(result).toEqual(driveRecovery(input, outcomeOf([{ kind: 'succeeded' }]), []));
    const commands = result.decisions.flatMap((d) => (d.kind === 'command' ? [d.command.kind] : []));
    expect(commands).toEqual(expect.arrayContaining(['mark_uncollectible', 'cancel_subscription']));
    expect(result.final).toMatchObject({ invoiceStatus: 'uncollectible', subscriptionStatus: 'canceled' });
    expect(result.decisions.filter((d) => d.kind === 'attempt')).toEqual([]);
  });

  it('a paid webhook lifts the notice and ends the workflow; store writes and notifications are logged', async () => {
    const input = failedRenewal('expired_card');
    const before = logLines().length;
    const handle = await startDunning(client, input, taskQueue, `dunning-paid-${randomUUID()}`);
    await expect.poll(() => logLines().length, { timeout: 30_000 }).toBeGreaterThan(before);
    const paid: DunningSignal = { kind: 'invoice_paid', atMs: START_MS + 2 * MS_PER_HOUR, invoiceId: INVOICE_ID };
    await sendWebhook(handle, paid);
    const result = await handle.result();
    expect(result).toEqual(driveRecovery(input, outcomeOf([{ kind: 'succeeded' }]), [paid]));
    expect(result.final).toMatchObject({ invoiceStatus: 'paid', restriction: 'none', inDunning: false });
    const lines = logLines().slice(before);
    expect(lines.every((l) => l.accountId === ACCOUNT_ID)).toBe(true);
    expect(new Set(lines.filter((l) => l.kind === 'store_writes').map((l) => l.codePath))).toEqual(
      new Set(['recompute-engine']),
    );
    expect(lines.some((l) => l.kind === 'notification')).toBe(true);
  });

  it('refuses a live key, a missing key and a malformed base URL: one line, exit 2', async () => {
    const base = ['worker', '--temporal', server.address, '--dunning'];
    const saved = process.env.STRIPE_API_KEY;
    delete process.env.STRIPE_API_KEY;
    try {
      const runs = await Promise.all([
        cli(...base, '--stripe-api-key', 'sk_live_abc'),
        cli(...base),
        cli(...base, '--stripe-api-key', 'sk_test_abc', '--stripe-base-url', 'api.stripe.com/v1'),
      ]);
      expect(runs.map((r) => [r.code, r.stderr.trim()])).toEqual([
        [2, 'billsim: --stripe-api-key: not a test-mode key (sk_test_… or rk_test_…); live keys are refused'],
        [2, 'billsim: --dunning: give a Stripe test-mode key with --stripe-api-key or STRIPE_API_KEY'],
        [2, 'billsim: --stripe-base-url: "api.stripe.com/v1" is not a URL (e.g. https://api.stripe.com)'],
      ]);
    } finally {
      if (saved !== undefined) process.env.STRIPE_API_KEY = saved;
    }
  });
});
