/**
 * Record the dunning workflow's histories as replay fixtures:
 *   npx tsx scripts/record-histories.ts
 * Runs each scripted case in test/hosts/temporal/cases.ts on the time-skipping test
 * server and writes test/hosts/temporal/histories/<case>.json (Temporal's JSON
 * history format, as `temporal workflow show --output json` writes it).
 * Commit the files. Re-record only on purpose: a workflow change that cannot
 * replay the old histories would break executions already running.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { RECORDED_CASES } from '../test/hosts/temporal/cases.js';
import { runCase } from '../test/hosts/temporal/support.js';
import { REPO_ROOT, startTemporalTestEnv } from '../test/support/servers.js';

export const HISTORIES_DIR = path.join(REPO_ROOT, 'test', 'temporal', 'histories');

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const env = await startTemporalTestEnv();
  try {
    for (const c of RECORDED_CASES) {
      // The history does not hold the workflow id; replay passes the file's name (the case name) back in.
      const run = await runCase(env, c, { workflowId: c.name });
      const file = path.join(HISTORIES_DIR, `${c.name}.json`);
      const json = JSON.stringify(
        JSON.parse(historyToJSON(run.history as Parameters<typeof historyToJSON>[0])),
        null,
        1,
      );
      writeFileSync(`${file}.tmp`, `${json}\n`);
      renameSync(`${file}.tmp`, file);
      process.stdout.write(
        `${path.relative(REPO_ROOT, file)}: ${run.result.decisions.length} decisions, final ${run.result.final.invoiceStatus}\n`,
      );
    }
  } finally {
    await env.teardown();
  }
}

await main();
