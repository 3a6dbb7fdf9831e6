/**
 * The property suite (fast-check), run by `billsim verify` and by the tests:
 * each property checks one named invariant of a policy set over generated
 * histories (Stripe events, sim/tools/verify/history.ts) replayed by `billsim
 * replay`'s engine (sim/tools/replay/verdict.ts), and a failure shrinks to a
 * minimal delivered stream: a replay file that reproduces it.
 *  - agreesWithReferenceModel: model-based (fc.commands) against the oracle;
 *  - orderIndependent: permutations and duplicates of a history's events;
 *  - interleavingIndependent: fc.scheduler interleaves the deliveries (the platform's timers run between them);
 *  - recomputeIdempotent: computeDiff after applyDiff is empty (recompute engines);
 *  - ladderMonotone: the ladder never gets harsher for less debt.
 */
import fc from 'fast-check';
import type Stripe from 'stripe';
import type { LadderInput } from '../../../policies/consequences/ladder.js';
import { computeDiff } from '../../../policies/dunning/recompute.js';
import type { PolicySet } from '../../../policies/sets.js';
import { MS_PER_DAY, type DeclineCode } from '../../../policies/types.js';
import { ladderNotMonotone, recomputeNotIdempotent } from '../../world/check/safety.js';
import { historyOf, HISTORY_PLANS, type Action } from './history.js';
import { brokenByReplay } from './shrink.js';

export interface PropertyFailure {
  readonly seed: number;
  /** The minimal delivered stream; null for a property of a function, not of a stream (its inputs are in `inputs`). */
  readonly events: readonly Stripe.Event[] | null;
  readonly inputs?: unknown;
  readonly description: string;
}

export interface PropertyOutcome {
  readonly name: string;
  readonly failure: PropertyFailure | null;
}

const CODES: readonly DeclineCode[] = [
  'insufficient_funds',
  'do_not_honor',
  'expired_card',
  'processing_error',
  'stolen_card',
];

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constantFrom(1000, 3000).map((amountCents) => ({ kind: 'renew' as const, amountCents })),
  fc.constantFrom(...CODES).map((code) => ({ kind: 'fail' as const, code })),
  fc.constant({ kind: 'pay' as const }),
  fc.constant({ kind: 'newCard' as const }),
  fc.integer({ min: 1, max: 24 * 30 }).map((hours) => ({ kind: 'advance' as const, hours })),
);

const actionsArb = fc.array(actionArb, { minLength: 1, maxLength: 14 });

/** A history plus a delivery of it: the customer first, then every event at least once, some twice, in a shuffled order. */
export const deliveryArb = actionsArb.chain((actions) => {
  const { start, events } = historyOf(actions);
  const n = events.length;
  return fc
    .tuple(
      fc.array(fc.nat(), { minLength: n, maxLength: n }),
      fc.array(fc.nat({ max: Math.max(0, n - 1) }), { maxLength: n === 0 ? 0 : 3 }),
    )
    .map(([keys, dups]) => {
      const order = events.map((e, k) => ({ e, key: keys[k]! }));
      dups.forEach((k, j) => order.push({ e: events[k]!, key: keys[(k + j) % n]! + 1 }));
      return [...start, ...order.sort((a, b) => a.key - b.key).map((x) => x.e)];
    });
});

function outcome<T>(
  name: string,
  details: fc.RunDetails<T>,
  toFailure: (value: T) => Omit<PropertyFailure, 'seed'>,
): PropertyOutcome {
  if (!details.failed || details.counterexample === null) return { name, failure: null };
  return { name, failure: { seed: details.seed, ...toFailure(details.counterexample) } };
}

export async function checkOrderIndependent(
  policies: PolicySet,
  seed: number,
  numRuns: number,
): Promise<PropertyOutcome> {
  const prop = fc.asyncProperty(
    deliveryArb,
    async (delivered) => !(await brokenByReplay(delivered, policies, true)).includes('orderIndependent'),
  );
  return outcome('orderIndependent', await fc.check(prop, { seed, numRuns }), ([delivered]) => ({
    events: delivered,
    description:
      'delivering these events in this order ends in other stores than delivering them once each in creation order',
  }));
}

