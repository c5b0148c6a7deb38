// Issue #2, part 10: every Query and Mutation field declares its auth rule, and the checked-in
// schema.graphql is the one the code prints.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLField, GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, schema } from '#src/graphql/schema.js';

const KNOWN_SCOPES = ['public', 'signedIn', 'sessionCredential', 'admin'];

/** Where Pothos keeps a field's options: the authScopes of `t.field({ authScopes })` land here. */
function authScopesOf(field: GraphQLField<unknown, unknown>): unknown {
  const options = field.extensions?.pothosOptions as { authScopes?: unknown } | undefined;
  return options?.authScopes;
}

function rootFields(type: GraphQLObjectType | null | undefined) {
  return Object.values(type?.getFields() ?? {}).map((field) => ({ name: `${type!.name}.${field.name}`, field }));
}

const fields = [...rootFields(schema.getQueryType()), ...rootFields(schema.getMutationType())];

describe('auth rules', () => {
  it('are read from where Pothos keeps them (checked on fields whose rule is known)', () => {
    const byName = new Map(fields.map(({ name, field }) => [name, field]));
    expect(authScopesOf(byName.get('Query.viewer')!)).toEqual({ signedIn: true });
    expect(authScopesOf(byName.get('Mutation.createListing')!)).toEqual({ signedIn: true });
    expect(authScopesOf(byName.get('Query.node')!)).toEqual({ signedIn: true });
  });

  it('walks a schema that has both root types with fields', () => {
    expect(fields.filter(({ name }) => name.startsWith('Query.')).length).toBeGreaterThan(0);
    expect(fields.filter(({ name }) => name.startsWith('Mutation.')).length).toBeGreaterThan(0);
  });

  it('are declared by every Query and Mutation field', () => {
    const missing = fields.filter(({ field }) => authScopesOf(field) === undefined).map(({ name }) => name);
    expect(missing, `fields without authScopes: ${missing.join(', ')}`).toEqual([]);
  });

  it('name only known scopes, and a rule that lets anyone in says so explicitly ({ public: true })', () => {
    const offending = fields
      .filter(({ field }) => {
        const scopes = authScopesOf(field);
        // A function decides per request; it is declared, and the schema cannot judge it further.
        if (typeof scopes === 'function') return false;
        if (typeof scopes !== 'object' || scopes === null) return true;
        const names = Object.keys(scopes);
        return names.length === 0 || names.some((scope) => !KNOWN_SCOPES.includes(scope));
      })
      .map(({ name }) => `${name} ${JSON.stringify(authScopesOf(field(name)))}`);
    expect(offending, `fields with an empty or unknown scope: ${offending.join(', ')}`).toEqual([]);
  });
});

function field(name: string) {
  return fields.find((entry) => entry.name === name)!.field;
}

describe('schema.graphql', () => {
  it('is the schema the code prints (run `npm run schema:print` after changing the schema)', () => {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schema.graphql');
    const checkedIn = readFileSync(file, 'utf8');
    expect(checkedIn, 'schema.graphql is stale: run `npm run schema:print`').toBe(printedSchema());
  });
});
