// The typed documents in web/app/gql/ are generated from schema.graphql and the graphql(`…`) calls in
// web/app. This fails when either changed without `npm run codegen`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen';

describe('generated GraphQL types', () => {
  it('are up to date with schema.graphql and the documents (run `npm run codegen` if not)', async () => {
    const outputs = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const onDisk = await readFile(path.resolve(output.filename), 'utf8').catch(() => '(missing)');
      expect(onDisk, `${output.filename} is stale: run npm run codegen`).toBe(output.content);
    }
  }, 60_000);
});
