import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../sim/cli/main.js';
import { EXAMPLES, commandPath, leafCommands } from '../../sim/cli/examples.js';

const program = buildProgram({ out: () => undefined, err: () => undefined });
const leaves = leafCommands(program);

describe('every command has examples in its --help', () => {
  it('each command has at least one example, and no example names a command that does not exist', () => {
    const paths = leaves.map(commandPath);
    expect(paths.filter((p) => (EXAMPLES[p] ?? []).length === 0)).toEqual([]);
    expect(Object.keys(EXAMPLES).filter((p) => !paths.includes(p))).toEqual([]);
  });

  it.each(leaves.map((c) => [commandPath(c), c] as const))(
    '%s: its examples use only its own flags',
    (path, command) => {
      const known = new Set(
        command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)),
      );
      for (const example of EXAMPLES[path]!) {
        expect(example.startsWith(`billsim ${path}`)).toBe(true);
        const flags = example.split(/\s+/).filter((t) => t.startsWith('-'));
        expect(flags.filter((f) => !known.has(f))).toEqual([]);
      }
      expect(command.helpInformation() + helpAfter(command)).toContain('Examples:');
    },
  );
});

/** The text commander prints after the options (addHelpText 'after'), captured from outputHelp. */
function helpAfter(command: (typeof leaves)[number]): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s) });
  command.outputHelp();
  return text;
}
