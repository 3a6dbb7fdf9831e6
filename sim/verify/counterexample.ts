/**
 * Counterexample files: JSONL, a header line then the events in delivery
 * order. The header names the seed, the command that reproduces the failure,
 * the policy set and the invariant. See /work/wt/REPLAY-FORMAT.md and
 * docs/verification.md. Written to a temporary file and renamed.
 */
import { writeFileAtomic } from '../cli/atomic-write.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEBHOOK_TYPES } from '../../policies/dunning/webhook.js';
import { InputError } from '../cli/errors.js';
import type { StripeEvent } from './stream.js';

export interface CounterexampleHeader {
  readonly object: 'billsim.header';
  /** The replay format's version (issue5's REPLAY-FORMAT.md). */
  readonly version: 1;
  readonly seed: number;
  /** Settle window after the latest `created`. */
  readonly settleMs: number;
  readonly command: string;
  readonly policies: string;
  readonly invariant: string;
  /** What else is needed to reproduce: the account and the fault sites, for a weather failure. */
  readonly note?: string;
}

export interface Counterexample {
  readonly header: CounterexampleHeader;
  readonly events: readonly StripeEvent[];
}

export function writeCounterexample(dir: string, name: string, c: Counterexample): string {
  const path = join(dir, `${name}.jsonl`);
  writeFileAtomic(path, [c.header, ...c.events].map((line) => JSON.stringify(line)).join('\n') + '\n');
  return path;
}

export function readCounterexample(path: string): Counterexample {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the counterexample file`);
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new InputError(`${path}:1: header: the file is empty`);
  const rows = lines.map((line, k) => parseLine(path, k + 1, line));
  const header = rows[0] as Partial<CounterexampleHeader>;
  if (header.object !== 'billsim.header' || typeof header.seed !== 'number' || typeof header.policies !== 'string') {
    throw new InputError(`${path}:1: header: expected {"object":"billsim.header","seed":N,"policies":...,"command":...}`);
  }
  rows.slice(1).forEach((row, k) => checkEvent(path, k + 2, row));
  return { header: header as CounterexampleHeader, events: rows.slice(1) as StripeEvent[] };
}

function parseLine(path: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${path}:${line}: line: not valid JSON`);
  }
}

function checkEvent(path: string, line: number, row: unknown): void {
  const e = row as Partial<StripeEvent>;
  if (e.object !== 'event' || typeof e.id !== 'string') throw new InputError(`${path}:${line}: object: expected a Stripe event ("object":"event")`);
  if (!(WEBHOOK_TYPES as readonly string[]).includes(String(e.type))) throw new InputError(`${path}:${line}: type: unknown event type "${String(e.type)}"`);
  if (typeof e.created !== 'number' || !Number.isInteger(e.created)) throw new InputError(`${path}:${line}: created: expected integer seconds`);
  if (typeof e.data?.object?.id !== 'string') throw new InputError(`${path}:${line}: data.object.id: missing`);
}
