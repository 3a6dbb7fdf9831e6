/**
 * Kill Bill's own overdue integration test as a peer suite: TestOverdueIntegration's configuration,
 * imported with `policies import-killbill`, drives the replay of testOverdueStages1's dated payment
 * history (in Stripe's shapes), and the consequence state on each date the test asserts is the
 * state Kill Bill asserts (test/fixtures/killbill/PROVENANCE.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consequenceStateAt, recomputeConfigOf } from '../../../policies/index.js';
import { importKillBillOverdue } from '../../../sim/tools/policies/killbill.js';
import { resolvePolicies } from '../../../sim/tools/policies/resolve.js';
import { replayAndCheck } from '../../../sim/tools/replay/verdict.js';
import { replayStream } from '../../../sim/tools/replay/replay.js';
import { parseAt } from '../../../sim/tools/replay/timeline.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';
import { scratch } from './support.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/killbill');
const CLEAR = 'clear';

/** testOverdueStages1's checkODState calls: the date (at the test clock's 00:03:42) and the state. */
const ASSERTED: readonly [string, string][] = [
  ['2012-06-08', CLEAR],
  ['2012-06-16', CLEAR],
  ['2012-06-24', CLEAR],
  ['2012-06-30', 'OD1'],
  ['2012-07-02', 'OD1'],
  ['2012-07-08', 'OD1'],
  ['2012-07-10', 'OD2'],
  ['2012-07-16', 'OD2'],
  ['2012-07-18', 'OD2'],
  ['2012-07-20', 'OD3'],
];

function stream(): { created: number }[] {
  return readFileSync(join(FIXTURES, 'overdue-stages1.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { created: number });
}

async function importedPolicies(): Promise<Awaited<ReturnType<typeof resolvePolicies>>> {
  const source = join(FIXTURES, 'TestOverdueIntegration-overdue.xml');
  const imported = importKillBillOverdue(readFileSync(source, 'utf8'), {
    name: 'killbill-overdue-integration',
    retryDays: [8, 8, 8, 8, 8, 8, 8, 8],
    source,
  });
  const path = join(scratch, 'killbill-overdue-integration.yaml');
  writeFileSync(path, imported.yaml);
  return resolvePolicies(path);
}

/** The account's state at t (plus one minute, after that moment's events): the history up to t, settled to t. */
async function stateAt(iso: string): Promise<{ state: string; restriction: string; failed: string[] }> {
  const policies = await importedPolicies();
  const tS = Date.parse(`${iso}T00:04:42Z`) / 1000;
  const events = stream().filter((e) => e.created <= tS);
  const lastS = Math.max(...events.map((e) => e.created));
  const r = await replayAndCheck(events, {
    policies,
    lifecycle: lifecycleSpec(),
    seed: 1,
    perturb: null,
    skipBad: false,
    settleMs: (tS - lastS) * 1000,
  });
  const a = r.outcome.states[0]!;
  return {
    state: consequenceStateAt(a, tS * 1000, recomputeConfigOf(policies, [])),
    restriction: a.cfProd.restriction,
    failed: r.invariants.filter((i) => i.status === 'failed').map((i) => i.name),
  };
}

describe("Kill Bill's TestOverdueIntegration.testOverdueStages1", () => {
  it.each(ASSERTED)('on %s the account is in %s', async (iso, expected) => {
    const at = await stateAt(iso);
    expect(at.state).toBe(expected);
    expect(at.failed).toEqual([]);
  });

  it('OD1 blocks changes; OD2 and OD3 disable entitlements, told apart by name', async () => {
    expect((await stateAt('2012-06-30')).restriction).toBe('block_changes');
    const [od2, od3] = [await stateAt('2012-07-10'), await stateAt('2012-07-20')];
    expect(od2.restriction).toBe(od3.restriction);
    expect([od2.state, od3.state]).toEqual(['OD2', 'OD3']);
  });

  it('returns to clear once every unpaid invoice is paid', async () => {
    const at = await stateAt('2012-07-21');
    expect(at).toEqual({ state: CLEAR, restriction: 'none', failed: [] });
  });

  it('the timeline (--at) names the same states on the same dates in one replay of the whole history', async () => {
    const policies = await importedPolicies();
    const outcome = await replayStream(join(FIXTURES, 'overdue-stages1.jsonl'), {
      policies,
      lifecycle: lifecycleSpec(),
      seed: 1,
      perturb: null,
      skipBad: false,
      settleMs: null,
      samples: ASSERTED.map(([iso]) => parseAt(`${iso}T00:04:42Z`)),
    });
    expect(outcome.timeline.map((p) => [p.at.slice(0, 10), p.customers[0]!.consequenceState])).toEqual(ASSERTED);
    const od2 = outcome.timeline.find((p) => p.at.startsWith('2012-07-10'))!.customers[0]!;
    expect(od2).toMatchObject({ inDunning: true, entitlements: 0 });
  });
});
