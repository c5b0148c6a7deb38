// GraphQL Code Generator: the web app's documents (graphql(`…`) calls in web/app) typed against the
// checked-in schema.graphql. `npm run codegen` writes web/app/gql/; a web test fails when it is stale.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

// Paths from the repository root, wherever the command runs (root or web/).
const root = path.dirname(fileURLToPath(import.meta.url));
const fromRoot = (file: string) => path.relative(process.cwd(), path.join(root, file)) || '.';

const config: CodegenConfig = {
  schema: fromRoot('schema.graphql'),
  documents: [`${fromRoot('web/app')}/**/*.{ts,tsx}`, `!${fromRoot('web/app/gql')}/**`],
  ignoreNoDocuments: false,
  generates: {
    [`${fromRoot('web/app/gql')}/`]: {
      preset: 'client',
      presetConfig: {
        // No fragment masking: loaders hand plain, fully typed data to the page.
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          Decimal: 'string',
          JSON: 'unknown',
        },
      },
    },
  },
};

export default config;
