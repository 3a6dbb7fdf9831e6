/**
 * What `billsim worker --dunning` gives the dunning workflow's activities: the
 * Stripe adapter (sim/hosts/stripe/adapter.ts) as the payment provider, in test
 * mode only, and the platform's side as a log: each store write (the recompute
 * diff, under its code path) and each customer notification is one JSON line.
 * A platform that adopts the workflow replaces the log with its own store
 * writer and notifier (activities.ts: AccountStoreWriter, DunningNotifier).
 */
import { InputError } from '../../lib/errors.js';
import type { DunningDeps } from './activities.js';

export interface StripeTarget {
  readonly apiKey: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
}

/** Stripe's API, where a team runs the workflow against its test-mode account. */
export const STRIPE_API_URL = 'https://api.stripe.com';

/**
 * `--stripe-api-key` (or STRIPE_API_KEY) and `--stripe-base-url`: a test-mode
 * key (sk_test_… or rk_test_…; a live key is refused, this is not a production
 * deployment) and an http(s) origin, or one InputError naming the flag.
 */
export function stripeTarget(apiKey: string | undefined, baseUrl: string): StripeTarget {
  if (apiKey === undefined || apiKey === '')
    throw new InputError('--dunning: give a Stripe test-mode key with --stripe-api-key or STRIPE_API_KEY');
  if (!/^(sk|rk)_test_\S+$/.test(apiKey))
    throw new InputError('--stripe-api-key: not a test-mode key (sk_test_… or rk_test_…); live keys are refused');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InputError(`--stripe-base-url: "${baseUrl}" is not a URL (e.g. ${STRIPE_API_URL})`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== ''))
    throw new InputError(`--stripe-base-url: "${baseUrl}" is not an http(s) origin (e.g. ${STRIPE_API_URL})`);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port);
  return { apiKey, host: url.hostname.replace(/^\[|\]$/g, ''), port, protocol };
}

/** The dunning activities' dependencies: Stripe (the `stripe` client loads here, only for --dunning) and a JSON-lines log. */
export async function stripeDunningDeps(target: StripeTarget, logLine: (line: string) => void): Promise<DunningDeps> {
  const { StripeProvider } = await import('../stripe/adapter.js');
  return {
    provider: new StripeProvider({ ...target, maxNetworkRetries: 2 }),
    stores: {
      applyWrites: async (accountId, writes, codePath) =>
        logLine(JSON.stringify({ kind: 'store_writes', accountId, codePath, writes })),
    },
    notifier: {
      notify: async (accountId, events) => logLine(JSON.stringify({ kind: 'notification', accountId, events })),
    },
  };
}
