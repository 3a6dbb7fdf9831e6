/**
 * What the Temporal tests (and scripts/record-histories.ts) share: a failed
 * renewal to recover, in-memory fakes for the activities' dependencies (the
 * provider's answers are scripted per attempt: the provider is the world, not
 * the code under test), and a runner that plays a scripted case through a
 * worker on the time-skipping test server.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import type { AccountSnapshot } from '../../../policies/account.js';
import { applyDiff } from '../../../policies/dunning/apply.js';
import type { DomainEvent } from '../../../policies/dunning/diff.js';
import type {
  CancelSubscriptionRequest,
  InvoiceActionRequest,
  ResumeSubscriptionRequest,
  PayInvoiceRequest,
  PayInvoiceResult,
  PaymentProviderPort,
  ProviderInvoice,
  ProviderSubscription,
} from '../../../policies/ports.js';
import {
  ENTITLEMENT_CORE,
  ENTITLEMENT_PREMIUM,
  MS_PER_DAY,
  type CardBrand,
  type DeclineCode,
  type PaymentOutcome,
  type Plan,
} from '../../../policies/types.js';
import type { AccountStoreWriter, DunningDeps, DunningNotifier } from '../../../sim/hosts/temporal/activities.js';
import { sendWebhook, startDunning } from '../../../sim/hosts/temporal/client.js';
import type { StoreWrites } from '../../../sim/hosts/temporal/dunning-case.js';
import type {
  DunningInput,
  DunningResult,
  DunningSignal,
  PaymentMethodRef,
} from '../../../sim/hosts/temporal/types.js';
import { createWorker } from '../../../sim/hosts/temporal/worker.js';

export const PLANS: readonly Plan[] = [
  { id: 0, name: 'pro', monthlyPriceCents: 4900, entitlements: ENTITLEMENT_CORE | ENTITLEMENT_PREMIUM },
];
export const ACCOUNT_ID = 7;
export const INVOICE_ID = 700;
/** The first failure, on the policies' clock: hour-aligned, so every policy time is too. */
export const START_MS = 40 * MS_PER_DAY;
export const FIRST_CARD: PaymentMethodRef = { id: 11, providerId: 'pm_first', brand: 'visa' };
export const NEW_CARD: PaymentMethodRef = { id: 12, providerId: 'pm_new', brand: 'visa' };

/** A renewal whose first off-session charge has just been declined; the platform's stores have not reacted yet. */
export function failedRenewal(declineCode: DeclineCode, brand: CardBrand = 'visa'): DunningInput {
  const card = { ...FIRST_CARD, brand };
  const snapshot: AccountSnapshot = {
    accountId: ACCOUNT_ID,
    stripe: {
      provider: 'stripe',
      subscriptionStatus: 'past_due',
      planId: 0,
      defaultPaymentMethodId: card.id,
      paymentMethodUpdatedAtMs: -1,
      hasSucceededCharge: true,
      invoices: [
        {
          id: INVOICE_ID,
          kind: 'renewal',
          status: 'open',
          amountCents: 4900,
          createdAtMs: START_MS,
          firstFailedAtMs: START_MS,
          paidAtMs: -1,
          attempts: [{ atMs: START_MS, paymentMethodId: card.id, brand, declineCode, onSession: false }],
        },
      ],
    },
    billingProd: [],
    subsAccount: { planId: 0, status: 'active', entitlements: ENTITLEMENT_CORE | ENTITLEMENT_PREMIUM },
    subsCustomer: { defaultPaymentMethodId: card.id, hasNoSuccessfulPayment: false, badDebt: false },
    subsDunning: {
      inDunning: false,
      failingInvoiceId: -1,
      failureReason: null,
      retryCount: 0,
      escalationLevel: 'none',
      nextRetryAtMs: -1,
    },
    cfProd: { delinquent: false, restriction: 'none' },
  };
  return {
    snapshot,
    invoiceId: INVOICE_ID,
    startMs: START_MS,
    policySet: 'target',
    plans: PLANS,
    provider: {
      invoiceIds: { [String(INVOICE_ID)]: 'in_failed' },
      subscriptionId: 'sub_billsim',
      paymentMethods: [card],
    },
  };
}

