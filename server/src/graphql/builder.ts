// The Pothos schema builder. Scope auth is listed first so its checks run before anything else;
// every Query and Mutation field must declare authScopes (test/graphql/schema.test.ts).
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ZodPlugin from '@pothos/plugin-zod';
import type { PrismaClient } from '#src/generated/prisma/client.js';
import type PrismaTypes from '#src/generated/pothos-types.js';
import { getDatamodel } from '#src/generated/pothos-types.js';
import type { Context } from './context.js';
import { badUserInput, forbidden, unauthenticated } from './errors.js';
import { resolveNodesBatched } from './nodes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our ids are UUIDs: anything else is the client's mistake, refused before it reaches SQL. */
function decodeUuidGlobalID(globalID: string): { typename: string; id: string } {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalID);
  } catch {
    throw badUserInput('Invalid ID');
  }
  if (!UUID.test(decoded.id)) throw badUserInput('Invalid ID');
  return decoded;
}

export interface AuthScopes {
  /** Anyone, signed in or not: must be chosen explicitly. */
  public: boolean;
  signedIn: boolean;
  /**
   * Signed in with a session token, not a personal API key: for what a leaked key must not do
   * (manage keys, the profile, preferences or sessions). A key request gets FORBIDDEN.
   */
  sessionCredential: boolean;
  /** An admin signed in with a session token (an admin's API key acts as a plain user). */
  admin: boolean;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: { toFixed(digits: number): string } | string | number };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ZodPlugin],
  scopeAuth: {
    authScopes: (ctx) => ({
      public: true,
      signedIn: ctx.viewer !== null,
      sessionCredential: ctx.viewer?.credential.kind === 'session',
      admin: ctx.viewer?.role === 'ADMIN' && ctx.viewer.credential.kind === 'session',
    }),
    // Anonymous → UNAUTHENTICATED (HTTP 401); signed in but not allowed → FORBIDDEN.
    unauthorizedError: (_parent, ctx) => (ctx.viewer ? forbidden() : unauthenticated()),
  },
  prisma: {
    // The viewer's RLS client: resolvers never see an unwrapped client.
    client: (ctx) => ctx.db as unknown as PrismaClient,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    decodeGlobalID: decodeUuidGlobalID,
    nodeQueryOptions: { authScopes: { signedIn: true } },
    nodesQueryOptions: {
      authScopes: { signedIn: true },
      resolve: (_root, args, ctx, info) => resolveNodesBatched(args.ids, ctx, info),
    },
  },
  zod: {
    validationError: (error) =>
      badUserInput(
        error.issues[0]?.message ?? 'Invalid input',
        error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      ),
  },
});
