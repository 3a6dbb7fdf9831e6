/**
 * The world's records start with the shapes they end with (sim/world/model/state.ts,
 * settleRecordShapes): writing a late time, a double, into any `…Ms` field of
 * a fresh account, card, invoice or attempt leaves its V8 map, and the maps of
 * the records it holds, unchanged. Checked on the built code (`npm test`
 * builds first) in a child Node with `--allow-natives-syntax`; the second case
 * shows the check sees a shape change where nothing settled it.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The paths of the records whose map changed when their `…Ms` fields got doubles. */
function shapesChangedBy(makers: string): string[] {
  const state = pathToFileURL(resolve('dist/sim/world/model/state.js')).href;
  const script = `
    const s = await import(${JSON.stringify(state)});
    const plan = { id: 1, name: 'basic', monthlyPriceCents: 1000, entitlements: 1 };
    const makers = ${makers};
    function lateTimes(record) {
      for (const [name, value] of Object.entries(record)) {
        if (typeof value === 'number' && name.endsWith('Ms')) record[name] = 7_776_000_000.5;
        else if (typeof value === 'object' && value !== null && !Array.isArray(value)) lateTimes(value);
      }
    }
    function changed(before, after, path, out) {
      if (!%HaveSameMap(before, after)) out.push(path);
      for (const [name, value] of Object.entries(before)) {
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) changed(value, after[name], path + '.' + name, out);
      }
      return out;
    }
    const out = [];
    for (const [kind, make] of Object.entries(makers)) {
      const before = make(), after = make();
      lateTimes(after);
      changed(before, after, kind, out);
    }
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: resolve('.'),
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}

describe('record shapes', () => {
  it('no late time changes the shape of an account, card, invoice or attempt', () => {
    expect(
      shapesChangedBy(`{
      account: () => s.newAccount(3, plan, 'stripe', s.newCard(192, 'visa', 1000), 1, 1000, true),
      card: () => s.newCard(192, 'visa', Number.POSITIVE_INFINITY),
      invoice: () => s.newInvoice(768, 'renewal', 1000, 1000, 3, -1),
      attempt: () => s.newAttempt(1000, 192, 'visa', null, false),
    }`),
    ).toEqual([]);
  });

  it('sees the shape change of a record nothing settled', () => {
    expect(shapesChangedBy(`{ plain: () => ({ createdAtMs: -1, inner: { paidAtMs: -1 } }) }`)).toEqual([
      'plain',
      'plain.inner',
    ]);
  });
});