export const declined = (declineCode: DeclineCode): PaymentOutcome => ({ kind: 'declined', declineCode });
export const SUCCEEDED: PaymentOutcome = { kind: 'succeeded' };

/** A scripted case: the input, the provider's answer to each charge, and webhooks at their times. */
export interface ScriptedCase {
  readonly name: string;
  readonly input: DunningInput;
  /** The n-th charge's outcome; past the end, the last one repeats. */
  readonly outcomes: readonly PaymentOutcome[];
  /** In `atMs` order. */
  readonly signals: readonly DunningSignal[];
}

export function outcomeOf(outcomes: readonly PaymentOutcome[]): (attempt: number) => PaymentOutcome {
  return (attempt) => {
    const outcome = outcomes[Math.min(attempt, outcomes.length - 1)];
    if (outcome === undefined) throw new Error('scripted case: no outcomes');
    return outcome;
  };
}

function portInvoice(id: string, status: ProviderInvoice['status']): ProviderInvoice {
  return {
    id,
    customerId: 'cus_billsim',
    subscriptionId: 'sub_billsim',
    status,
    currency: 'usd',
    totalCents: 4900,
    amountDueCents: 4900,
    amountPaidCents: 0,
    amountRemainingCents: 4900,
    attemptCount: 0,
    nextPaymentAttemptAtMs: null,
    createdAtMs: 0,
    dueAtMs: null,
    finalizedAtMs: 0,
    paidAtMs: null,
    voidedAtMs: null,
    markedUncollectibleAtMs: null,
    billingReason: 'subscription_cycle',
    metadata: {},
  };
}

function portSubscription(
  id: string,
  status: ProviderSubscription['status'],
  cancelAtPeriodEnd: boolean,
): ProviderSubscription {
  return {
    id,
    customerId: 'cus_billsim',
    status,
    items: [],
    latestInvoiceId: null,
    defaultPaymentMethodId: null,
    hasPendingUpdate: false,
    cancelAtPeriodEnd,
    createdAtMs: 0,
    canceledAtMs: status === 'canceled' ? 0 : null,
    endedAtMs: null,
    metadata: {},
  };
}

/** The provider, scripted: the n-th distinct charge gets the n-th outcome; a retried call (same key) gets the same answer. */
export class ScriptedProvider implements PaymentProviderPort {
  readonly provider = 'stripe' as const;
  readonly charges: PayInvoiceRequest[] = [];
  readonly commands: (InvoiceActionRequest | CancelSubscriptionRequest | ResumeSubscriptionRequest)[] = [];
  private readonly answers = new Map<string, PayInvoiceResult>();
  private readonly outcomeAt: (attempt: number) => PaymentOutcome;

  constructor(outcomes: readonly PaymentOutcome[]) {
    this.outcomeAt = outcomeOf(outcomes);
  }

  async payInvoice(req: PayInvoiceRequest): Promise<PayInvoiceResult> {
    const known = this.answers.get(req.idempotencyKey);
    if (known !== undefined) return known;
    const outcome = this.outcomeAt(this.charges.length);
    this.charges.push(req);
    const answer: PayInvoiceResult = {
      invoiceId: req.invoiceId,
      outcome,
      decline: null,
      invoice: portInvoice(req.invoiceId, outcome.kind === 'succeeded' ? 'paid' : 'open'),
    };
    this.answers.set(req.idempotencyKey, answer);
    return answer;
  }

  async markUncollectible(req: InvoiceActionRequest): Promise<ProviderInvoice> {
    this.commands.push(req);
    return portInvoice(req.invoiceId, 'uncollectible');
  }

  async cancelSubscription(req: CancelSubscriptionRequest): Promise<ProviderSubscription> {
    this.commands.push(req);
    return portSubscription(
      req.subscriptionId,
      req.when === 'immediately' ? 'canceled' : 'active',
      req.when === 'end_of_term',
    );
  }

  async resumeSubscription(req: ResumeSubscriptionRequest): Promise<ProviderSubscription> {
    this.commands.push(req);
    return portSubscription(req.subscriptionId, 'active', false);
  }

