// The lint rule of eslint.config.js that keeps $queryRawUnsafe and $executeRawUnsafe inside server/src/db/
// (ADR 0064): run through ESLint's own API on a snippet, as if it were a file outside and inside that folder.
// The snippets are plain JavaScript: the rule is syntactic, and a TypeScript path would load the type-aware
// project service (a minute and more); that TypeScript files get the same rule is read from the config.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

const SNIPPET = `
export const read = db.$queryRawUnsafe('SELECT 1');
export const write = db['$executeRawUnsafe']('SELECT 1');
export const { $queryRawUnsafe } = db;
`;

async function restricted(filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(SNIPPET, { filePath });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-properties')
    .map((message) => `${message.line}: ${message.message.split(' ')[0]}`);
}

const RULE = 'no-restricted-properties';

describe('no $queryRawUnsafe / $executeRawUnsafe outside server/src/db/', () => {
  it.each(['server/src/auth/probe.js', 'server/test/graphql/probe.js', 'server/scripts/probe.mjs', 'web/app/probe.js'])(
    'fires in %s, for a call, a computed access and a destructuring',
    async (filePath) => {
      expect(await restricted(filePath)).toEqual([
        "2: '$queryRawUnsafe'",
        "3: '$executeRawUnsafe'",
        "4: '$queryRawUnsafe'",
      ]);
    },
  );

  it('stays quiet in server/src/db/', async () => {
    expect(await restricted('server/src/db/probe.js')).toEqual([]);
  });

  it('applies to TypeScript files the same way, server/src/db/ excepted', async () => {
    for (const filePath of ['server/src/modules/listings/listing-queries.ts', 'web/app/root.tsx', 'e2e/x.spec.ts']) {
      const config = (await eslint.calculateConfigForFile(filePath)) as { rules: Record<string, unknown[]> };
      const [severity, ...options] = config.rules[RULE] ?? [];
      expect(severity, filePath).toBe(2);
      expect(options.map((option) => (option as { property: string }).property).sort(), filePath).toEqual([
        '$executeRawUnsafe',
        '$queryRawUnsafe',
      ]);
    }
    const db = (await eslint.calculateConfigForFile('server/src/db/rls.ts')) as { rules: Record<string, unknown> };
    expect(db.rules[RULE]).toBeUndefined();
  });
});
