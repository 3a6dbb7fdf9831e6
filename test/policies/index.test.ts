/** The policies' one export list (policies/index.ts) carries what a policy module and production need. */
import { describe, expect, it } from 'vitest';
import * as policies from '../../policies/index.js';

describe('policies/index.ts', () => {
  it('exports the engine, the pieces, the document and the built-in sets', () => {
    for (const name of [
      'computeDiff',
      'applyDiff',
      'reasonAware',
      'fixedCadence',
      'ladder',
      'graduatedLadder',
      'policySetOf',
      'policyDocumentSchema',
      'BUILT_IN_DOCUMENTS',
      'stripeDeclineCode',
      'violatedRules',
      'lifecycleStateOf',
    ]) {
      expect(policies, name).toHaveProperty(name);
    }
    expect(Object.keys(policies.BUILT_IN_DOCUMENTS)).toEqual([...policies.ROADMAP_STEPS, 'canary']);
  });
});
