import { resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { main } from '../../sim/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process, capturing its output (process.exitCode is cleared before and after: commands set it). */
export async function cli(...args: string[]): Promise<CliRun> {
  let stdout = '',
    stderr = '';
  process.exitCode = undefined;
  const code = await main(['node', 'billsim', ...args], {
    out: (t) => {
      stdout += t.endsWith('\n') ? t : `${t}\n`;
    },
    err: (t) => {
      stderr += t.endsWith('\n') ? t : `${t}\n`;
    },
  });
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

const BIN = resolve('bin/billsim.js');

/** Runs the built CLI (npm test builds before vitest) as a real process, so exit codes are the process's own. */
export async function builtCli(args: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [BIN, ...args], { cwd });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, out: e.stdout ?? '', err: e.stderr ?? '' };
  }
}
