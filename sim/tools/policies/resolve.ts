/**
 * Resolving `--policies`: a built-in set's name, or a policy file. Either way
 * the answer is the set and its policy document (the data a worker thread, a
 * sweep point or a Temporal activity rebuilds the same set from).
 */
import type { PolicyDocument } from '../../../policies/document.js';
import { BUILT_IN_DOCUMENTS, BUILT_IN_SETS, type PolicySet } from '../../../policies/sets.js';
import { InputError } from '../../lib/errors.js';
import { loadPolicySetFrom, parsePolicyDocument, readPolicyText, type Source } from './load.js';

export interface ResolvedPolicy {
  readonly set: PolicySet;
  readonly document: PolicyDocument;
}

const POLICY_FILE = /\.(ya?ml|json)$/;

/** A built-in set's name or a policy file; an unknown name is bad input naming `flag`. */
export async function resolvePolicy(spec: string, flag = '--policies'): Promise<ResolvedPolicy> {
  const { document, source } = documentAndSource(spec, flag);
  return { set: source === null ? BUILT_IN_SETS[spec]!() : await loadPolicySetFrom(document, source), document };
}

/** The document `--policies` names, read and checked but not built (no module is imported). */
export function resolvePolicyDocument(spec: string, flag = '--policies'): PolicyDocument {
  return documentAndSource(spec, flag).document;
}

function documentAndSource(spec: string, flag: string): { document: PolicyDocument; source: Source | null } {
  const builtIn = BUILT_IN_DOCUMENTS[spec];
  if (builtIn !== undefined) return { document: builtIn, source: null };
  if (!POLICY_FILE.test(spec)) {
    throw new InputError(
      `${flag}: unknown policy set "${spec}" (built-in: ${Object.keys(BUILT_IN_SETS).join(', ')}; or a .yaml policy file)`,
    );
  }
  return parsePolicyDocument(readPolicyText(spec), spec);
}

export async function resolvePolicies(spec: string, flag = '--policies'): Promise<PolicySet> {
  return (await resolvePolicy(spec, flag)).set;
}

/** A comma-separated list of policy sets (`compare --policies a,b`, `roadmap --sets`): each a built-in set or a policy file. */
export async function resolvePolicyList(flag: string, spec: string, min: number): Promise<PolicySet[]> {
  const names = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length < min)
    throw new InputError(
      `${flag}: "${spec}" names ${names.length} policy set(s); give at least ${min}, comma-separated`,
    );
  const sets: PolicySet[] = [];
  for (const name of names) sets.push(await resolvePolicies(name, flag));
  return sets;
}

/** `--policies` help: the built-in sets by name, or a file. */
export const POLICY_SET_HELP = `${Object.keys(BUILT_IN_SETS).join(' | ')} | a policy YAML file`;
