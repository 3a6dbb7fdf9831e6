/**
 * The billsim command line. Each area registers its own commands; errors in
 * user input become one line on stderr and exit code 2.
 */
import { Command, CommanderError } from 'commander';
import { registerReportCommands } from '../tools/report/command.js';
import { registerCompareCommand } from '../tools/compare/command.js';
import { registerGateCommand } from '../tools/gate/command.js';
import { registerSweepCommand } from '../tools/sweep/command.js';
import { registerTemporalCommands } from '../hosts/temporal/command.js';
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERNAL, InputError, reasonOf } from '../lib/errors.js';
import { registerReplayCommands } from '../tools/replay/command.js';
import type { Io } from '../lib/io.js';
import { registerRunCommands } from '../tools/run/command.js';
import { registerVerifyCommands } from '../tools/verify/command.js';
import { registerLifecycleCommands } from '../tools/lifecycle/command.js';
import { registerPolicyCommands } from '../tools/policies/command.js';
import { threadSweepDeps } from '../tools/sweep/pool.js';
import { registerCalibrateCommands } from '../tools/calibrate/command.js';
import { registerRoadmapCommands } from '../tools/roadmap/command.js';
import { registerInitCommand } from '../tools/init/command.js';
import { addExamples } from './examples.js';
import { registerWhatIfCommand } from '../tools/whatif/command.js';

const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export function buildProgram(io: Io = processIo): Command {
  const program = new Command('billsim')
    .description('Deterministic simulation and verification harness for billing-recovery policies')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerRunCommands(program, io);
  registerCalibrateCommands(program, io);
  registerWhatIfCommand(program, io);
  registerRoadmapCommands(program, io);
  registerReportCommands(program, { out: (s) => io.out(s) });
  registerVerifyCommands(program, io);
  registerCompareCommand(program, io);
  registerGateCommand(program, io);
  registerSweepCommand(program, io);
  registerPolicyCommands(program, io);
  registerLifecycleCommands(program, io);
  registerReplayCommands(program, io);
  registerTemporalCommands(program, io, threadSweepDeps);
  registerInitCommand(program, io);
  addExamples(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv]);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

export function exitCodeFor(error: unknown, io: Io): number {
  if (error instanceof InputError || (error instanceof Error && error.name === 'InputError')) {
    io.err(`billsim: ${reasonOf(error)}`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    return error.code === 'commander.executeSubCommandAsync' ? EXIT_FAILED : EXIT_BAD_INPUT;
  }
  io.err(`billsim: internal error: ${failureText(error)}`);
  return EXIT_INTERNAL;
}

/** A failure of the run itself: one line; the stack trace only when BILLSIM_DEBUG=1 asks for it. */
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (process.env.BILLSIM_DEBUG === '1') return error.stack ?? error.message;
  return `${reasonOf(error)} (BILLSIM_DEBUG=1 prints the stack trace)`;
}
