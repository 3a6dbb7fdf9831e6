/**
 * A designer's policy module outside the checkout imports billsim's pieces as
 * `billsim/policies` (the package's exports and declarations), type-checks
 * against them, and runs. npm test builds dist/ before vitest.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve('.');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const GOOD = `import { withNetworkRules, paydayAware, failuresOnLastMethod, type BuildEnv, type RetrySchedule, type RetryInput, type RetryDecision } from 'billsim/policies';

export function createRetrySchedule(params: { triesMax?: number }, env: BuildEnv): RetrySchedule {
  const triesMax = params.triesMax ?? 3;
  const payday = paydayAware({ recoveryWindowDays: 30 });
  return withNetworkRules(
    {
      name: 'outside',
      params: { triesMax },
      next(input: RetryInput): RetryDecision {
        if (failuresOnLastMethod(input) >= triesMax) return { kind: 'await_payment_method' };
        return payday.next(input);
      },
    },
    env.networkLimits,
  );
}
`;

/** A schedule answering a decision kind that does not exist: the declarations must reject it. */
const BAD = GOOD.replace("{ kind: 'await_payment_method' }", "{ kind: 'retry_whenever' }");

function project(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'billsim-outside-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'billsim'), 'dir');
  const compilerOptions = {
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'schedule.ts'), source);
  writeFileSync(join(dir, 'policy.yaml'), 'name: outside\nretry:\n  module: ./schedule.ts\n  triesMax: 2\n');
  return dir;
}

async function tsc(dir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('node', [TSC, '-p', dir]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? -1, out: e.stdout ?? '' };
  }
}

describe('billsim/policies: the package surface a policy module outside the checkout uses', () => {
  it('a module in a folder of its own type-checks against the package and runs under billsim', async () => {
    const dir = project(GOOD);
    expect(await tsc(dir)).toEqual({ code: 0, out: '' });
    const { stdout } = await run('node', [
      join(ROOT, 'bin', 'billsim.js'),
      'run',
      join(ROOT, 'test', 'fixtures', 'small-world.yaml'),
      '--policies',
      join(dir, 'policy.yaml'),
      '--json',
    ]);
    const result = JSON.parse(stdout) as { policies: string; recovery: { failedInvoices: number } };
    expect(result.policies).toBe('outside');
    expect(result.recovery.failedInvoices).toBeGreaterThan(0);
  });

  it('the declarations reject a module that answers a decision billsim does not know', async () => {
    const r = await tsc(project(BAD));
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/schedule\.ts.*error TS\d+:.*retry_whenever/s);
  });
});
