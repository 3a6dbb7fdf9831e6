import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../sim/cli/main.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, InputError } from '../../sim/lib/errors.js';

function collect(): { lines: string[]; io: { out: (t: string) => void; err: (t: string) => void } } {
  const lines: string[] = [];
  return { lines, io: { out: (t) => lines.push(t), err: (t) => lines.push(t) } };
}

describe('exit codes tell a crash from a failed check and from bad input', () => {
  it('a bug (any error that is not bad input) exits 4 with one line saying it is internal', () => {
    const { lines, io } = collect();
    expect(exitCodeFor(new TypeError("Cannot read properties of undefined (reading 'x')"), io)).toBe(EXIT_INTERNAL);
    expect(EXIT_INTERNAL).toBe(4);
    expect(lines).toEqual([
      "billsim: internal error: Cannot read properties of undefined (reading 'x') (BILLSIM_DEBUG=1 prints the stack trace)",
    ]);
  });

  it('bad input exits 2 with its one line', () => {
    const { lines, io } = collect();
    expect(exitCodeFor(new InputError('s.yaml:3: days: must be a positive integer'), io)).toBe(EXIT_BAD_INPUT);
    expect(lines).toEqual(['billsim: s.yaml:3: days: must be a positive integer']);
  });
});
