// Lint enforces the architecture's dependency rule (ARCHITECTURE.md): each zone lists what it must not import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const zone = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group, message })) }],
  },
});

const nodeIo = ['node:*', 'fs', 'fs/*', 'child_process', 'net', 'http', 'https', 'os', 'path', 'crypto'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'test-results/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  // Nothing outside src/vscode and the in-host test suites may import 'vscode'.
  zone(['src/shared/**', 'webview/**'], ['vscode', 'ssh2', 'ssh-config', ...nodeIo, '**/core/**', '**/remote/**', '**/providers/**', '**/vscode/**'],
    'src/shared and webview import only zod and src/shared.'),
  zone(['src/core/**'], ['vscode', 'ssh2', 'ssh-config', ...nodeIo, '**/remote/**', '**/providers/**', '**/vscode/**', '**/webview/**'],
    'src/core is pure domain: only src/shared and zod.'),
  zone(['src/providers/**'], ['vscode', 'ssh2', ...nodeIo, '**/remote/**', '**/vscode/**', '**/webview/**'],
    'providers reach HTTP through a core port, never vscode or remote.'),
  zone(['src/remote/**'], ['vscode', '**/providers/**', '**/vscode/**', '**/webview/**'],
    'src/remote is a Node adapter layer: no vscode, providers or webview.'),
  zone(['test/rig/**', 'test/integration/**', 'test/unit/**', 'scripts/**'], ['vscode'],
    "'vscode' is imported only under src/vscode and test/vscode."),
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
