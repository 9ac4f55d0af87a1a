// One lint configuration for every workspace. `bun run lint` runs it, and the test command fails on its errors.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports a folder must not make: the boundaries the README describes, enforced. */
const forbid = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const webBoundaries = [
  { group: ['@chat/db', '@chat/db/*'], message: 'The web app talks to the server through @chat/shared contracts, never to the database.' },
  { regex: '(^|/)apps/server/|^@chat/server', message: 'The web app never imports server code.' },
];
const webFeatures = readdirSync(new URL('./apps/web/src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const typeScriptFiles = ['**/*.ts', '**/*.tsx'];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'packages/db/drizzle/**', 'bench/results/**', '**/*.d.ts', 'test-results/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: typeScriptFiles,
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['apps/server/vitest.config.ts', 'packages/db/drizzle.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits or voids is an error nobody sees.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // ---- boundaries ----
  {
    // The browser never reaches into the server or the database; it speaks the shared contracts only.
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: forbid(...webBoundaries),
  },
  // A feature reaches another only through its public entry (features/<name>/index.ts).
  {
    files: ['apps/web/src/{app,components,hooks,lib}/**/*.{ts,tsx}', 'apps/web/src/*.{ts,tsx}'],
    rules: forbid(...webBoundaries, { regex: '(^|/)features/[^/]+/.+', message: 'Import a feature through its index (features/<name>).' }),
  },
  ...webFeatures.map((feature) => ({
    files: [`apps/web/src/features/${feature}/**/*.{ts,tsx}`],
    rules: forbid(...webBoundaries, {
      regex: `^(\\.\\./)+(?!${feature}/)(${webFeatures.join('|')})/.+`,
      message: 'Import another feature through its index (features/<name>).',
    }),
  })),
  {
    // Infrastructure adapters know nothing of the product's modules; modules depend on them, never the reverse.
    files: ['apps/server/src/infra/**/*.ts', 'apps/server/src/common/**/*.ts'],
    rules: forbid({ regex: '(^|/)modules/', message: 'infra/ and common/ never import from modules/.' }),
  },
  {
    // Shared contracts run in the browser and the server alike: no server, database or framework code in them.
    files: ['packages/shared/src/**/*.ts'],
    rules: forbid({ group: ['@chat/db', '@nestjs/*', 'drizzle-orm', 'drizzle-orm/*', 'react', 'node:*'], message: '@chat/shared holds contracts only.' }),
  },
  {
    files: ['packages/db/src/**/*.ts'],
    rules: forbid({ regex: '(^|/)apps/', message: 'The database package knows nothing of the apps.' }),
  },
);
