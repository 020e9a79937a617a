// One lint config for the whole repo: typescript-eslint's recommended, type-aware rules.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

// The parts of src/ (one folder each). A part's `internal/` folder is its own: only files
// inside that part may import it. src/internal/ is the shared lowest layer, open to all.
const PARTS = readdirSync(join(import.meta.dirname, 'src'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'internal')
  .map((entry) => entry.name);

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
    files: ['src/**/*.ts', 'src/**/*.cts'],
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
    // Layering the linter keeps: no import cycle (type imports included: a cycle of types is
    // still two files that cannot be read apart), no reach into another part's internal/,
    // and files small enough to read (split one as it passes 300 lines).
    files: ['src/**/*.ts', 'src/**/*.cts'],
    plugins: { 'import-x': importX },
    settings: {
      // The plugin's TypeScript settings: without its parser for .ts files it cannot read the
      // files an import leads to, and a cycle through them goes unseen.
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: PARTS.map((part) => ({
            target: `./src/!(${part})/**/*`,
            // Its nested internal/ folders too (manager/stores/internal/).
            from: [`./src/${part}/internal/**`, `./src/${part}/**/internal/**`],
            message: `${part}/internal/ is private to src/${part}: import what ${part} exports, or move the shared piece down to src/internal/.`,
          })).concat({
            target: './src/*.ts',
            from: PARTS.flatMap((part) => [
              `./src/${part}/internal/**`,
              `./src/${part}/**/internal/**`,
            ]),
            message:
              "a part's internal/ is private to it: move the shared piece down to src/internal/.",
          }),
        },
      ],
      'max-lines': ['error', { max: 300 }],
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
