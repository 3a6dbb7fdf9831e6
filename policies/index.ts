/**
 * billsim's policies: the code under test, pure (no I/O, no clock, no
 * randomness) and importable by production. This is the folder's one export
 * list: a policy module outside the checkout imports from here
 * (`billsim/policies`); the files behind it may move.
 */

// The vocabulary: times in ms, money in cents, Stripe's statuses and decline codes.
export * from './types.js';
export * from './decline-codes.js';
export * from './stripe-vocabulary.js';
export * from './calendar.js';

// The platform's six stores as the policies read them, and what the recompute engine writes.
export * from './account.js';
export * from './dunning/diff.js';
export * from './dunning/facts.js';
export * from './dunning/apply.js';
export * from './dunning/recompute.js';
export * from './dunning/recovery.js';
export * from './dunning/webhook.js';
export * from './dunning/legacy.js';
export * from './dunning/canary.js';

// One policy per concern.
export * from './ordering/ordering.js';
export * from './ordering/commit-then-pay.js';
export * from './ordering/pay-before-commit.js';
export * from './ordering/by-session.js';
export * from './retry/schedule.js';
export * from './retry/fixed-cadence.js';
export * from './retry/reason-aware.js';
export * from './retry/smart-retries.js';
export * from './retry/killbill-days.js';
export * from './retry/payday-aware.js';
export * from './retry/per-reason.js';
export * from './retry/network-guard.js';
export * from './contact/cadence.js';
export * from './canary/stolen-card-retry.js';
export * from './consequences/ladder.js';
export * from './consequences/actions.js';
export * from './consequences/binary.js';
export * from './consequences/graduated.js';
export * from './consequences/states-schema.js';
export * from './entitlements.js';
export * from './network-rules.js';
export * from './outcome-matrix.js';
export * from './lifecycle.js';

// Policy sets: the catalog of pieces, the policy document, the built-in sets.
export * from './config.js';
export * from './catalog.js';
export * from './document.js';
export * from './sets.js';

// The provider boundary production adapters implement (its types are namespaced: they name the provider's objects).
export * as ports from './ports.js';
