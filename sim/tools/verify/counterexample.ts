/**
 * Counterexample files. A stream failure is a replay file (sim/tools/replay/format.ts):
 * a header naming the seed, the policy set, the invariant and the command that
 * reproduces it (`billsim replay <file> --policies <set>`), then Stripe events
 * in delivery order. A failure of a function (the ladder, one recompute) has
 * no stream: its inputs are written as JSON and its seed reproduces it.
 */
import { join } from 'node:path';
import type Stripe from 'stripe';
import { ensureDir, writeFileAtomic } from '../../lib/atomic-write.js';
import { writeReplayFile, type ReplayHeader } from '../replay/format.js';

export interface CounterexampleMeta {
  readonly seed: number;
  readonly policies: string;
  readonly invariant: string;
  /** The `billsim verify` command that finds it again. */
  readonly verifyCommand: string;
  readonly note: string;
}

export function counterexamplePath(dir: string, policies: string, invariant: string, ext: 'jsonl' | 'json'): string {
  return join(dir, `${policies}-${invariant}.${ext}`);
}

/** The replay command that reproduces a stream counterexample. */
export function replayCommand(path: string, policies: string): string {
  return `billsim replay ${path} --policies ${policies}`;
}

/**
 * Writes a stream counterexample: `stream` is the header (as the shrinker built it) then the events.
 * Its command is the replay when the replay breaks the invariant, else the verify run that finds it.
 */
export function writeStreamCounterexample(
  dir: string,
  meta: CounterexampleMeta,
  stream: readonly unknown[],
  reproducesInReplay: boolean,
): string {
  ensureDir(dir);
  const path = counterexamplePath(dir, meta.policies, meta.invariant, 'jsonl');
  const [first, ...events] = stream as [ReplayHeader, ...Stripe.Event[]];
  const header: ReplayHeader = {
    ...first,
    seed: meta.seed,
    command: reproducesInReplay ? replayCommand(path, meta.policies) : meta.verifyCommand,
    policies: meta.policies,
    invariant: meta.invariant,
    verifyCommand: meta.verifyCommand,
    reproducesInReplay,
    note: meta.note,
  };
  writeReplayFile(path, events, header);
  return path;
}

/** Writes the inputs of a function's counterexample as JSON (no stream: reproduced by the seed). */
export function writeInputsCounterexample(dir: string, meta: CounterexampleMeta, inputs: unknown): string {
  const path = counterexamplePath(dir, meta.policies, meta.invariant, 'json');
  writeFileAtomic(
    path,
    `${JSON.stringify({ object: 'billsim.counterexample', ...meta, command: meta.verifyCommand, inputs }, null, 2)}\n`,
  );
  return path;
}
