/**
 * Resolving `--policies`: a built-in set's name, or a policy file.
 */
import { BUILT_IN_SETS, type PolicySet } from '../../../policies/sets.js';
import { InputError } from '../../lib/errors.js';

export type PolicyFileLoader = (path: string) => Promise<PolicySet>;

let fileLoader: PolicyFileLoader | null = null;

/** The policy-file format registers its loader here. */
export function setPolicyFileLoader(loader: PolicyFileLoader): void {
  fileLoader = loader;
}

/** A built-in set's name or a policy file; an unknown name is bad input naming `flag`. */
export async function resolvePolicies(spec: string, flag = '--policies'): Promise<PolicySet> {
  const builtIn = BUILT_IN_SETS[spec];
  if (builtIn !== undefined) return builtIn();
  if (fileLoader === null || !/\.(ya?ml|json)$/.test(spec)) {
    throw new InputError(`${flag}: unknown policy set "${spec}" (built-in: ${Object.keys(BUILT_IN_SETS).join(', ')}; or a .yaml policy file)`);
  }
  return fileLoader(spec);
}

/** A comma-separated list of policy sets (`compare --policies a,b`, `roadmap --sets`): each a built-in set or a policy file. */
export async function resolvePolicyList(flag: string, spec: string, min: number): Promise<PolicySet[]> {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length < min) throw new InputError(`${flag}: "${spec}" names ${names.length} policy set(s); give at least ${min}, comma-separated`);
  const sets: PolicySet[] = [];
  for (const name of names) sets.push(await resolvePolicies(name, flag));
  return sets;
}

/** `--policies` help: the built-in sets by name, or a file. */
export const POLICY_SET_HELP = `${Object.keys(BUILT_IN_SETS).join(' | ')} | a policy YAML file`;
