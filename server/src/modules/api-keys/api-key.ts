// Personal API keys as the API shows them: the key's public facts, never its hash or secret. The
// viewer's keys are User.apiKeys; a key is also a node (node(id:)), readable by its owner (RLS).
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { loadOnlyOwnNodes } from '#src/graphql/nodes.js';
import type { ApiKeyScope } from '#src/auth/viewer.js';

export const ApiKeyScopeEnum = builder.enumType('ApiKeyScope', {
  description: 'What a personal API key may do: READ runs queries; WRITE also runs mutations.',
  values: {
    READ: { description: 'Queries only: every mutation is refused (FORBIDDEN).' },
    WRITE: { description: 'Queries and mutations.' },
  } as const,
});

const isScope = (value: string): value is ApiKeyScope => value === 'READ' || value === 'WRITE';

// Only its owner reads a key by id, admins included: a key is personal (RLS lets app_admin read all rows).
loadOnlyOwnNodes('ApiKey', 'ownerId');

export const ApiKeyNode = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  // A key hidden by RLS, someone else's, or missing is null, like any unknown id.
  nullable: true,
  findUnique: (id, ctx) => ({ id, ownerId: signedIn(ctx).viewer.userId }),
  description:
    'A personal API key: `Authorization: Bearer <secret>` on /graphql acts as its owner. The secret is shown once, ' +
    'when the key is created; only its hash is stored.',
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', {
      description: 'The public start of the secret (dbk_ and 8 characters): how to recognise the key.',
    }),
    scopes: t.field({
      type: [ApiKeyScopeEnum],
      select: { scopes: true },
      resolve: (key) => key.scopes.filter(isScope),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Recorded at most once a minute per key, across all server instances, so it may lag by that much.',
    }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.prismaObjectField('User', 'apiKeys', (t) =>
  t.relatedConnection(
    'apiKeys',
    {
      cursor: 'id',
      description:
        "The viewer's own keys, newest first, revoked and expired ones included. Empty on anyone else's user.",
      defaultSize: 20,
      maxSize: 100,
      totalCount: true,
      // The viewer's own: an admin reading another user's row sees none of their keys here.
      query: (_args, ctx) => ({
        where: { ownerId: signedIn(ctx).viewer.userId },
        orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
      }),
    },
    { name: 'ApiKeyConnection' },
    { name: 'ApiKeyEdge' },
  ),
);
