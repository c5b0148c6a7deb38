// GraphQL Code Generator for the example client: the documents in src/documents.ts typed against
// the repository's schema.graphql, written to src/generated/ as typed document strings (no GraphQL
// library needed at run time). `npm run codegen` in this folder; a server test fails when stale.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

// Paths from this folder, wherever the command runs.
const here = path.dirname(fileURLToPath(import.meta.url));
const fromHere = (file: string) => path.relative(process.cwd(), path.join(here, file)) || '.';

const config: CodegenConfig = {
  schema: fromHere('../../schema.graphql'),
  documents: [fromHere('src/documents.ts')],
  ignoreNoDocuments: false,
  generates: {
    [`${fromHere('src/generated')}/`]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        // Only the types the documents use: the output changes when they or what they read change.
        onlyOperationTypes: true,
        // Relative imports with .js, as Node's ES modules (and this repository's tsconfig) want.
        emitLegacyCommonJSImports: false,
        scalars: { DateTime: 'string', Decimal: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
