/**
 * The CLI starts without the heavy libraries: DuckDB's native binding,
 * Temporal's client and worker, the Stripe SDK and Graphviz load only in the
 * commands that use them. Checked on the built CLI (`npm test` builds first)
 * by the packages in Node's module cache; the second case shows the check
 * sees a library once it is used.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const HEAVY = [
  '@duckdb/node-api',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/workflow',
  'stripe',
  '@viz-js/viz',
];

function packagesLoadedBy(body: string): string[] {
  const main = pathToFileURL(resolve('dist/sim/cli/main.js')).href;
  const store = pathToFileURL(resolve('dist/reports/store.js')).href;
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    const main = await import(${JSON.stringify(main)});
    const store = await import(${JSON.stringify(store)});
    ${body}
    const names = Object.keys(require.cache).map((f) => f.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/)?.[1]).filter(Boolean);
    console.log(JSON.stringify([...new Set(names)]));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: resolve('.') });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}

describe('CLI startup', () => {
  it('loads none of the heavy libraries until a command needs one', () => {
    const loaded = packagesLoadedBy('main.buildProgram();');
    expect(loaded).toContain('commander');
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('loads DuckDB once a store is opened', () => {
    expect(packagesLoadedBy("await store.closeStore(await store.openStore(':memory:'));")).toContain(
      '@duckdb/node-api',
    );
  });
});
