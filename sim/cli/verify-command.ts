/**
 * `billsim verify`: the property suite and fault-weather seeds against a
 * policy set; `--replay <file>` replays a counterexample file.
 */
import type { Command } from 'commander';
import { resolvePolicies } from './policies.js';
import { parseSeed, resolveScenario, type Io } from './run-command.js';
import { EXIT_FAILED, EXIT_OK, InputError } from './errors.js';
import { readCounterexample } from '../verify/counterexample.js';
import { replayVerdict } from '../verify/replay.js';
import { weatherRun } from '../verify/batch.js';
import { formatVerifyReport, verify } from '../verify/verify.js';

interface VerifyFlags {
  policies: string;
  runs: string;
  seed: string;
  json?: boolean;
  outDir: string;
  scenario: string;
  propertyRuns: string;
  replay?: string;
}

function parseCount(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max) throw new InputError(`${flag}: "${text}" is not an integer from 1 to ${max}`);
  return n;
}

export function registerVerifyCommands(program: Command, io: Io): void {
  program.command('verify')
    .description('check every invariant: property tests and fault-weather seeds; exit 0 all hold, 1 safety/convergence failed, 3 liveness failed')
    .option('--policies <set>', 'legacy | target | canary | a policy YAML file', 'target')
    .option('--runs <n>', 'fault-weather seeds to run', '8')
    .option('--seed <n>', 'first seed (also the property suite seed)', '1')
    .option('--json', 'print {"invariants":[{"name","status","counterexample"}]} on stdout')
    .option('--out-dir <dir>', 'where counterexample files go', '.billsim/counterexamples')
    .option('--scenario <spec>', 'scenario each seed runs (file or built-in)', 'verify')
    .option('--property-runs <n>', 'generated cases per property', '60')
    .option('--replay <file>', 'replay a counterexample file and report the invariants it breaks')
    .action(async (flags: VerifyFlags) => {
      if (flags.replay !== undefined) return replayCommand(flags.replay, io);
      const policies = await resolvePolicies(flags.policies);
      const report = await verify({
        policies, scenario: resolveScenario(flags.scenario), runs: parseCount('--runs', flags.runs, 10_000), seed: parseSeed(flags.seed),
        outDir: flags.outDir, propertyRuns: parseCount('--property-runs', flags.propertyRuns, 100_000),
        log: (line) => (flags.json ? io.err : io.out)(line),
      });
      if (flags.json) io.out(JSON.stringify({ policies: report.policies, seeds: report.seeds, neverFired: report.neverFired,
        transitionsNeverTaken: report.transitionsNeverTaken, invariants: report.invariants }));
      else io.out(formatVerifyReport(report));
      process.exitCode = report.exitCode;
    });
}

/** A stream counterexample replays through its policy set; a weather one reruns its seed. */
async function replayCommand(path: string, io: Io): Promise<void> {
  const { header, events } = readCounterexample(path);
  const policies = await resolvePolicies(header.policies);
  const broken = events.length > 0
    ? replayVerdict(events, policies)
    : weatherRun(resolveScenario('verify'), policies, header.seed).violations.map((v) => v.invariant);
  io.out(`replay ${path} (${events.length} events, seed ${header.seed}, --policies ${header.policies})`);
  io.out(broken.length === 0 ? 'no invariant broken' : `broken: ${broken.join(', ')}`);
  process.exitCode = broken.length === 0 ? EXIT_OK : EXIT_FAILED;
}
