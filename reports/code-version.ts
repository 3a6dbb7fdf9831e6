/** The code version stamped on stored runs: "billsim@<package version>[+<git short sha>]". */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Nearest package.json above this module (works from reports/ and from dist/reports/). */
function packageDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

function gitShortSha(dir: string): string | undefined {
  try {
    return (
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

let cached: string | undefined;

export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const dir = packageDir();
  const pkg = dir
    ? (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string })
    : {};
  const sha = dir ? gitShortSha(dir) : undefined;
  cached = `${pkg.name ?? 'billsim'}@${pkg.version ?? '0.0.0'}${sha ? `+${sha}` : ''}`;
  return cached;
}
