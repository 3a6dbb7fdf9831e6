// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { billsimPlugin } from './scripts/eslint/workflow-sandbox.js';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/** Policies are the code under test: pure, importable by production, blind to the world. */
const purityRules = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['node:*'], message: 'policies/ must not import Node built-ins: pass the world in through a port.' },
        {
          group: [
            '**/sim/**',
            '**/reports/**',
            '**/scenarios/**',
            '**/test/**',
            '**/bench/**',
            '../sim*',
            '../reports*',
          ],
          message: 'policies/ imports nothing from the rest of the project.',
        },
        {
          group: ['@temporalio/*', '@duckdb/*', 'plotly.js*', 'stripe'],
          message: 'policies/ must not depend on infrastructure.',
        },
      ],
      paths: nodeBuiltins.map((name) => ({ name, message: 'policies/ must not import Node built-ins.' })),
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'Date', message: 'policies/ gets time from its caller (nowMs).' },
    { name: 'setTimeout', message: 'policies/ has no timers: return the next wake time instead.' },
    { name: 'setInterval', message: 'policies/ has no timers.' },
    { name: 'process', message: 'policies/ must not read the process.' },
    { name: 'performance', message: 'policies/ gets time from its caller.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'policies/ draws no randomness: the world supplies outcomes.' },
  ],
};

/**
 * The layers of the house (README, "Layout"): each imports only its own and lower ones.
 * `patterns` are gitignore-style globs matched against the import specifier.
 */
const LAYER_IMPORTS = {
  cli: { group: ['**/cli/**'], message: 'only bin/ imports the CLI (sim/cli composes the commands).' },
  tools: { group: ['**/tools/**'], message: 'the tools are built on this layer: import downward only.' },
  hosts: { group: ['**/hosts/**'], message: 'the hosts are built on this layer: import downward only.' },
  reports: { group: ['**/reports/**'], message: 'reports/ is built on this layer: import downward only.' },
  world: { group: ['**/world/**'], message: 'sim/lib is below the world: it imports nothing of the project.' },
  policies: { group: ['**/policies/**'], message: 'sim/lib is below everything: it imports nothing of the project.' },
};

function layerRule(...forbidden) {
  return { 'no-restricted-imports': ['error', { patterns: forbidden.map((k) => LAYER_IMPORTS[k]) }] };
}

/** The world does no I/O of its own: files, processes and threads are the tools' (the lifecycle spec is passed in). */
const worldIo = ['fs', 'fs/promises', 'child_process', 'worker_threads', 'net', 'http', 'https'].flatMap((name) => [
  { name, message: 'the world reads no file and starts nothing: the tool running it passes what it needs.' },
  {
    name: `node:${name}`,
    message: 'the world reads no file and starts nothing: the tool running it passes what it needs.',
  },
]);

/** Simulation code is deterministic: one seed reproduces a run. */
const determinismRules = {
  'no-restricted-properties': [
    'error',
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
  /** A test file's describe() groups its cases: its length is the number of cases, not a function's. */
  { files: ['test/**/*.ts'], rules: { 'max-lines-per-function': 'off' } },
  { files: ['policies/**/*.ts'], rules: purityRules },
  {
    files: ['sim/world/**/*.ts'],
    rules: {
      ...determinismRules,
      'no-restricted-imports': [
        'error',
        { patterns: ['cli', 'tools', 'hosts', 'reports'].map((k) => LAYER_IMPORTS[k]), paths: worldIo },
      ],
    },
  },
  { files: ['sim/lib/**/*.ts'], rules: layerRule('cli', 'tools', 'hosts', 'reports', 'world', 'policies') },
  { files: ['reports/**/*.ts'], rules: layerRule('cli', 'tools', 'hosts') },
  { files: ['sim/hosts/**/*.ts'], rules: layerRule('cli', 'tools') },
  { files: ['sim/tools/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'], rules: layerRule('cli') },
  /** Temporal workflow code and everything it imports run in the deterministic sandbox. */
  {
    files: [
      'sim/hosts/temporal/workflows*.ts',
      'sim/hosts/temporal/sweep-workflow.ts',
      'test/hosts/temporal/fixtures/*workflow*.ts',
    ],
    plugins: { billsim: billsimPlugin },
    rules: { 'billsim/workflow-sandbox': 'error' },
  },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
