/**
 * The invariants of a replay: the same named invariants `billsim verify`
 * checks (sim/world/check), judged on a recorded or generated stream. The online
 * checker runs inside the replay (safety after every event, liveness once the
 * recording ends, convergence at the end); the reference model judges every
 * final account; and, when asked, the stream is replayed again in creation
 * order and the final stores must be the same (orderIndependent).
 */
import type { AccountSnapshot } from '../../../policies/account.js';
import { ALL_INVARIANTS, classOf, type InvariantClass } from '../../world/check/catalog.js';
import { disagreementsWithOracle } from '../../world/check/reference.js';
import { EXIT_FAILED, EXIT_LIVENESS, EXIT_OK } from '../../lib/errors.js';
import { replayStream, type ReplayOptions, type ReplayOutcome, type ReplaySource } from './replay.js';

/**
 * Invariants a replay cannot judge: the platform's own attempts and mutations
 * (a replay makes none: the recorded attempts are the recorder's) and the
 * ladder in isolation (a property of the ladder function, not of a stream).
 */
export const NOT_JUDGED_IN_REPLAY: readonly string[] = [
  'noDoubleCharge',
  'payBeforeCommit',
  'noAttemptOnSettledInvoice',
  'networkRulesKept',
  'ladderMonotone',
];

/** The order invariants: a counterexample naming one is replayed twice (file order, creation order). */
const ORDER_INVARIANTS: readonly string[] = ['orderIndependent', 'interleavingIndependent'];

export interface ReplayInvariant {
  readonly name: string;
  readonly class: InvariantClass;
  readonly status: 'passed' | 'failed';
  /** The first account that broke it (its index in the stream), when failed. */
  readonly account: number | null;
  readonly detail: string | null;
}

export interface CheckedReplay {
  readonly outcome: ReplayOutcome;
  readonly invariants: readonly ReplayInvariant[];
  /** 0 all hold, 1 a safety or convergence invariant failed, 3 only liveness failed (as `billsim verify`). */
  readonly exitCode: number;
}

interface Broken {
  readonly account: number;
  readonly detail: string;
}

/**
 * Replays `source` and judges it. `checkOrder`: also replay in creation order
 * ('auto': when the header names an order invariant, as a counterexample of one does).
 */
export async function replayAndCheck(
  source: ReplaySource,
  options: ReplayOptions,
  checkOrder: boolean | 'auto' = 'auto',
): Promise<CheckedReplay> {
  const outcome = await replayStream(source, options);
  const broken = new Map<string, Broken>();
  for (const v of outcome.violations) broken.set(v.invariant, { account: v.accountId, detail: v.detail });
  const oracle = firstDisagreement(outcome.states);
  if (oracle !== null) broken.set('agreesWithReferenceModel', oracle);
  const headerInvariant = typeof outcome.header?.invariant === 'string' ? outcome.header.invariant : null;
  const order =
    checkOrder === 'auto' ? headerInvariant !== null && ORDER_INVARIANTS.includes(headerInvariant) : checkOrder;
  const orderName = headerInvariant === 'interleavingIndependent' ? headerInvariant : 'orderIndependent';
  if (order) {
    const differs = await firstOrderDifference(source, options, outcome.states);
    if (differs !== null) broken.set(orderName, differs);
  }
  const invariants = judged(options, order ? orderName : null).map((name): ReplayInvariant => {
    const b = broken.get(name);
    return {
      name,
      class: classOf(name),
      status: b === undefined ? 'passed' : 'failed',
      account: b?.account ?? null,
      detail: b?.detail ?? null,
    };
  });
  return { outcome, invariants, exitCode: exitCodeOf(invariants) };
}

/** What a replay judges: recompute idempotence only for a recompute engine (the replay's other engine is the legacy processors). */
function judged(options: ReplayOptions, orderName: string | null): string[] {
  const recompute = options.policies.dunning.kind === 'recompute';
  return ALL_INVARIANTS.filter(
    (name) =>
      !NOT_JUDGED_IN_REPLAY.includes(name) &&
      !ORDER_INVARIANTS.includes(name) &&
      (name !== 'recomputeIdempotent' || recompute),
  ).concat(orderName === null ? [] : [orderName]);
}

export function exitCodeOf(invariants: readonly { readonly class: InvariantClass; readonly status: string }[]): number {
  const failed = invariants.filter((i) => i.status === 'failed');
  if (failed.some((i) => i.class !== 'liveness')) return EXIT_FAILED;
  return failed.length > 0 ? EXIT_LIVENESS : EXIT_OK;
}

function firstDisagreement(states: readonly AccountSnapshot[]): Broken | null {
  for (const a of states) {
    const fields = disagreementsWithOracle(a);
    if (fields.length > 0)
      return { account: a.accountId, detail: `the reference model disagrees on ${fields.join(', ')}` };
  }
  return null;
}

/** The platform's five stores of an account, as one comparable string. */
export function storesKey(a: AccountSnapshot): string {
  const { billingProd, subsAccount, subsCustomer, subsDunning, cfProd } = a;
  return JSON.stringify({ billingProd, subsAccount, subsCustomer, subsDunning, cfProd });
}

/** Replays the same events once each, in creation order; the first account whose stores differ. */
async function firstOrderDifference(
  source: ReplaySource,
  options: ReplayOptions,
  states: readonly AccountSnapshot[],
): Promise<Broken | null> {
  const inOrder = await replayStream(source, { ...options, perturb: null, creationOrder: true });
  for (const a of states) {
    const b = inOrder.states[a.accountId];
    if (b === undefined || storesKey(a) !== storesKey(b)) {
      return {
        account: a.accountId,
        detail:
          'delivered as in the file, the final stores differ from the same events delivered once each in creation order',
      };
    }
  }
  return null;
}
