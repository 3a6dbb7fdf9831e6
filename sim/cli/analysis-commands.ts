/** The commands that judge policies across seeds: compare, sweep and gate. */
import type { Command } from 'commander';
import { registerCompareCommand } from '../tools/compare/command.js';
import { registerGateCommand } from '../tools/gate/command.js';
import { registerSweepCommand } from '../tools/sweep/command.js';
import type { Io } from '../tools/run/command.js';

export function registerAnalysisCommands(program: Command, io: Io): void {
  registerCompareCommand(program, io);
  registerGateCommand(program, io);
  registerSweepCommand(program, io);
}
