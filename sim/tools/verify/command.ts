/**
 * `billsim verify`: the property suite and fault-weather seeds against a
 * policy set. A counterexample is replayed with `billsim replay <file>`.
 */
import { checkWritableDir } from '../../lib/atomic-write.js';
import type { Command } from 'commander';
import { POLICY_SET_HELP, resolvePolicies } from '../policies/resolve.js';
import type { Io } from '../../lib/io.js';
import { parseSeed, parseWholeNumber } from '../../lib/args.js';
import { resolveScenario } from '../scenario/load.js';
import { storeVerify } from './store.js';
import { checkStoreWritable } from '../../../reports/persist.js';
import { formatVerifyReport, verify } from './verify.js';

interface VerifyFlags {
  policies: string;
  runs: string;
  seed: string;
  json?: boolean;
  outDir: string;
  scenario: string;
  propertyRuns: string;
  db?: string;
}

export function registerVerifyCommands(program: Command, io: Io): void {
  program
    .command('verify')
    .description(
      'check every invariant: property tests and fault-weather seeds; exit 0 all hold, 1 safety/convergence failed, 3 liveness failed',
    )
    .option('--policies <set>', POLICY_SET_HELP, 'target')
    .option('--runs <n>', 'fault-weather seeds to run', '8')
    .option('--seed <n>', 'first seed (also the property suite seed)', '1')
    .option('--json', 'print {"invariants":[{"name","status","counterexample"}]} on stdout')
    .option('--out-dir <dir>', 'where counterexample files go', '.billsim/counterexamples')
    .option('--scenario <spec>', 'scenario each seed runs (file or built-in)', 'verify')
    .option('--property-runs <n>', 'generated cases per property', '60')
    .option(
      '--db <file>',
      'also store the fault-weather runs and a verify_results row per invariant in this DuckDB file',
    )
    .action(async (flags: VerifyFlags) => {
      const policies = await resolvePolicies(flags.policies);
      const inputs = {
        policies,
        scenario: resolveScenario(flags.scenario),
        runs: parseWholeNumber('--runs', flags.runs, 1, 10_000),
        seed: parseSeed(flags.seed),
        outDir: flags.outDir,
        propertyRuns: parseWholeNumber('--property-runs', flags.propertyRuns, 1, 100_000),
      };
      if (flags.db !== undefined) await checkStoreWritable('--db', flags.db);
      checkWritableDir(flags.outDir);
      const report = await verify({ ...inputs, log: (line) => (flags.json ? io.err : io.out)(line) });
      if (flags.json)
        io.out(
          JSON.stringify({
            policies: report.policies,
            seeds: report.seeds,
            neverFired: report.neverFired,
            transitionsNeverTaken: report.transitionsNeverTaken,
            invariants: report.invariants,
          }),
        );
      else io.out(formatVerifyReport(report));
      if (flags.db !== undefined) await storeVerify(report, flags.db, io);
      process.exitCode = report.exitCode;
    });
}
