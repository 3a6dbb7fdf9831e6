/**
 * `billsim roadmap <scenario>`: run one scenario under each policy set of the
 * roadmap (its steps, legacy → … → target, by default) on one or more seeds, and
 * print the KPI trajectory as the case study's table: metric, start figure, each
 * set (the mean and its interval over the seeds), target.
 * With --report the HTML report shows the same runs side by side.
 */
import type { Command } from 'commander';
import { runSimulation } from '../../world/engine/run.js';
import type { RunResult } from '../../world/result.js';
import { checkOutputs, persistRuns } from '../../../reports/persist.js';
import { resolvePolicyList } from '../policies/resolve.js';
import { progressBar } from '../../lib/progress.js';
import type { Io } from '../../lib/io.js';
import { parseSeed, parseWholeNumber } from '../../lib/args.js';
import { ROADMAP_STEPS } from '../../../policies/sets.js';
import { roadmapTable } from './table.js';

import { resolveScenario } from '../scenario/load.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

/** The sets `roadmap` runs by default: the roadmap's steps, start to end state (policies/sets.ts). */
export const ROADMAP_SETS: readonly string[] = ROADMAP_STEPS;

/** Seeds per set at most (each run is a full simulation). */
const ROADMAP_SEEDS_MAX = 100;

interface RoadmapFlags {
  sets: string;
  seed: string;
  seeds: string;
  db?: string;
  report?: string;
  json?: boolean;
}

export function registerRoadmapCommands(program: Command, io: Io): void {
  program
    .command('roadmap')
    .description('run a scenario under each roadmap policy set and print the KPI trajectory (start → target)')
    .argument('<scenario>', 'scenario YAML file, or a built-in name')
    .option('--sets <list>', 'comma-separated policy sets, in roadmap order', ROADMAP_SETS.join(','))
    .option('--seed <n>', 'first seed (the same for every set: they see the same world)', '1')
    .option('--seeds <n>', 'seeds per set (seed, seed+1, …): each cell becomes the mean with its 95 % interval', '1')
    .option('--db <file>', 'also store the runs in this DuckDB file')
    .option('--report <file>', 'also write the HTML report with the runs side by side')
    .option('--json', 'print the results as one JSON array')
    .action(async (scenarioSpec: string, flags: RoadmapFlags) => {
      const scenario = resolveScenario(scenarioSpec);
      const seed = parseSeed(flags.seed);
      const seedCount = parseWholeNumber('--seeds', flags.seeds, 1, ROADMAP_SEEDS_MAX);
      const sets = await resolvePolicyList('--sets', flags.sets, 1);
      const persist = flags.db !== undefined || flags.report !== undefined;
      if (persist) await checkOutputs({ dbPath: flags.db, reportPath: flags.report });
      const results: RunResult[] = [];
      for (const policies of sets) {
        for (let s = seed; s < seed + seedCount; s++) {
          const progress = progressBar(!flags.json, `${scenario.name}/${policies.name} seed ${s}`);
          results.push(runSimulation(scenario, policies, s, { onProgress: progress.tick, lifecycle: lifecycleSpec() }));
          progress.done();
        }
      }
      io.out(
        flags.json
          ? JSON.stringify(results.map((r) => ({ policies: r.policies, seed: r.seed, kpis: r.kpis, drift: r.drift })))
          : roadmapTable(results),
      );
      if (persist) await persistRuns(results, { dbPath: flags.db, reportPath: flags.report }, io);
    });
}
