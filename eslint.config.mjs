import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', '**/*.vsix', '.stryker-tmp/**', 'test/.out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Plain CommonJS scripts (the integration-test harness runs them in Node and in the extension host).
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/e2e/suite/**/*.test.js'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The core is shared by the CLI, the language server and other hosts: pure, synchronous or
    // promise-based over interfaces. No editor or protocol code ("only the LSP layer knows LSP"),
    // and no I/O: the network and the OS live in remote/, which the hosts give the core.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['dns', 'node:dns', 'dns/promises', 'node:dns/promises', 'http', 'node:http', 'https', 'node:https', 'net', 'node:net', 'http2', 'node:http2', 'tls', 'node:tls', 'dgram', 'node:dgram', 'child_process', 'node:child_process', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'undici', 'axios', 'node-fetch', '@kubernetes/client-node', 'ws'],
          patterns: ['vscode', 'vscode-*', '**/server/*', '**/client/*', '**/cli/*', '**/remote/*', '**/protocol/*'],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Network access lives in remote/, not in the core.' }],
    },
  },
  {
    // The protocol is shared by the client's UI bundle and the server: plain types, nothing else.
    files: ['protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/core/*', '**/server/*', '**/client/*', 'vscode*'] }] },
  },
  {
    // The client is UI only: it asks the server through protocol/, and knows no dtab rules.
    files: ['client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/core/*', '**/server/*', '**/remote/*', '**/cli/*'] }] },
  },
);
