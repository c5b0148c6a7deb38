// ESLint flat config: typescript-eslint's `recommended` set everywhere, plus a few type-aware rules for
// promise handling on TypeScript files (floating promises are easy to miss in this very asynchronous
// code). Type information comes from each workspace's own tsconfig.json through the project service;
// all other type errors are the typechecker's job (`npm run typecheck`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/generated/**', // Prisma client and Pothos types (server/src/generated)
      '**/dist/', // server/tsconfig.build.json's and packages/shared's output
      'server/dist-test-*/', // the production build test's own build
      'server/dist-bench/', // the peer bench's build of our server (server/bench/peer/children.ts)
      '**/build/', // Remix build (web/build)
      '**/coverage/',
      '**/.turbo/',
      '.data/', // embedded PostgreSQL data
      '**/*.d.ts', // ambient declaration shims, no logic
      'web/app/gql/', // GraphQL Code Generator output
      'e2e/artifacts/', // Playwright output
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
    // Type-aware rules, TypeScript only: every .ts/.tsx file must belong to its workspace's tsconfig.json
    // (server, web, e2e, packages/shared). codegen.ts sits at the root, outside every workspace, and is
    // checked against the base compiler options instead. The .js/.mjs files stay untyped.
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['codegen.ts', 'scripts/*.d.mts'],
          defaultProject: 'tsconfig.base.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits loses its rejection: await it, `.catch` it, or mark a deliberate
      // fire-and-forget with `void` and a comment saying why.
      '@typescript-eslint/no-floating-promises': 'error',
      // Kept at its strictest, JSX attributes included (no `checksVoidReturn: { attributes: false }`):
      // React ignores what an event handler returns, so an async handler's rejection would reach no
      // error boundary. The web app does its async work in Remix loaders, actions and fetchers instead.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // String(x) of an object prints "[object Object]"; of a FormData entry, possibly a File.
      '@typescript-eslint/no-base-to-string': 'error',
    },
  },
  {
    // The web app logs through its structured logger (web/app/lib/log.server.ts).
    files: ['web/app/**/*.{ts,tsx}'],
    rules: { 'no-console': 'error' },
  },
  {
    // The server logs through its structured logger; console output is for command-line entry points only
    // (the *-cli.ts files and db/cli.ts here; scripts/, server/scripts/ and server/bench/ are outside this
    // block and may use the console).
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/**/*-cli.ts', 'server/src/db/cli.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Raw SQL from a string is the database layer's alone (server/src/db/: the RLS context statement). Everywhere
    // else a value reaches SQL only as a parameter of a tagged template ($queryRaw`…`, $executeRaw`…`) or of a
    // pg query config (ADR 0033, ADR 0064). The RLS client's own test calls them to prove they are wrapped too.
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ignores: ['server/src/db/**', 'server/test/db/rls-client.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['$queryRawUnsafe', '$executeRawUnsafe'].map((property) => ({
          property,
          message: `${property} is allowed only in server/src/db/: use the tagged template ($queryRaw\`…\`) so values stay parameters.`,
        })),
      ],
    },
  },
);
