/** The commands that judge policies across seeds: compare, sweep and gate. */
import type { Command } from 'commander';
import { registerCompareCommand } from '../compare/command.js';
import { registerGateCommand } from '../gate/command.js';
import { registerSweepCommand } from '../sweep/command.js';
import type { Io } from './run-command.js';

export function registerAnalysisCommands(program: Command, io: Io): void {
  registerCompareCommand(program, io);
  registerGateCommand(program, io);
  registerSweepCommand(program, io);
}
