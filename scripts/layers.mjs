#!/usr/bin/env node
/**
 * The layers of the house, checked: every relative import of a TypeScript
 * file under policies/, sim/, reports/ and bin/ is classified by the layer of
 * the importing file and of the imported one. An import from a lower layer to
 * a higher one runs uphill. Prints the folder-level import edges, the uphill
 * ones (with one example import each) and exits 1 if there is any.
 *
 *   node scripts/layers.mjs [--json] [--layers layers.json]
 *
 * `--layers` replaces the table below with `[[pathPrefix, layerName], ...]`
 * (longest prefix wins) and `--order` with a comma-separated list of layer
 * names, lowest first: it measures another tree, or another design.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

/** Lowest first. A layer may import its own and any lower layer, never a higher one. */
const ORDER = ['policies', 'lib', 'world', 'reports', 'hosts', 'tools', 'cli', 'bin'];

/** Path prefix → layer (longest prefix wins). */
const LAYERS = [
  ['policies/', 'policies'],
  ['sim/lib/', 'lib'],
  ['sim/world/', 'world'],
  ['reports/', 'reports'],
  ['sim/hosts/', 'hosts'],
  ['sim/tools/', 'tools'],
  ['sim/cli/', 'cli'],
  ['bin/', 'bin'],
];

/** Layers that must not import a given lower layer even though it is lower (policies import nothing). */
const FORBIDDEN = { policies: ['lib', 'world', 'reports', 'hosts', 'tools', 'cli', 'bin'], lib: ['policies'] };

function flag(name) {
  const k = process.argv.indexOf(name);
  return k < 0 ? undefined : process.argv[k + 1];
}

const layers = flag('--layers') ? JSON.parse(readFileSync(flag('--layers'), 'utf8')) : LAYERS;
const order = flag('--order') ? flag('--order').split(',') : ORDER;
const asJson = process.argv.includes('--json');

function layerOf(path) {
  let best = null;
  for (const [prefix, layer] of layers)
    if (path.startsWith(prefix) && (best === null || prefix.length > best[0].length)) best = [prefix, layer];
  return best === null ? null : best[1];
}

function folderOf(path) {
  return posix.dirname(path);
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|js)$/.test(name)) out.push(relative(process.cwd(), path).split('\\').join('/'));
  }
  return out;
}

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const files = ['policies', 'sim', 'reports', 'bin'].flatMap((d) => walk(d));
const edges = new Map();
for (const file of files) {
  const fromLayer = layerOf(file);
  for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const target = posix.normalize(posix.join(dirname(file), match[1])).replace(/\.js$/, '.ts');
    const toLayer = layerOf(target);
    if (fromLayer === null || toLayer === null) continue;
    const key = `${folderOf(file)} -> ${folderOf(target)}`;
    const uphill = order.indexOf(toLayer) > order.indexOf(fromLayer) || (FORBIDDEN[fromLayer] ?? []).includes(toLayer);
    const edge = edges.get(key) ?? {
      from: folderOf(file),
      to: folderOf(target),
      fromLayer,
      toLayer,
      uphill,
      imports: 0,
      example: `${file} imports ${match[1]}`,
    };
    edge.imports++;
    edges.set(key, edge);
  }
}

const crossFolder = [...edges.values()].filter((e) => e.from !== e.to);
const uphill = crossFolder.filter((e) => e.uphill);
if (asJson) {
  process.stdout.write(
    `${JSON.stringify({ folderEdges: crossFolder.length, uphill: uphill.length, uphillEdges: uphill }, null, 2)}\n`,
  );
} else {
  process.stdout.write(`${crossFolder.length} folder-level import edges, ${uphill.length} uphill\n`);
  for (const e of uphill)
    process.stdout.write(`  uphill: ${e.from} (${e.fromLayer}) -> ${e.to} (${e.toLayer}): ${e.example}\n`);
}
process.exitCode = uphill.length === 0 ? 0 : 1;
