// @ts-check
/**
 * ESLint rule `billsim/workflow-sandbox`: Temporal workflow code runs in a
 * deterministic sandbox, so a workflow entry file and every module it imports
 * at run time (relative imports, followed transitively; `import type` is
 * erased and skipped) must not import Node built-ins or infrastructure
 * packages. Reported at the entry file's import that leads to the offender.
 */
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const NODE = new Set(builtinModules);
const FORBIDDEN_PACKAGES = [
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/testing',
  '@duckdb/',
  'stripe',
  'commander',
  'plotly.js',
];
const IMPORT_RE = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function forbiddenReason(spec) {
  if (spec.startsWith('node:') || NODE.has(spec) || NODE.has(spec.split('/')[0] ?? ''))
    return `Node built-in "${spec}"`;
  const pkg = FORBIDDEN_PACKAGES.find((p) => spec === p || spec.startsWith(p.endsWith('/') ? p : `${p}/`));
  return pkg === undefined ? null : `"${spec}" (not allowed in the workflow sandbox)`;
}

function resolveTs(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`])
    if (existsSync(candidate)) return candidate;
  return null;
}

function runtimeImports(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT_RE)].map((m) => m[1]);
}

/** The first forbidden import reachable from `file`, as a chain of files, or null. */
function findOffender(file, seen) {
  if (seen.has(file)) return null;
  seen.add(file);
  for (const spec of runtimeImports(file)) {
    const reason = forbiddenReason(spec);
    if (reason !== null) return { chain: [path.basename(file)], reason };
    if (!spec.startsWith('.')) continue;
    const next = resolveTs(file, spec);
    if (next === null) continue;
    const found = findOffender(next, seen);
    if (found !== null) return { chain: [path.basename(file), ...found.chain], reason: found.reason };
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const workflowSandbox = {
  meta: {
    type: 'problem',
    docs: { description: 'keep Node built-ins out of Temporal workflow code and what it imports' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const check = (node) => {
      if (node.importKind === 'type' || node.exportKind === 'type' || node.source === null || node.source === undefined)
        return;
      const spec = String(node.source.value);
      const direct = forbiddenReason(spec);
      if (direct !== null) {
        context.report({
          node,
          message: `Workflow code must not import ${direct}: pass the world in through activities.`,
        });
        return;
      }
      if (!spec.startsWith('.')) return;
      const target = resolveTs(file, spec);
      const found = target === null ? null : findOffender(target, new Set([file]));
      if (found !== null) {
        context.report({
          node,
          message: `Workflow code imports ${found.reason} through ${found.chain.join(' -> ')}: workflow code runs in Temporal's sandbox.`,
        });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export const billsimPlugin = { rules: { 'workflow-sandbox': workflowSandbox } };
