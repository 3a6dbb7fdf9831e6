/**
 * Flag values every command parses the same way: a bad one is bad input
 * naming the flag (exit 2).
 */
import { InputError } from './errors.js';

/** Worker threads (and Temporal worker slots) a command may use at most. */
export const WORKERS_MAX = 64;

/** A whole number from `min` to `max` for `flag`. */
export function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new InputError(`${flag}: "${text}" is not a whole number from ${min} to ${max}`);
  return n;
}

/** A seed flag's value (`--seed`, `--seed-base`, `--random-seed`: named in the error). */
export function parseSeed(text: string, flag = '--seed'): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > 0x7fffffff) {
    throw new InputError(`${flag}: "${text}" is not an integer from 0 to 2147483647`);
  }
  return seed;
}

/** --workers: worker threads to shard the work across, at most `units` (one per account or task). */
export function parseWorkers(text: string, units = WORKERS_MAX): number {
  return Math.min(parseWholeNumber('--workers', text, 1, WORKERS_MAX), Math.max(1, units));
}
