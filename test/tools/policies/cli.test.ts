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

describe('billsim policies check-rules', () => {
  it('target keeps every card-network rule: exit 0', async () => {
    const r = await cli('policies', 'check-rules', 'target');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      'target: no card-network rule violation (every card decline on Visa and Mastercard, two invoices of one card)',
    );
  });

  it('legacy retries cards the networks said never to retry: each violation explained with its fee, exit 1', async () => {
    const r = await cli('policies', 'check-rules', 'legacy');
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain(
      'visa · stolen_card · invoice 1 attempt 2 (day 1.0): visa_category1_retried — the issuer answered response 43, ' +
        'category 1: Visa category 1, it will never approve; no reattempt is allowed; fee $0.10',
    );
    expect(lines.some((l) => l.startsWith('mastercard · revocation_of_authorization') && l.includes('MAC 21'))).toBe(
      true,
    );
    expect(lines.at(-1)).toMatch(/^legacy: \d+ violations in \d+ cases, fees \$\d+\.\d\d$/);
  });

  it('an unknown set is bad input: one line, exit 2', async () => {
    const r = await cli('policies', 'check-rules', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
