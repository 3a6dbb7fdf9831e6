/**
 * `billsim roadmap <scenario>`: run one scenario under each policy set of the
 * roadmap (legacy → shipped → target by default) on one seed, and print the KPI
 * trajectory as the case study's table: metric, start figure, each set, target.
 * With --report the HTML report shows the same runs side by side.
 */
import type { Command } from 'commander';
import { KPI_SPECS, referenceFigure, referenceOf, type KpiSpec } from '../../../reports/report-data.js';
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

/**
 * The case study's table: one row per KPI, one column per run, and the scenario's start and target
 * figures when it carries them (its `reference:`); "—" where it gives none.
 */
export function roadmapTable(runs: readonly RunResult[]): string {
  const reference = runs[0] === undefined ? null : referenceOf(runs[0]);
  const figure = (k: KpiSpec, which: 'start' | 'target'): string => {
    const value = reference === null ? null : referenceFigure(k, reference, which);
    return value === null ? '—' : formatNumber(value, 0);
  };
  const head = ['Metric', 'Start (seed)', ...runs.map((r) => r.policies), 'Target (seed)'];
  const rows = KPI_SPECS.map((k) => [
    `${k.name} (${k.unit})`,
    figure(k, 'start'),
    ...runs.map((r) => formatNumber(k.now(r.kpis), k.digits)),
    figure(k, 'target'),
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
