// One lint config for the whole repo: typescript-eslint's recommended, type-aware rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-check/', 'node_modules/', 'coverage/', 'docs/api/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // Type-aware rules where a dropped promise costs most: a rejection nobody awaits is an
    // unhandled rejection (a crash on Node) and a lost error. Only src/, through the
    // TypeScript project service, so `npm run lint` stays quick.
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    // Build scripts and examples are plain Node.js modules.
    files: ['scripts/**/*.mjs', 'examples/**/*.mjs'],
    ignores: ['examples/cloudflare-worker/**'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', fetch: 'readonly' },
    },
  },
  {
    // The Worker example runs on workerd: web globals, and no Node ones.
    files: ['examples/cloudflare-worker/**/*.mjs'],
    languageOptions: {
      globals: { fetch: 'readonly', Response: 'readonly', Request: 'readonly' },
    },
  },
);
