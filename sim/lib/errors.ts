/** Bad input from a user's file or flags: reported as one line, exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_LIVENESS = 3;
/** billsim itself failed (a bug or the machine, not the input or the policies): never confused with a failed check. */
export const EXIT_INTERNAL = 4;

/** What went wrong, in one line: the first non-blank line of an error's message, trimmed (a thrown non-Error as text). */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? 'error'
  );
}

/** An output path the user named that cannot be written: one line naming it and why (exit 2). */
export function cannotWrite(path: string, error: unknown): InputError {
  return new InputError(`${path}: cannot write the file (${reasonOf(error)})`);
}
