/**
 * A policy file as a sweep document: its own YAML fields as data (so a sweep
 * can vary any field the file sets, e.g. retry.retriesMax), rebuilt through
 * the policy-file loader in each worker.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { parsePolicyText } from '../policies/load.js';
import { parseYaml } from '../scenario/load.js';
import { InputError } from '../../lib/errors.js';
import { factoryDocument, registerDocumentBuilder, type PolicyDocument } from './document.js';

export const POLICY_FILE_FORMAT = 'policy-file';

/** The sweep document for `--policies`: a policy file's own fields, or a built-in set's factory configs. */
export function documentFor(spec: string): PolicyDocument {
  return /\.ya?ml$/.test(spec) ? policyFileDocument(spec) : factoryDocument(spec);
}

export function policyFileDocument(path: string): PolicyDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the policy file`);
  }
  const { value } = parseYaml(text, path, 'policy');
  const body = value as Record<string, unknown>;
  return { format: POLICY_FILE_FORMAT, name: String(body['name'] ?? path), body: { ...body, source: resolve(path) } };
}

registerDocumentBuilder(POLICY_FILE_FORMAT, async (document) => {
  const { source, ...fields } = document.body as Record<string, unknown> & { source: string };
  return { ...(await parsePolicyText(stringify(fields), source)), name: document.name };
});