  createSubscription(): never {
    return notUsed('createSubscription');
  }
  changeSubscription(): never {
    return notUsed('changeSubscription');
  }
  createInvoice(): never {
    return notUsed('createInvoice');
  }
  getInvoice(): never {
    return notUsed('getInvoice');
  }
  getSubscription(): never {
    return notUsed('getSubscription');
  }
  getCustomer(): never {
    return notUsed('getCustomer');
  }
  listPaymentMethods(): never {
    return notUsed('listPaymentMethods');
  }
  voidInvoice(): never {
    return notUsed('voidInvoice');
  }
  listEventsSince(): never {
    return notUsed('listEventsSince');
  }
}

function notUsed(method: string): never {
  throw new Error(`ScriptedProvider.${method}: the dunning workflow does not call this`);
}

/** The platform's five stores for one account, in memory: writes are applied with the policies' applyDiff. */
export class MemoryStores implements AccountStoreWriter {
  readonly codePaths = new Set<string>();
  constructor(public snapshot: AccountSnapshot) {}

  async applyWrites(accountId: number, writes: StoreWrites, codePath: string): Promise<void> {
    if (accountId !== this.snapshot.accountId) throw new Error(`MemoryStores: unknown account ${accountId}`);
    this.codePaths.add(codePath);
    this.snapshot = applyDiff(this.snapshot, {
      ...writes,
      commands: [],
      domainEvents: [],
      wakeAtMs: -1,
      retryAtMs: -1,
      ladderReviewAtMs: -1,
    });
  }
}

export class MemoryNotifier implements DunningNotifier {
  readonly sent: DomainEvent[] = [];
  async notify(_accountId: number, events: readonly DomainEvent[]): Promise<void> {
    this.sent.push(...events);
  }
}

export interface CaseRun {
  readonly workflowId: string;
  readonly result: DunningResult;
  readonly provider: ScriptedProvider;
  readonly stores: MemoryStores;
  readonly notifier: MemoryNotifier;
  /** The execution's history, as fetched from the server (a proto object). */
  readonly history: unknown;
  /** Server time the case took (skipped, not waited). */
  readonly serverElapsedMs: number;
}

/** Play one case through a fresh worker: start, deliver each webhook at its time (skipping to it), await the result. */
export interface RunOptions {
  readonly workflowBundle?: WorkflowBundle;
  /** Defaults to the case name and a random suffix. */
  readonly workflowId?: string;
}

export async function runCase(
  env: TestWorkflowEnvironment,
  c: ScriptedCase,
  options: RunOptions = {},
): Promise<CaseRun> {
  const { workflowBundle } = options;
  const taskQueue = `dunning-${randomUUID()}`;
  const provider = new ScriptedProvider(c.outcomes);
  const stores = new MemoryStores(c.input.snapshot);
  const notifier = new MemoryNotifier();
  const deps: DunningDeps = { provider, stores, notifier };
  const worker = await createWorker({
    connection: env.nativeConnection,
    taskQueue,
    dunning: deps,
    ...(workflowBundle ? { workflowBundle } : {}),
  });
  const workflowId = options.workflowId ?? `${c.name}-${randomUUID()}`;
  const serverStartMs = await env.currentTimeMs();
  return worker.runUntil(async () => {
    const handle = await startDunning(env.client, c.input, taskQueue, workflowId);
    for (const signal of c.signals) {
      if ((await handle.describe()).status.name !== 'RUNNING') break; // recovery ended: later webhooks find no workflow
      const dueServerMs = serverStartMs + (signal.atMs - c.input.startMs);
      const aheadMs = dueServerMs - (await env.currentTimeMs());
      if (aheadMs > 0) await env.sleep(aheadMs);
      if ((await handle.describe()).status.name !== 'RUNNING') break;
      await sendWebhook(handle, signal);
    }
    const result = await handle.result();
    const history = await handle.fetchHistory();
    return {
      workflowId,
      result,
      provider,
      stores,
      notifier,
      history,
      serverElapsedMs: (await env.currentTimeMs()) - serverStartMs,
    };
  });
}
