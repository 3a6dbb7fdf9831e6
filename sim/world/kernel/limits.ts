/**
 * A run went past one of its scenario's `limits`. The scenario asked for more
 * than it allows, so this is bad input: named 'InputError', it reaches the
 * CLI (from a worker thread too, where only the name survives) as one line
 * naming the field, exit 2.
 */
export class LimitExceeded extends Error {
  override readonly name = 'InputError';

  constructor(
    readonly field: string,
    what: string,
  ) {
    super(`scenario ${field}: ${what}; raise ${field} in the scenario, or shrink the run`);
  }
}
