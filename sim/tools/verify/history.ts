/**
 * Generated one-customer histories for the property suite: actions in time
 * order (renew, fail with a decline code, pay, new card, time passes) played
 * on the simulated provider (sim/world/model/provider.ts), each change written as
 * the Stripe event `billsim run --export-events` writes (sim/tools/replay/export.ts).
 * The property tests deliver these events in other orders, with duplicates,
 * through `billsim replay`'s engine; a failure is already a replay file.
 */
import type Stripe from 'stripe';
import type { ProviderState } from '../../../policies/account.js';
import { MS_PER_DAY, type DeclineCode } from '../../../policies/types.js';
import { streamsFor } from '../../world/kernel/rng.js';
import { providerEvent, startEvents } from '../replay/export.js';
import { scenarioSchema } from '../../world/scenario/schema.js';
import { plansOf } from '../../world/model/population.js';
import { SimProvider } from '../../world/model/provider.js';
import { newAccount, type AccountState } from '../../world/model/state.js';

export type Action =
  | { readonly kind: 'renew'; readonly amountCents: number }
  | { readonly kind: 'fail'; readonly code: DeclineCode }
  | { readonly kind: 'pay' }
  | { readonly kind: 'newCard' }
  | { readonly kind: 'advance'; readonly hours: number };

const SCENARIO = scenarioSchema.parse({ accounts: 1, days: 1 });
export const HISTORY_PLANS = plansOf(SCENARIO);
export const START_PLAN_ID = 1;

export interface History {
  /** The customer and subscription as the history starts (created at time 0). */
  readonly start: readonly Stripe.Event[];
  /** Every provider event of the history, in creation order. */
  readonly events: readonly Stripe.Event[];
  /** When the last action happened (virtual ms). */
  readonly nowMs: number;
  /** The provider's state at the end. */
  readonly provider: ProviderState;
}

/** The customer before the history starts: active, on plan 1, card on file, has paid before. */
function customer(): AccountState {
  return newAccount(
    0,
    HISTORY_PLANS[START_PLAN_ID]!,
    'stripe',
    { id: 0, brand: 'visa', expiresAtMs: Number.POSITIVE_INFINITY },
    1,
    Number.POSITIVE_INFINITY,
    true,
  );
}

export function historyOf(actions: readonly Action[]): History {
  const a = customer();
  const events: Stripe.Event[] = [];
  let nowMs = MS_PER_DAY;
  const provider = new SimProvider(
    SCENARIO,
    streamsFor(0).declines,
    HISTORY_PLANS,
    (account, type, invoice) =>
      events.push(providerEvent(account, { eventId: events.length, type, createdMs: nowMs }, invoice, HISTORY_PLANS)),
    SCENARIO.limits.invoicesPerAccountMax,
  );
  const start = startEvents(a, HISTORY_PLANS);
  for (const action of actions) {
    nowMs += 1000;
    if (action.kind === 'advance') nowMs += action.hours * 3_600_000;
    else if (action.kind === 'renew') provider.createInvoice(a, 'renewal', action.amountCents, nowMs, -1);
    else if (action.kind === 'newCard') provider.updatePaymentMethod(a, nowMs);
    else {
      const open = a.stripe.invoices.find((i) => i.status === 'open');
      if (open !== undefined && a.stripe.subscriptionStatus !== 'canceled') {
        provider.settleAttempt(a, open, nowMs, false, action.kind === 'fail' ? action.code : null);
      }
    }
  }
  return { start, events, nowMs, provider: { ...a.stripe, invoices: a.stripe.invoices.map((i) => ({ ...i })) } };
}
