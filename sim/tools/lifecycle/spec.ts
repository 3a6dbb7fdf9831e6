/**
 * Loading the lifecycle spec (policies/lifecycle.yaml): YAML → zod, checked
 * against the engine's states, so the spec cannot drift from the code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LIFECYCLE_STATES, transitionKey, type LifecycleSpec } from '../../../policies/lifecycle.js';
import { parseYaml, zodInputError } from '../../lib/yaml.js';

const stateEnum = z.enum(LIFECYCLE_STATES);

export const lifecycleSpecSchema = z
  .object({
    initial: stateEnum,
    /** Every state of policies/lifecycle.ts, no other. */
    states: z.record(stateEnum, z.string().min(1)),
    guards: z.record(z.string().regex(/^[a-z_]+$/), z.string().min(1)),
    transitions: z.array(z.object({ from: stateEnum, to: stateEnum, guard: z.string() }).strict()).min(1),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.transitions.forEach((t, k) => {
      if (spec.guards[t.guard] === undefined)
        ctx.addIssue({ code: 'custom', path: ['transitions', k, 'guard'], message: `unknown guard ${t.guard}` });
      if (t.from === t.to)
        ctx.addIssue({ code: 'custom', path: ['transitions', k, 'to'], message: 'a transition goes to another state' });
      const key = transitionKey(t.from, t.to);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['transitions', k], message: `${key} is listed twice` });
      seen.add(key);
    });
  });

/** policies/lifecycle.yaml, found from this module whether it runs from source or from dist/. */
export function lifecycleSpecPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++) {
    const candidate = join(dir, 'policies', 'lifecycle.yaml');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('policies/lifecycle.yaml not found above sim/tools/lifecycle');
}

export function parseLifecycleSpec(text: string, path: string): LifecycleSpec {
  const { value, lineOf } = parseYaml(text, path, 'lifecycle spec');
  const parsed = lifecycleSpecSchema.safeParse(value);
  if (!parsed.success) throw zodInputError(parsed.error, path, lineOf);
  return parsed.data;
}

let cached: LifecycleSpec | null = null;

export function lifecycleSpec(): LifecycleSpec {
  if (cached === null) {
    const path = lifecycleSpecPath();
    cached = parseLifecycleSpec(readFileSync(path, 'utf8'), path);
  }
  return cached;
}
