/**
 * `billsim roadmap`: the roadmap's steps by default, one column per set; with
 * --seeds, each cell is the mean over the seeds with its 95 % t interval.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROADMAP_STEPS } from '../../../policies/sets.js';
import { meanInterval } from '../../../sim/lib/stats/interval.js';
import type { RunResult } from '../../../sim/world/result.js';
import { cli } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-roadmap-'));
const small = join(dir, 'small.yaml');
writeFileSync(small, 'name: small\naccounts: 200\ndays: 20\n');

describe('billsim roadmap', () => {
  it('runs every step of the roadmap by default, start to end state', async () => {
    const r = await cli('roadmap', small, '--json');
    expect(r.code).toBe(0);
    const runs = JSON.parse(r.stdout) as { policies: string; seed: number }[];
    expect(runs.map((x) => x.policies)).toEqual([...ROADMAP_STEPS]);
    expect(new Set(runs.map((x) => x.seed))).toEqual(new Set([1]));
  });

  it('--seeds: each cell is the mean over the seeds and its 95 % t interval', async () => {
    const json = await cli('roadmap', small, '--sets', 'legacy,target', '--seed', '4', '--seeds', '3', '--json');
    const runs = JSON.parse(json.stdout) as Pick<RunResult, 'policies' | 'seed' | 'kpis'>[];
    const legacy = runs.filter((x) => x.policies === 'legacy');
    expect(legacy.map((x) => x.seed)).toEqual([4, 5, 6]);
    const table = await cli('roadmap', small, '--sets', 'legacy,target', '--seed', '4', '--seeds', '3');
    const i = meanInterval(legacy.map((x) => x.kpis.invoiceCoverage * 100));
    const row = table.stdout.split('\n').find((l) => l.startsWith('| Invoice coverage'))!;
    expect(row).toContain(`| ${i.mean.toFixed(1)} [${i.ciLow.toFixed(1)}, ${i.ciHigh.toFixed(1)}] |`);
    expect(row).toContain('| 100.0 [100.0, 100.0] |');
  });

  it('--seeds 0 is bad input', async () => {
    const r = await cli('roadmap', small, '--seeds', '0');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('billsim: --seeds: "0" is not a whole number from 1 to 100');
  });
});
