/**
 * `billsim init [dir]`: scaffolds a scenario, a policy file, gate thresholds
 * and a CI workflow. Every path is checked before anything is written, and
 * an existing file is never overwritten (bad input, exit 2, nothing written).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { checkWritableFile, writeFileAtomic } from '../../lib/atomic-write.js';
import { InputError } from '../../lib/errors.js';
import type { Io } from '../../lib/io.js';
import { schemaComment } from '../scenario/schema-comment.js';
import { TEMPLATES } from './templates.js';

export function registerInitCommand(program: Command, io: Io): void {
  program
    .command('init')
    .description('scaffold a scenario, a policy file, gate thresholds and a CI workflow (never overwrites a file)')
    .argument('[dir]', 'the project folder to write into', '.')
    .action((dir: string) => {
      const files = TEMPLATES.map((t) => ({ ...t, target: join(dir, t.path) }));
      for (const f of files) {
        if (existsSync(f.target))
          throw new InputError(`${f.target}: already exists; billsim init never overwrites a file`);
        checkWritableFile(f.target);
      }
      for (const f of files) {
        mkdirSync(dirname(f.target), { recursive: true });
        writeFileAtomic(f.target, (f.schema === null ? '' : schemaComment(f.schema, f.target)) + f.text);
        io.out(`wrote ${f.target}`);
      }
      io.out(
        `next: npx billsim gate ${join(dir, 'billsim/scenario.yaml')} --policies ${join(dir, 'billsim/policy.yaml')} --thresholds ${join(dir, 'billsim/gate-thresholds.yaml')}`,
      );
    });
}
