// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { billsimPlugin } from './scripts/eslint/workflow-sandbox.js';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers',
  'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

/** Policies are the code under test: pure, importable by production, blind to the world. */
const purityRules = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['node:*'], message: 'policies/ must not import Node built-ins: pass the world in through a port.' },
      { group: ['**/sim/**', '**/reports/**', '**/scenarios/**', '**/test/**', '**/bench/**', '../sim*', '../reports*'],
        message: 'policies/ imports nothing from the rest of the project.' },
      { group: ['@temporalio/*', '@duckdb/*', 'plotly.js*', 'stripe'], message: 'policies/ must not depend on infrastructure.' },
    ],
    paths: nodeBuiltins.map((name) => ({ name, message: 'policies/ must not import Node built-ins.' })),
  }],
  'no-restricted-globals': ['error',
    { name: 'Date', message: 'policies/ gets time from its caller (nowMs).' },
    { name: 'setTimeout', message: 'policies/ has no timers: return the next wake time instead.' },
    { name: 'setInterval', message: 'policies/ has no timers.' },
    { name: 'process', message: 'policies/ must not read the process.' },
    { name: 'performance', message: 'policies/ gets time from its caller.' },
  ],
  'no-restricted-properties': ['error',
    { object: 'Math', property: 'random', message: 'policies/ draws no randomness: the world supplies outcomes.' },
  ],
};

/** Simulation code is deterministic: one seed reproduces a run. */
const determinismRules = {
  'no-restricted-properties': ['error',
    { object: 'Math', property: 'random', message: 'Use the seeded streams in sim/world/kernel/rng.ts.' },
    { object: 'Date', property: 'now', message: 'Use virtual time (nowMs) in the simulator.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'out/**', 'coverage/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['policies/**/*.ts'], rules: purityRules },
  { files: ['sim/world/**/*.ts'], rules: determinismRules },
  /** Temporal workflow code and everything it imports run in the deterministic sandbox. */
  { files: ['sim/hosts/temporal/workflows*.ts', 'sim/hosts/temporal/sweep-workflow.ts', 'test/hosts/temporal/fixtures/*workflow*.ts'],
    plugins: { billsim: billsimPlugin },
    rules: { 'billsim/workflow-sandbox': 'error' } },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
