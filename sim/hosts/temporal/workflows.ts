/**
 * Temporal workflows. The dunning workflow is one execution per failed
 * invoice and a thin shell: it wires durable timers, webhook signals and
 * activities to a DunningCase, which asks the same policies the simulator
 * runs (policies/dunning/recovery.ts) what to do.
 *
 * Workflow code runs in Temporal's deterministic sandbox: import only
 * @temporalio/workflow, pure project code and types (lint enforces it).
 * Changing what this code does for a history already recorded breaks running
 * executions; test/hosts/temporal/replay.test.ts replays the recorded histories.
 */
import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { isEmptyDiff } from '../../../policies/dunning/diff.js';
import { RECOMPUTE_CODE_PATH } from '../../../policies/dunning/recompute.js';
import type { RecoveryStep } from '../../../policies/dunning/recovery.js';
import { SETTLE_ROUNDS_MAX } from '../../../policies/dunning/recovery.js';
import type { DunningActivities } from './activities.js';
import { DunningCase, settleError, storeWritesOf } from './dunning-case.js';
import { dunningStateQuery, invoicePaidSignal, invoiceVoidedSignal, paymentMethodUpdatedSignal } from './signals.js';
import type { DunningInput, DunningResult, DunningSignal } from './types.js';

export { shardedRunWorkflow, sweepWorkflow } from './sweep-workflow.js';

const activities = proxyActivities<DunningActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function dunningWorkflow(input: DunningInput): Promise<DunningResult> {
  const c = new DunningCase(input);
  // The policies' clock is the input's; timers are set on the workflow clock, the same distance ahead.
  // Date.now() here is Temporal's workflow clock, not wall time: the sandbox sets it from the history
  // (the SDK's documented "safe version of time"), so a replay reads the same value.
  const clockOffsetMs = Date.now() - input.startMs;
  const inbox: DunningSignal[] = [];
  setHandler(invoicePaidSignal, (s) => void inbox.push(s));
  setHandler(invoiceVoidedSignal, (s) => void inbox.push(s));
  setHandler(paymentMethodUpdatedSignal, (s) => void inbox.push(s));
  setHandler(dunningStateQuery, () => c.view());

  await settle(c);
  while (!c.finished()) {
    const woke = await waitForWebhookOrWake(c, inbox, clockOffsetMs);
    if (woke) {
      c.advanceTo(c.wakeAtMs);
      await chargeIfDue(c);
    } else {
      for (const signal of inbox.splice(0)) c.applySignal(signal);
    }
    await settle(c);
  }
  return c.result();
}

/** Sleep until the policies' next wake (durable timer) or a webhook; true when the timer fired. */
async function waitForWebhookOrWake(
  c: DunningCase,
  inbox: readonly DunningSignal[],
  clockOffsetMs: number,
): Promise<boolean> {
  if (c.wakeAtMs < 0) {
    await condition(() => inbox.length > 0);
    return false;
  }
  const sleepMs = Math.max(1, c.wakeAtMs + clockOffsetMs - Date.now());
  const signalled = await condition(() => inbox.length > 0, sleepMs);
  return !signalled;
}

async function chargeIfDue(c: DunningCase): Promise<void> {
  const invoiceId = c.dueInvoiceId();
  if (invoiceId < 0) return;
  const outcome = await activities.chargeInvoice({
    providerInvoiceId: providerInvoiceId(c, invoiceId),
    providerPaymentMethodId: c.paymentMethodOnFile().providerId,
    idempotencyKey: `${workflowInfo().workflowId}:charge:${invoiceId}:${c.attemptCount(invoiceId)}`,
  });
  c.recordAttempt(invoiceId, outcome);
}

/** Compute, apply (stores, provider commands, notifications), until a step has no provider command. */
async function settle(c: DunningCase): Promise<void> {
  for (let round = 0; round < SETTLE_ROUNDS_MAX; round++) {
    const step = c.step();
    await applyStep(c, step);
    c.applied(step);
    if (step.settled) return;
  }
  throw settleError(c.snapshot.accountId);
}

async function applyStep(c: DunningCase, step: RecoveryStep): Promise<void> {
  const { diff } = step;
  const accountId = c.snapshot.accountId;
  if (!isEmptyDiff(diff)) await activities.applyStoreWrites(accountId, storeWritesOf(diff), RECOMPUTE_CODE_PATH);
  for (const [k, command] of diff.commands.entries()) {
    const providerObjectId =
      command.kind === 'mark_uncollectible' ? providerInvoiceId(c, command.invoiceId) : c.input.provider.subscriptionId;
    await activities.runProviderCommand({
      command,
      providerObjectId,
      idempotencyKey: `${workflowInfo().workflowId}:command:${c.nowMs}:${k}`,
    });
  }
  if (diff.domainEvents.length > 0) await activities.notifyCustomer(accountId, diff.domainEvents);
}

function providerInvoiceId(c: DunningCase, invoiceId: number): string {
  const id = c.input.provider.invoiceIds[String(invoiceId)];
  if (id === undefined) throw new Error(`dunning: invoice ${invoiceId} has no provider id`);
  return id;
}
