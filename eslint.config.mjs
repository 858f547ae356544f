// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox; so does the sandbox-safe part of shared/ that
// workflows import. Neither may reach Node built-ins, pino, the non-workflow Temporal packages, or shared/node.
const sandboxForbidden = {
  paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({
    name,
    message: 'Node built-ins are not available in the workflow sandbox.',
  })),
  patterns: [
    { group: ['pino', 'pino-*'], message: 'Workflows log with the SDK `log`; pino is Node-only.' },
    {
      group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'],
      message: 'Only @temporalio/workflow and @temporalio/common may be imported in sandboxed code.',
    },
    { group: ['**/shared/node', '**/shared/node/**'], message: 'shared/node is Node-only.' },
    {
      group: ['**/activities', '**/activities/**'],
      message: 'Import activity types with `import type` only.',
      allowTypeImports: true,
    },
    { group: ['fastify', 'fastify-*', '@fastify/*'], message: 'HTTP code is Node-only.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.tools/',
      '.data/',
      'test-results/',
      'bench-results/',
      'test/fixtures/bundles/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Activities are async by contract even when their body needs no await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'shared/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sandboxForbidden] },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A rejection or throw asserted without a matcher passes on any error, including the wrong one.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[arguments.length<2][callee.type='MemberExpression'][callee.object.name='assert'][callee.property.name=/^(rejects|throws)$/]",
          message:
            'Give assert.rejects / assert.throws a matcher: the error class, code or message it must be.',
        },
      ],
    },
  },
  { files: ['**/*.mjs', '**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
);
