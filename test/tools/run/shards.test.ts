import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_IN_DOCUMENTS, BUILT_IN_SETS } from '../../../policies/sets.js';
import { jsonOf } from '../../../reports/text.js';
import { parseWorkers } from '../../../sim/lib/args.js';
import { resultFromTallies, runSimulation } from '../../../sim/world/engine/run.js';
import { runShard, shardRanges } from '../../../sim/world/engine/job.js';
import { runSharded } from '../../../sim/tools/run/shards.js';
import { BUSY_YAML, busyScenario } from '../../world/engine/scale-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sharding by account', () => {
  it('splits accounts into contiguous ranges that cover them once', () => {
    const ranges = shardRanges(10, 3);
    expect(ranges).toEqual([
      { first: 0, count: 3 },
      { first: 3, count: 3 },
      { first: 6, count: 4 },
    ]);
  });

  for (const name of ['target', 'legacy']) {
    it(`merges ${name} shards into the unsharded result, byte for byte`, () => {
      const scenario = busyScenario();
      const policies = BUILT_IN_SETS[name]!();
      const whole = runSimulation(scenario, policies, 11);
      const tallies = shardRanges(scenario.accounts, 3).map((range) => runShard(scenario, policies, 11, range));
      const merged = resultFromTallies(scenario, policies, 11, tallies);
      expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
      expect(whole.recovery.failedInvoices).toBeGreaterThan(100);
    });
  }

  it('runs many small shards one after another to the same result', async () => {
    const scenario = busyScenario();
    const policies = BUILT_IN_SETS.target!();
    const whole = runSimulation(scenario, policies, 4);
    expect(
      jsonOf(await runSharded(scenario, { set: policies, document: BUILT_IN_DOCUMENTS.target! }, 4, 1, null, 250)),
    ).toBe(jsonOf(whole));
  });

  it('billsim run --workers 2 prints the same JSON as one worker', () => {
    const file = join(dir, 'busy.yaml');
    writeFileSync(file, BUSY_YAML);
    const run = (workers: string): string =>
      execFileSync(
        process.execPath,
        ['bin/billsim.js', 'run', file, '--policies', 'legacy', '--seed', '5', '--json', '--workers', workers],
        { encoding: 'utf8' },
      );
    const one = run('1');
    expect(run('2')).toBe(one);
    expect(JSON.parse(one).accounts).toBe(600);
  });

  it("a shard past the scenario's limits is bad input from a worker thread too: one line, exit 2", () => {
    const file = join(dir, 'tight.yaml');
    writeFileSync(file, 'accounts: 30\ndays: 5\nlimits:\n  eventsMax: 10\n');
    const r = spawnSync(process.execPath, ['bin/billsim.js', 'run', file, '--workers', '2'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'billsim: scenario limits.eventsMax: the run passed 10 events; raise limits.eventsMax in the scenario, or shrink the run',
    ]);
  });

  it('rejects a bad worker count and caps it at the number of accounts', () => {
    expect(() => parseWorkers('0', 10)).toThrow(/--workers: "0" is not a whole number from 1 to 64/);
    expect(() => parseWorkers('two', 10)).toThrow(/--workers/);
    expect(parseWorkers('8', 3)).toBe(3);
  });

  it('keeps the invoice rows of the JSON output out of jsonOf', () => {
    expect(jsonOf(runSimulation(busyScenario(), BUILT_IN_SETS.target!(), 2))).not.toContain('"invoices"');
  });
});
