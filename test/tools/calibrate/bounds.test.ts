/**
 * The bounds the observed figures put on any run: a drift count above the
 * disagreeing accounts cannot be matched together with them.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { observedBounds } from '../../../sim/tools/calibrate/bounds.js';
import { loadObservedFile, parseObservedText } from '../../../sim/tools/calibrate/observed.js';

describe('observed bounds', () => {
  it('the case study: bad-debt drift 906 above 691 disagreeing; the other two drift figures fit under it', () => {
    const [bound, ...rest] = observedBounds(loadObservedFile('scenarios/case-study-observed.yaml'));
    expect(rest).toEqual([]);
    expect(bound!.target).toBe('drift.badDebtFlagWithoutWriteOff');
    expect(bound!.closestMissRatio).toBeCloseTo(215 / 1597, 12);
    expect(bound!.tolerance).toBe(0.1);
    expect(bound!.shareNeeded).toBeGreaterThan(1);
    expect(bound!.message).toMatch(
      /^drift\.badDebtFlagWithoutWriteOff 906 exceeds kpis\.disagreeingAccounts 691, .*no run can have both within ±10\.0 %$/,
    );
  });

  it('at the default ±15 % the case study is possible only with nearly every disagreeing account in bad-debt drift', () => {
    const o = parseObservedText(
      'kpis:\n  disagreeingAccounts: 691\ndrift:\n  badDebtFlagWithoutWriteOff: 906\n',
      'obs.yaml',
    );
    const [bound] = observedBounds(o);
    expect(bound!.shareNeeded).toBeCloseTo((906 * 0.85) / (691 * 1.15), 12);
    expect(bound!.message).toMatch(/at least 96\.9 % of disagreeing accounts are in this drift$/);
  });

  it('says nothing without a disagreement figure or when every drift count is at most it', () => {
    expect(observedBounds(parseObservedText('drift:\n  badDebtFlagWithoutWriteOff: 906\n', 'obs.yaml'))).toEqual([]);
    expect(
      observedBounds(
        parseObservedText('kpis:\n  disagreeingAccounts: 906\ndrift:\n  inconsistentDebtFlags: 906\n', 'obs.yaml'),
      ),
    ).toEqual([]);
  });

  test.prop([fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 })])(
    'the closest miss is tight: missing both by exactly it makes drift equal disagreeing, by less leaves drift above',
    (disagreeing, excess) => {
      const drift = disagreeing + excess;
      const o = parseObservedText(
        `kpis:\n  disagreeingAccounts: ${disagreeing}\ndrift:\n  inconsistentDebtFlags: ${drift}\n`,
        'obs.yaml',
      );
      const miss = observedBounds(o)[0]!.closestMissRatio;
      expect(drift * (1 - miss)).toBeCloseTo(disagreeing * (1 + miss), 6);
      const less = miss * 0.99;
      expect(drift * (1 - less)).toBeGreaterThan(disagreeing * (1 + less));
    },
  );
});
