import { describe, expect, it } from 'vitest';
import { canaryPolicies, legacyPolicies, targetPolicies } from '../../../policies/sets.js';
import {
  checkAgreesWithReferenceModel,
  checkInterleavingIndependent,
  checkOrderIndependent,
  checkRecomputeIdempotent,
  runPropertySuite,
} from '../../../sim/tools/verify/properties.js';
import { brokenByReplay, ddmin, shrinkStream, withEnd } from '../../../sim/tools/verify/shrink.js';

describe('property suite', () => {
  it('target: every property holds', async () => {
    const outcomes = await runPropertySuite(targetPolicies(), 11, 60);
    expect(outcomes.map((o) => o.name)).toEqual([
      'ladderMonotone',
      'recomputeIdempotent',
      'orderIndependent',
      'agreesWithReferenceModel',
      'interleavingIndependent',
    ]);
    expect(outcomes.filter((o) => o.failure !== null)).toEqual([]);
  });

  it('legacy: delivery order changes the final state; the shrunk stream of Stripe events replays to the same failure', async () => {
    const out = await checkOrderIndependent(legacyPolicies(), 11, 100);
    const events = out.failure!.events!;
    expect(events.length).toBeLessThanOrEqual(30);
    for (const e of events) expect(e).toMatchObject({ object: 'event', api_version: expect.any(String) });
    expect(await brokenByReplay(events, legacyPolicies(), true)).toContain('orderIndependent');
    expect(await brokenByReplay(events, targetPolicies(), true)).toEqual([]);
    const endAtMs = Math.max(...events.map((e) => e.created * 1000)) + 5 * 86_400_000;
    const shrunk = await shrinkStream(events, endAtMs, legacyPolicies(), 'orderIndependent', { seed: 11 });
    expect(shrunk.length).toBeLessThanOrEqual(4);
    expect(
      await brokenByReplay(withEnd(shrunk, endAtMs, { invariant: 'orderIndependent' }), legacyPolicies(), 'auto'),
    ).toContain('orderIndependent');
    expect((await checkInterleavingIndependent(legacyPolicies(), 11, 40)).failure).not.toBeNull();
  });

  it('canary: the model-based test against the oracle finds the forgotten dunning in a short stream', async () => {
    const out = await checkAgreesWithReferenceModel(canaryPolicies(), 42, 200);
    const events = out.failure!.events!;
    expect(events.length).toBeLessThanOrEqual(20);
    const broken = await brokenByReplay(events, canaryPolicies(), false);
    expect(broken).toContain('dunningOnSettledInvoice');
    expect(broken).toContain('agreesWithReferenceModel');
    expect(await brokenByReplay(events, targetPolicies(), false)).toEqual([]);
  });

  it('idempotence holds for the recompute engines and does not apply to legacy processors', () => {
    expect(checkRecomputeIdempotent(targetPolicies(), 3, 100)!.failure).toBeNull();
    expect(checkRecomputeIdempotent(legacyPolicies(), 3, 10)).toBeNull();
  });
});

describe('ddmin', () => {
  it('finds a 1-minimal failing subset', async () => {
    const fails = async (xs: readonly number[]): Promise<boolean> => xs.includes(3) && xs.includes(11);
    expect(
      await ddmin(
        Array.from({ length: 20 }, (_, k) => k),
        fails,
      ),
    ).toEqual([3, 11]);
    expect(await ddmin([1, 2, 3], async () => true)).toHaveLength(1);
  });
});
