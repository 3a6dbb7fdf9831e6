import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli.js';

describe('billsim policies show', () => {
  it('an unknown name is one line listing what it could be (not a --policies error: no such flag here), exit 2', async () => {
    const r = await cli('policies', 'show', 'smart-retry');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^billsim: policies show: unknown name "smart-retry" \(sets: legacy, .*schedules: .*smart-retries.*ladders: .*graduated/,
      ),
    ]);
  });

  it('shows a schedule, a ladder and a set by name', async () => {
    for (const [name, heading] of [
      ['smart-retries', /^retry schedule smart-retries/],
      ['graduated', /^ladder graduated/],
      ['target', /^policy set target/],
    ] as const) {
      const r = await cli('policies', 'show', name);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(heading);
    }
  });
});
