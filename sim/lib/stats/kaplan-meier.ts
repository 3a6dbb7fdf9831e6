/**
 * The Kaplan–Meier estimate of a time-to-event curve from right-censored
 * observations, with Greenwood's variance and a log(-log) confidence band.
 * Here the event is "recovered": an observation still open when watching
 * stopped is censored, not counted as a failure to recover.
 */
/** The standard normal's 97.5 % quantile: a 95 % band. */
export const Z_95 = 1.959963984540054;

export interface Observation {
  /** Time of the event, or of censoring (when watching stopped), in any unit. */
  readonly time: number;
  /** True: the event happened at `time`; false: censored at `time`. */
  readonly event: boolean;
}

/** The curve at one time: the share that had the event by then (1 − S), with its band. */
export interface KmPoint {
  readonly time: number;
  /** Observations still watched, without the event, at the start of the step ending at `time`. */
  readonly atRisk: number;
  /** Events in the step ending at `time`. */
  readonly events: number;
  readonly share: number;
  readonly shareLow: number;
  readonly shareHigh: number;
}

/**
 * The estimate at each of `times` (ascending): the share with an event at or
 * before it. Events at a time count before censorings at that time.
 */
export function kaplanMeier(observations: readonly Observation[], times: readonly number[], z = Z_95): KmPoint[] {
  const sorted = [...observations].sort((a, b) => a.time - b.time || Number(b.event) - Number(a.event));
  let survival = 1;
  let greenwood = 0;
  let next = 0;
  let atRisk = sorted.length;
  const points: KmPoint[] = [];
  for (const t of times) {
    const atRiskBefore = atRisk;
    let events = 0;
    while (next < sorted.length && sorted[next]!.time <= t) {
      const time = sorted[next]!.time;
      let d = 0;
      let c = 0;
      for (; next < sorted.length && sorted[next]!.time === time; next++) {
        if (sorted[next]!.event) d++;
        else c++;
      }
      if (d > 0 && atRisk > 0) {
        survival *= 1 - d / atRisk;
        greenwood += atRisk > d ? d / (atRisk * (atRisk - d)) : 0;
      }
      events += d;
      atRisk -= d + c;
    }
    points.push(pointAt(t, atRiskBefore, events, survival, greenwood, z));
  }
  return points;
}

/** Greenwood's variance on the log(-log S) scale keeps the band inside [0, 1]. */
function pointAt(time: number, atRisk: number, events: number, s: number, greenwood: number, z: number): KmPoint {
  if (s <= 0 || s >= 1 || greenwood === 0)
    return { time, atRisk, events, share: 1 - s, shareLow: 1 - s, shareHigh: 1 - s };
  const logS = Math.log(s);
  const half = (z * Math.sqrt(greenwood)) / Math.abs(logS);
  const sHigh = s ** Math.exp(-half);
  const sLow = s ** Math.exp(half);
  return { time, atRisk, events, share: 1 - s, shareLow: 1 - sHigh, shareHigh: 1 - sLow };
}
