// ESLint flat config. typescript-eslint's `recommended` set without type information keeps lint fast;
// type errors are the typechecker's job (`npm run typecheck`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/generated/**',
      '**/dist/',
      '**/build/',
      '.data/',
      'coverage/',
      '**/coverage/',
      '.turbo/',
      '**/.turbo/',
      '**/*.d.ts',
      'web/app/gql/',
      'web/build/',
      'web/.cache/',
      'e2e/artifacts/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        AbortController: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        Request: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The web app logs through its structured logger (web/app/lib/log.server.ts).
    files: ['web/app/**/*.{ts,tsx}'],
    rules: { 'no-console': 'error' },
  },
  {
    // The server logs through its structured logger; console output is for command-line entry points only
    // (scripts/, server/scripts/ and server/bench/ are outside this block and may use the console).
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/**/*-cli.ts', 'server/src/db/cli.ts', 'server/src/dev/start.ts'],
    rules: { 'no-console': 'error' },
  },
);
