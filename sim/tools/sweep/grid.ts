/**
 * The points of a sweep: `--vary path=v1,v2,…` flags make a grid (the first
 * flag varies slowest); `--random K` picks K distinct grid points with a seed.
 */
import { InputError } from '../../lib/errors.js';
import { hash4 } from '../../world/kernel/rng.js';

export interface Vary {
  readonly path: string;
  readonly values: readonly unknown[];
}

export type Point = Readonly<Record<string, unknown>>;

export const POINTS_MAX = 10_000;

/** "a.b=24,48,72" (numbers, true/false, words) or "a.b=[[1,3],[2,4]]" (a JSON list of values). */
export function parseVary(text: string): Vary {
  const eq = text.indexOf('=');
  const path = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  if (eq <= 0 || raw === '' || !/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(path))
    throw new InputError(`--vary: "${text}" is not param.path=value,value,…`);
  const values = raw.startsWith('[') ? jsonList(text, raw) : raw.split(',').map((v) => scalar(v.trim()));
  if (values.length === 0 || values.some((v) => v === '')) throw new InputError(`--vary: "${text}" has an empty value`);
  return { path, values };
}

function jsonList(text: string, raw: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw new InputError(`--vary: "${text}": a value list starting with [ must be a JSON list of values`);
}

function scalar(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

/** Every combination, the first Vary slowest. */
export function gridPoints(varies: readonly Vary[]): Point[] {
  const twice = varies.find((v, k) => varies.findIndex((w) => w.path === v.path) !== k);
  if (twice !== undefined) throw new InputError(`--vary ${twice.path}: given twice (list every value in one --vary)`);
  const size = varies.reduce((n, v) => n * v.values.length, 1);
  if (size > POINTS_MAX)
    throw new InputError(`--vary: the grid has ${size} points (at most ${POINTS_MAX}); use --random K`);
  let points: Record<string, unknown>[] = [{}];
  for (const v of varies) points = points.flatMap((p) => v.values.map((value) => ({ ...p, [v.path]: value })));
  return points;
}

/** K distinct grid points chosen by `seed`, in grid order (the whole grid when K >= its size). */
export function randomPoints(varies: readonly Vary[], count: number, seed: number): Point[] {
  const grid = gridPoints(varies);
  if (count >= grid.length) return grid;
  const ranked = grid.map((_, i) => ({ i, key: hash4(seed, i, 0x5eed, 7) })).sort((a, b) => a.key - b.key || a.i - b.i);
  return ranked
    .slice(0, count)
    .map((r) => r.i)
    .sort((a, b) => a - b)
    .map((i) => grid[i]!);
}
