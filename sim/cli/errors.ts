/** Bad input from a user's file or flags: reported as one line, exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_LIVENESS = 3;
