/**
 * Hashes for `billsim run --check-determinism`: an incremental 32-bit fold of
 * the event log (every kernel event's time, kind, account and argument, in
 * order) and a hash of the final state of every account's six stores.
 */
import type { AccountSnapshot } from '../../../policies/account.js';
import { hash4, hashString } from '../kernel/rng.js';

export const EVENT_HASH_SEED = 0x9747b28c;

export function foldEventHash(h: number, timeMs: number, kind: number, account: number, arg: number): number {
  const timeMix = (timeMs | 0) ^ Math.floor(timeMs / 4_294_967_296);
  return hash4(h ^ kind, timeMix, account, arg);
}

/** A hash of the six stores of every account (JSON of each snapshot, folded in account order). */
export function finalStateHash(accounts: readonly AccountSnapshot[]): number {
  let h = 0x811c9dc5;
  for (const a of accounts) {
    const { accountId, stripe, billingProd, subsAccount, subsCustomer, subsDunning, cfProd } = a;
    h = hashString(
      JSON.stringify({ accountId, stripe, billingProd, subsAccount, subsCustomer, subsDunning, cfProd }),
      h,
    );
  }
  return h >>> 0;
}

export function hex32(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}