/** Model-based: after each "deliver everything pending", the replayed stores agree with the oracle. */
interface Real {
  actions: Action[];
  delivered: Stripe.Event[];
  broken: string[];
}

class ActCommand implements fc.AsyncCommand<object, Real> {
  constructor(readonly action: Action) {}
  check(): boolean {
    return true;
  }
  async run(_m: object, r: Real): Promise<void> {
    r.actions.push(this.action);
  }
  toString(): string {
    return JSON.stringify(this.action);
  }
}

class DeliverAllCommand implements fc.AsyncCommand<object, Real> {
  constructor(
    readonly reversed: boolean,
    private readonly policies: PolicySet,
  ) {}
  check(): boolean {
    return true;
  }
  async run(_m: object, r: Real): Promise<void> {
    const { start, events } = historyOf(r.actions);
    if (r.delivered.length === 0) r.delivered.push(...start);
    const seen = new Set(r.delivered.map((e) => e.id));
    const pending = events.filter((e) => !seen.has(e.id));
    r.delivered.push(...(this.reversed ? [...pending].reverse() : pending));
    r.broken = await brokenByReplay(r.delivered, this.policies, false);
    if (r.broken.includes('agreesWithReferenceModel')) throw new Error(`broken: ${r.broken.join(', ')}`);
  }
  toString(): string {
    return `deliverAll(${this.reversed ? 'reversed' : 'in order'})`;
  }
}

export async function checkAgreesWithReferenceModel(
  policies: PolicySet,
  seed: number,
  numRuns: number,
): Promise<PropertyOutcome> {
  const commands = [
    actionArb.map((a) => new ActCommand(a)),
    fc.boolean().map((rev) => new DeliverAllCommand(rev, policies)),
  ];
  const run = async (cmds: Iterable<fc.AsyncCommand<object, Real>>, real: Real): Promise<void> => {
    await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
  };
  const prop = fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), (cmds) =>
    run(cmds, { actions: [], delivered: [], broken: [] }),
  );
  const details = await fc.check(prop, { seed, numRuns });
  if (!details.failed || details.counterexample === null) return { name: 'agreesWithReferenceModel', failure: null };
  const [cmds] = details.counterexample;
  const real: Real = { actions: [], delivered: [], broken: [] };
  await run(cmds, real).catch(() => undefined);
  return {
    name: 'agreesWithReferenceModel',
    failure: {
      seed: details.seed,
      events: real.delivered,
      description: `${String(cmds)}: broken: ${real.broken.join(', ')}`,
    },
  };
}

export async function checkInterleavingIndependent(
  policies: PolicySet,
  seed: number,
  numRuns: number,
): Promise<PropertyOutcome> {
  /** The last failing run is the shrunk counterexample (shrinking only keeps failing runs). */
  let lastFailingOrder: Stripe.Event[] = [];
  const prop = fc.asyncProperty(fc.scheduler(), actionsArb, async (s, actions) => {
    const { start, events } = historyOf(actions);
    const order: Stripe.Event[] = [...start];
    await s.waitFor(
      Promise.all(
        events.map((e) =>
          s.schedule(Promise.resolve(e), `deliver ${e.id}`).then((x) => {
            order.push(x);
          }),
        ),
      ),
    );
    const same = !(await brokenByReplay(order, policies, true)).includes('orderIndependent');
    if (!same) lastFailingOrder = order;
    return same;
  });
  const details = await fc.check(prop, { seed, numRuns });
  return outcome('interleavingIndependent', details, () => ({
    events: lastFailingOrder,
    description: 'this interleaving of deliveries ends in other stores than creation order',
  }));
}

const storesArb = fc.record({
  inDunning: fc.boolean(),
  failing: fc.integer({ min: -1, max: 3 }),
  badDebt: fc.boolean(),
  noPayment: fc.boolean(),
  restriction: fc.constantFrom('none', 'notice', 'suspend', 'cancel' as const),
  planId: fc.integer({ min: 0, max: 2 }),
});

