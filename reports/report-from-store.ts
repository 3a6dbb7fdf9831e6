/** Reads runs back from the store (exactly, from the `result` JSON column) to render reports. */
import type { RunResult } from '../sim/world/result.js';
import { query, type Store } from './store.js';

/** Ids of the stored runs, oldest first. */
export async function listRunIds(store: Store): Promise<string[]> {
  const rows = await query(store, 'SELECT run_id FROM runs ORDER BY created_seq');
  return rows.map((r) => String(r['run_id']));
}

function quoted(id: string): string {
  return `'${id.replaceAll("'", "''")}'`;
}

/**
 * The RunResults of `runIds`, in that order; with no ids, the most recent run.
 * Throws (naming them) when some ids are not in the store.
 */
export async function loadRuns(store: Store, runIds?: readonly string[]): Promise<RunResult[]> {
  const ids = runIds && runIds.length > 0 ? [...runIds] : (await listRunIds(store)).slice(-1);
  if (ids.length === 0) throw new Error(`no runs in ${store.path}`);
  const rows = await query(store, `SELECT run_id, result FROM runs WHERE run_id IN (${ids.map(quoted).join(', ')})`);
  const byId = new Map(rows.map((r) => [String(r['run_id']), String(r['result'])]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new Error(`unknown run id(s) in ${store.path}: ${missing.join(', ')}`);
  return ids.map((id) => JSON.parse(byId.get(id) ?? 'null') as RunResult);
}

/** Run ids paired with their results, for labelling reports by id. */
export async function loadRunsById(
  store: Store,
  runIds?: readonly string[],
): Promise<{ runId: string; result: RunResult }[]> {
  const ids = runIds && runIds.length > 0 ? [...runIds] : (await listRunIds(store)).slice(-1);
  const results = await loadRuns(store, ids);
  return results.map((result, i) => ({ runId: ids[i] ?? '', result }));
}
