/**
 * `billsim lifecycle render`: the lifecycle spec as a Graphviz drawing
 * (@viz-js/viz, Graphviz compiled to wasm: no system install).
 */
import { writeFileAtomic } from '../../lib/atomic-write.js';
import type { Command } from 'commander';
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import { InputError } from '../../lib/errors.js';
import type { Io } from '../../lib/io.js';
import { lifecycleSpec, lifecycleSpecPath } from './spec.js';

export function registerLifecycleCommands(program: Command, io: Io): void {
  const lifecycle = program.command('lifecycle').description('the recovery lifecycle spec (policies/lifecycle.yaml)');
  lifecycle
    .command('render')
    .description('draw the lifecycle as SVG (or DOT)')
    .option('-o, --output <file>', 'file to write', 'lifecycle.svg')
    .option('--format <format>', 'svg | dot', 'svg')
    .action(async (opts: { output: string; format: string }) => {
      if (opts.format !== 'svg' && opts.format !== 'dot')
        throw new InputError(`--format: "${opts.format}" is not svg or dot`);
      const dot = lifecycleDot(lifecycleSpec());
      const text = opts.format === 'dot' ? dot : await svgOf(dot);
      writeFileAtomic(opts.output, text);
      io.out(`wrote ${opts.output} from ${lifecycleSpecPath()}`);
    });
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The spec in Graphviz DOT: states as nodes, transitions as edges labelled by their guard. */
export function lifecycleDot(spec: LifecycleSpec): string {
  const nodes = Object.entries(spec.states).map(
    ([name, description]) =>
      `  ${quote(name)} [tooltip=${quote(description)}${name === spec.initial ? ', peripheries=2' : ''}];`,
  );
  const edges = spec.transitions.map(
    (t) =>
      `  ${quote(t.from)} -> ${quote(t.to)} [label=${quote(t.guard)}, tooltip=${quote(spec.guards[t.guard] ?? '')}];`,
  );
  return [
    'digraph lifecycle {',
    '  rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    ...nodes,
    ...edges,
    '}',
    '',
  ].join('\n');
}

/** Graphviz (compiled to wasm) loads only when a drawing is asked for. */
async function svgOf(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  return (await instance()).renderString(dot, { format: 'svg', engine: 'dot' });
}
