/** Weighted picks from a uniform draw: decline codes, brands, plans, pay cycles, time zones. */

interface WeightTable {
  readonly keys: readonly string[];
  /** Running share of the total weight, in key order. */
  readonly cumulative: readonly number[];
}

/** Weight tables by weights object: scenario weights are read-only, so each is built once per run, not per draw. */
const weightTables = new WeakMap<object, WeightTable>();

function weightTableOf(weights: Readonly<Record<string, number | undefined>>): WeightTable {
  let table = weightTables.get(weights);
  if (table !== undefined) return table;
  const entries = (Object.entries(weights) as [string, number][]).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  table = { keys: entries.map(([key]) => key), cumulative: entries.map(([, w]) => (acc += w / total)) };
  weightTables.set(weights, table);
  return table;
}

/** The key whose share of the total weight covers u in [0, 1). */
export function pickWeighted<K extends string>(weights: Partial<Record<K, number>>, u: number): K {
  const { keys, cumulative } = weightTableOf(weights as Readonly<Record<string, number | undefined>>);
  for (let k = 0; k < keys.length; k++) if (u < cumulative[k]!) return keys[k] as K;
  return keys[keys.length - 1] as K;
}
