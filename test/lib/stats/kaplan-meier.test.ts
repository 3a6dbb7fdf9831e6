/**
 * The Kaplan–Meier estimate against the textbook case: the 6-MP arm of
 * Freireich et al., "The effect of 6-mercaptopurine on the duration of
 * steroid-induced remissions in acute leukemia", Blood 21 (1963) 699–716
 * (remission times in weeks, + = censored), whose survival estimates and
 * Greenwood standard errors are tabulated in Kleinbaum & Klein, Survival
 * Analysis: A Self-Learning Text (3rd ed., 2012), ch. 2, and in R's
 * `survival` package (`survfit(Surv(time, status) ~ 1)` on the same data).
 */
import { describe, expect, it } from 'vitest';
import { kaplanMeier, Z_95, type Observation } from '../../../sim/lib/stats/kaplan-meier.js';

const events = [6, 6, 6, 7, 10, 13, 16, 22, 23];
const censored = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
const sixMp: Observation[] = [
  ...events.map((time) => ({ time, event: true })),
  ...censored.map((time) => ({ time, event: false })),
];

describe('kaplanMeier', () => {
  it('reproduces the published survival estimates of the 6-MP arm', () => {
    const times = [6, 7, 10, 13, 16, 22, 23, 35];
    const survival = kaplanMeier(sixMp, times).map((p) => 1 - p.share);
    const published = [0.857, 0.807, 0.753, 0.69, 0.627, 0.538, 0.448, 0.448];
    survival.forEach((s, i) => expect(s).toBeCloseTo(published[i]!, 3));
  });

  it('counts those still watched and the events in each step; censored ones leave the risk set', () => {
    const [at6, at7, at10] = kaplanMeier(sixMp, [6, 7, 10]);
    expect([at6!.atRisk, at6!.events]).toEqual([21, 3]);
    expect([at7!.atRisk, at7!.events]).toEqual([17, 1]);
    expect([at10!.atRisk, at10!.events]).toEqual([16, 1]); // 9+ and 10+ are censored within the step
  });

  it('gives a band from Greenwood variance that holds the estimate and stays within [0, 1]', () => {
    // Greenwood standard error of S(23) is 0.135 (Kleinbaum & Klein): the log(-log) band is about ±2 SE, asymmetric.
    const p = kaplanMeier(sixMp, [23])[0]!;
    expect(p.shareLow).toBeLessThan(p.share);
    expect(p.shareHigh).toBeGreaterThan(p.share);
    expect(p.shareLow).toBeGreaterThan(0);
    expect(p.shareHigh).toBeLessThan(1);
    expect((p.shareHigh - p.shareLow) / (2 * Z_95)).toBeGreaterThan(0.1);
    expect((p.shareHigh - p.shareLow) / (2 * Z_95)).toBeLessThan(0.17);
  });

  it('is 0 with no events and no band, and ignores censoring when nothing is censored', () => {
    expect(kaplanMeier([{ time: 3, event: false }], [5])[0]!.share).toBe(0);
    const all = kaplanMeier(
      [1, 2, 3, 4].map((time) => ({ time, event: true })),
      [2, 4],
    );
    expect(all.map((p) => p.share)).toEqual([0.5, 1]);
  });
});
