/**
 * The dunning workflow's activities, built by a factory from their
 * dependencies (the Temporal samples' pattern): a PaymentProviderPort for
 * charges and provider commands, a store writer for the recompute diff, and a
 * notifier for domain events. Every provider write carries an idempotency key
 * derived from the workflow, so Temporal's activity retries cannot double-charge.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DomainEvent, ProviderCommand } from '../../../policies/dunning/diff.js';
import type { PaymentProviderPort } from '../../../policies/ports.js';
import type { PaymentOutcome } from '../../../policies/types.js';
import type { StoreWrites } from './dunning-case.js';

/** Writes the recompute engine's diff to the platform's five stores, atomically, under one code path. */
export interface AccountStoreWriter {
  applyWrites(accountId: number, writes: StoreWrites, codePath: string): Promise<void>;
}

/** Tells the customer (and the platform's subscribers) what changed. */
export interface DunningNotifier {
  notify(accountId: number, events: readonly DomainEvent[]): Promise<void>;
}

export interface DunningDeps {
  readonly provider: PaymentProviderPort;
  readonly stores: AccountStoreWriter;
  readonly notifier: DunningNotifier;
}

export interface ChargeRequest {
  readonly providerInvoiceId: string;
  readonly providerPaymentMethodId: string;
  readonly idempotencyKey: string;
}

export interface CommandRequest {
  readonly command: ProviderCommand;
  /** The provider's id of the invoice (mark_uncollectible) or the subscription (cancel / resume). */
  readonly providerObjectId: string;
  readonly idempotencyKey: string;
}

export interface DunningActivities {
  chargeInvoice(req: ChargeRequest): Promise<PaymentOutcome>;
  applyStoreWrites(accountId: number, writes: StoreWrites, codePath: string): Promise<void>;
  runProviderCommand(req: CommandRequest): Promise<void>;
  notifyCustomer(accountId: number, events: readonly DomainEvent[]): Promise<void>;
}

export function createDunningActivities(deps: DunningDeps): DunningActivities {
  return {
    async chargeInvoice(req) {
      const result = await deps.provider.payInvoice({
        invoiceId: req.providerInvoiceId,
        paymentMethodId: req.providerPaymentMethodId,
        offSession: true,
        idempotencyKey: req.idempotencyKey,
      });
      const outcome = result.outcome;
      // Not decided yet at the provider: retry the activity (same key, so at most one charge).
      if (outcome.kind === 'timeout' || outcome.kind === 'pending') {
        throw ApplicationFailure.retryable(
          `charge ${req.providerInvoiceId}: provider answered ${outcome.kind}`,
          'ProviderUndecided',
        );
      }
      return outcome;
    },
    async applyStoreWrites(accountId, writes, codePath) {
      await deps.stores.applyWrites(accountId, writes, codePath);
    },
    async runProviderCommand(req) {
      const { command } = req;
      if (command.kind === 'mark_uncollectible') {
        await deps.provider.markUncollectible({ invoiceId: req.providerObjectId, idempotencyKey: req.idempotencyKey });
      } else if (command.kind === 'cancel_subscription') {
        await deps.provider.cancelSubscription({
          subscriptionId: req.providerObjectId,
          when: command.when,
          idempotencyKey: req.idempotencyKey,
        });
      } else {
        await deps.provider.resumeSubscription({
          subscriptionId: req.providerObjectId,
          idempotencyKey: req.idempotencyKey,
        });
      }
    },
    async notifyCustomer(accountId, events) {
      if (events.length > 0) await deps.notifier.notify(accountId, events);
    },
  };
}
