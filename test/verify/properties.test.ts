import { describe, expect, it } from 'vitest';
import { canaryPolicies, legacyPolicies, targetPolicies } from '../../policies/sets.js';
import {
  checkAgreesWithReferenceModel, checkInterleavingIndependent, checkOrderIndependent, checkRecomputeIdempotent, runPropertySuite,
} from '../../sim/verify/properties.js';
import { replayVerdict } from '../../sim/verify/replay.js';

describe('property suite', () => {
  it('target: every property holds', async () => {
    const outcomes = await runPropertySuite(targetPolicies(), 11, 80);
    expect(outcomes.map((o) => o.name)).toEqual(['ladderMonotone', 'recomputeIdempotent', 'orderIndependent', 'agreesWithReferenceModel', 'interleavingIndependent']);
    expect(outcomes.filter((o) => o.failure !== null)).toEqual([]);
  });

  it('legacy: delivery order changes the final state, and the shrunk stream is small and replays to the same failure', async () => {
    const out = checkOrderIndependent(legacyPolicies(), 11, 100);
    expect(out.failure).not.toBeNull();
    expect(out.failure!.events.length).toBeLessThanOrEqual(6);
    expect(replayVerdict(out.failure!.events, legacyPolicies())).toContain('orderIndependent');
    expect((await checkInterleavingIndependent(legacyPolicies(), 11, 40)).failure).not.toBeNull();
  });

  it('canary: the model-based test against the oracle finds the forgotten dunning in a few events', () => {
    const out = checkAgreesWithReferenceModel(canaryPolicies(), 42, 200);
    expect(out.failure).not.toBeNull();
    expect(out.failure!.events.length).toBeLessThanOrEqual(6);
    const broken = replayVerdict(out.failure!.events, canaryPolicies());
    expect(broken).toContain('dunningOnSettledInvoice');
    expect(broken).toContain('agreesWithReferenceModel');
    expect(replayVerdict(out.failure!.events, targetPolicies())).toEqual([]);
  });

  it('idempotence holds for the recompute engines and does not apply to legacy processors', () => {
    expect(checkRecomputeIdempotent(targetPolicies(), 3, 100)!.failure).toBeNull();
    expect(checkRecomputeIdempotent(legacyPolicies(), 3, 10)).toBeNull();
  });
});
