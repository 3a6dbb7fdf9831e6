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