export function checkRecomputeIdempotent(policies: PolicySet, seed: number, numRuns: number): PropertyOutcome | null {
  const d = policies.dunning;
  if (d.kind === 'legacy-processors') return null;
  const compute = d.kind === 'recompute' ? (d.computeDiff ?? computeDiff) : computeDiff;
  const config = { plans: HISTORY_PLANS, retry: policies.retry, ladder: policies.ladder };
  const prop = fc.property(actionsArb, storesArb, fc.integer({ min: 0, max: 60 }), (actions, st, laterDays) => {
    const h = historyOf(actions);
    const nowMs = h.nowMs + laterDays * MS_PER_DAY;
    const stripe = h.provider;
    const snapshot = {
      accountId: 0,
      stripe,
      billingProd: [],
      subsAccount: { planId: st.planId, status: 'active' as const, entitlements: 3 },
      subsCustomer: { defaultPaymentMethodId: 0, hasNoSuccessfulPayment: st.noPayment, badDebt: st.badDebt },
      subsDunning: {
        inDunning: st.inDunning,
        failingInvoiceId: st.failing,
        failureReason: null,
        retryCount: 0,
        escalationLevel: st.restriction,
        nextRetryAtMs: -1,
      },
      cfProd: { delinquent: st.restriction === 'suspend', restriction: st.restriction },
    };
    return !recomputeNotIdempotent(snapshot, nowMs, config, compute);
  });
  return outcome('recomputeIdempotent', fc.check(prop, { seed, numRuns }), (value) => ({
    events: null,
    inputs: value,
    description:
      'computeDiff after applyDiff is not empty for these stores over this history (actions, stores, days later)',
  }));
}

const ladderInputArb: fc.Arbitrary<LadderInput> = fc.record({
  nowMs: fc.constant(100 * MS_PER_DAY),
  oldestOwedSinceMs: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 100 * MS_PER_DAY })),
  owedCents: fc.integer({ min: 0, max: 100_000 }),
  owedInvoices: fc.integer({ min: 0, max: 5 }),
  lastDecline: fc.constantFrom(null, ...CODES),
  retriesExhausted: fc.boolean(),
  writtenOff: fc.boolean(),
});

export function checkLadderMonotone(policies: PolicySet, seed: number, numRuns: number): PropertyOutcome {
  const pairArb = fc
    .tuple(
      ladderInputArb,
      ladderInputArb,
      fc.integer({ min: 0, max: 60 * MS_PER_DAY }),
      fc.nat(50_000),
      fc.boolean(),
      fc.boolean(),
    )
    .map(
      ([a, b, moreMs, moreCents, ex, wo]) =>
        [
          a,
          {
            ...a,
            lastDecline: a.lastDecline,
            owedCents: a.owedCents + moreCents,
            owedInvoices: Math.max(a.owedInvoices, b.owedInvoices),
            retriesExhausted: a.retriesExhausted || ex,
            writtenOff: a.writtenOff || wo,
            oldestOwedSinceMs:
              a.oldestOwedSinceMs < 0 ? b.oldestOwedSinceMs : Math.max(0, a.oldestOwedSinceMs - moreMs),
          },
        ] as const,
    );
  const prop = fc.property(pairArb, ([a, b]) => !ladderNotMonotone(policies.ladder, a, b));
  return outcome('ladderMonotone', fc.check(prop, { seed, numRuns }), (value) => ({
    events: null,
    inputs: value,
    description: `ladder inputs ${JSON.stringify(value)}: the second owes more, gets a milder consequence`,
  }));
}

/** The whole suite for one policy set. */
export async function runPropertySuite(policies: PolicySet, seed: number, numRuns: number): Promise<PropertyOutcome[]> {
  const outcomes = [
    checkLadderMonotone(policies, seed, numRuns * 4),
    checkRecomputeIdempotent(policies, seed, numRuns),
    await checkOrderIndependent(policies, seed, numRuns),
    await checkAgreesWithReferenceModel(policies, seed, numRuns),
    await checkInterleavingIndependent(policies, seed, Math.max(1, Math.floor(numRuns / 2))),
  ];
  return outcomes.filter((o): o is PropertyOutcome => o !== null);
}
