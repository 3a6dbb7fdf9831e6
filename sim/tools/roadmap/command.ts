/**
 * `billsim roadmap <scenario>`: run one scenario under each policy set of the
 * roadmap (legacy → shipped → target by default) on one seed, and print the KPI
 * trajectory as the case study's table: metric, start figure, each set, target.
 * With --report the HTML report shows the same runs side by side.
 */
import type { Command } from 'commander';
import { CASE_STUDY_KPIS } from '../../../reports/report-data.js';
import { formatNumber } from '../../../reports/tables.js';
import { runSimulation } from '../../world/engine/run.js';
import type { RunResult } from '../../world/result.js';
import { checkOutputs, persistRuns } from '../../../reports/persist.js';
import { resolvePolicyList } from '../policies/resolve.js';
import { progressBar } from '../../lib/progress.js';
import type { Io } from '../../lib/io.js';
import { parseSeed } from '../../lib/args.js';
import { resolveScenario } from '../scenario/load.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

export const ROADMAP_SETS: readonly string[] = ['legacy', 'shipped', 'target'];

interface RoadmapFlags {
  sets: string;
  seed: string;
  db?: string;
  report?: string;
  json?: boolean;
}

/** The case study's table: one row per KPI, the seed's start, one column per run, the seed's target. */
export function roadmapTable(runs: readonly RunResult[]): string {
  const head = ['Metric', 'Start (seed)', ...runs.map((r) => r.policies), 'Target (seed)'];
  const rows = CASE_STUDY_KPIS.map((k) => [
    `${k.name} (${k.unit})`,
    formatNumber(k.start, 0),
    ...runs.map((r) => formatNumber(k.now(r.kpis), k.digits)),
    formatNumber(k.target, 0),
  ]);
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function registerRoadmapCommands(program: Command, io: Io): void {
  program
    .command('roadmap')
    .description('run a scenario under each roadmap policy set and print the KPI trajectory (start → target)')
    .argument('<scenario>', 'scenario YAML file, or a built-in name')
    .option('--sets <list>', 'comma-separated policy sets, in roadmap order', ROADMAP_SETS.join(','))
    .option('--seed <n>', 'seed (the same for every set: they see the same world)', '1')
    .option('--db <file>', 'also store the runs in this DuckDB file')
    .option('--report <file>', 'also write the HTML report with the runs side by side')
    .option('--json', 'print the results as one JSON array')
    .action(async (scenarioSpec: string, flags: RoadmapFlags) => {
      const scenario = resolveScenario(scenarioSpec);
      const seed = parseSeed(flags.seed);
      const sets = await resolvePolicyList('--sets', flags.sets, 1);
      const persist = flags.db !== undefined || flags.report !== undefined;
      if (persist) await checkOutputs({ dbPath: flags.db, reportPath: flags.report });
      const results: RunResult[] = [];
      for (const policies of sets) {
        const progress = progressBar(!flags.json, `${scenario.name}/${policies.name}`);
        results.push(
          runSimulation(scenario, policies, seed, { onProgress: progress.tick, lifecycle: lifecycleSpec() }),
        );
        progress.done();
      }
      io.out(
        flags.json
          ? JSON.stringify(results.map((r) => ({ policies: r.policies, kpis: r.kpis, drift: r.drift })))
          : roadmapTable(results),
      );
      if (persist) await persistRuns(results, { dbPath: flags.db, reportPath: flags.report }, io);
    });
}
