/**
 * Store runs in DuckDB and write their report.
 */
import { renderReport } from '../../reports/html.js';
import { codeVersion } from '../../reports/code-version.js';
import { writeReportFile } from '../../reports/save.js';
import { closeStore, DEFAULT_DB_PATH, openStore, writeRun } from '../../reports/store.js';
import type { RunResult } from '../result.js';
import type { Io } from './run-command.js';

export async function persistRuns(results: readonly RunResult[], dbPath: string | undefined, reportPath: string | undefined, io: Io): Promise<void> {
  const path = dbPath ?? DEFAULT_DB_PATH;
  const store = await openStore(path);
  const ids: string[] = [];
  try {
    for (const r of results) ids.push(await writeRun(store, r, { codeVersion: codeVersion() }));
  } finally {
    closeStore(store);
  }
  io.err(`stored run${ids.length > 1 ? 's' : ''} ${ids.join(', ')} in ${path}`);
  if (reportPath === undefined) return;
  writeReportFile(reportPath, renderReport(results, { labels: results.map((r, k) => `${r.policies} seed ${r.seed} (${ids[k]})`) }));
  io.out(`report: ${reportPath}`);
}
