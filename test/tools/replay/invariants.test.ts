import { describe, expect, it } from 'vitest';
import { legacyPolicies, targetPolicies } from '../../../policies/sets.js';
import { NOT_JUDGED_IN_REPLAY, replayAndCheck } from '../../../sim/tools/replay/verdict.js';
import { historyOf } from '../../../sim/tools/verify/history.js';
import { cli } from '../../support/cli.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';

interface Inv {
  name: string;
  class: string;
  status: string;
  customer: string | null;
}

const SAMPLE = 'scenarios/streams/sample.jsonl';

describe('billsim replay judges the named invariants', () => {
  it('target: every invariant a replay can judge holds (exit 0), listed in --json', async () => {
    const r = await cli('replay', SAMPLE, '--policies', 'target', '--json', '--check-order');
    expect(r.code).toBe(0);
    const inv = JSON.parse(r.stdout).invariants as Inv[];
    expect(inv.map((i) => i.name)).toEqual(
      expect.arrayContaining([
        'dunningOnSettledInvoice',
        'agreesWithReferenceModel',
        'orderIndependent',
        'recomputeIdempotent',
        'consequencesMonotone',
        'settlesWithinBound',
      ]),
    );
    expect(inv.filter((i) => NOT_JUDGED_IN_REPLAY.includes(i.name))).toEqual([]);
    expect(inv.every((i) => i.status === 'passed')).toBe(true);
  });

  it('legacy: convergence fails on the same stream (exit 1), naming the invariant and the first customer', async () => {
    const r = await cli('replay', SAMPLE, '--policies', 'legacy', '--json');
    expect(r.code).toBe(1);
    const failed = (JSON.parse(r.stdout).invariants as Inv[]).filter((i) => i.status === 'failed');
    expect(failed.some((i) => i.class === 'convergence' && /^cus_/.test(i.customer ?? ''))).toBe(true);
    const text = await cli('replay', SAMPLE, '--policies', 'legacy');
    expect(text.stdout).toMatch(/invariants: \d+ of \d+ FAILED/);
    expect(text.stdout).toMatch(
      new RegExp(`FAILED\\s+convergence\\s+${failed.find((i) => i.class === 'convergence')!.name}`),
    );
  });

  it("order: two card updates delivered in reverse change legacy's final card, not target's", async () => {
    const { start, events } = historyOf([{ kind: 'newCard' }, { kind: 'newCard' }]);
    const cards = events.filter((e) => e.type === 'customer.updated');
    const reversed = [...start, ...cards.reverse()];
    const options = { lifecycle: lifecycleSpec(), seed: 1, perturb: null, skipBad: false, settleMs: null };
    const legacy = await replayAndCheck(reversed, { ...options, policies: legacyPolicies() }, true);
    expect(legacy.invariants.find((i) => i.name === 'orderIndependent')!.status).toBe('failed');
    expect(legacy.exitCode).toBe(1);
    const target = await replayAndCheck(reversed, { ...options, policies: targetPolicies() }, true);
    expect(target.invariants.every((i) => i.status === 'passed')).toBe(true);
  });
});
