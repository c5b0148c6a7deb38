// Creating and revoking personal API keys: the viewer's own, with a session token only (the
// sessionCredential scope: a leaked key must not mint more keys or revoke its owner's). Each change
// and its audit event commit together.
import { Prisma } from '#src/generated/prisma/client.js';
import { recordAuditEvents } from '#src/audit/audit-events.js';
import { auditSource } from '#src/audit/audit-source.js';
import { generateApiKey } from '#src/auth/api-key.js';
import type { Tx } from '#src/db/rls.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { badUserInput, notFound } from '#src/graphql/errors.js';
import {
  CreateApiKeyInput,
  RevokeApiKeyInput,
  createApiKeySchema,
  createApiKeyValues,
  revokeApiKeySchema,
} from './api-key-input.js';
import { readTenantSettings } from '#src/modules/tenant-settings/tenant-settings.js';

/** Any fixed number: it keeps these advisory locks apart from anyone else's. */
const LOCK_SPACE = 0x6b657973; // "keys"
/** A new prefix has 40 random bits; a collision with an existing one is retried this often. */
const PREFIX_ATTEMPTS = 3;

interface KeyChange {
  apiKeyId: string;
}

/** The key a change touched, with what the payload selects: the viewer's own, read after commit. */
async function changedKey(
  query: { include?: Prisma.ApiKeyInclude; select?: Prisma.ApiKeySelect },
  { apiKeyId }: KeyChange,
  ctx: Context,
) {
  const { db, viewer } = signedIn(ctx);
  const key = await db.apiKey.findFirst({ ...query, where: { id: apiKeyId, ownerId: viewer.userId } });
  if (!key) throw notFound('API key');
  return key;
}

const CreateApiKeyPayload = builder.objectRef<KeyChange & { secret: string }>('CreateApiKeyPayload').implement({
  fields: (t) => ({
    apiKey: t.prismaField({ type: 'ApiKey', resolve: (query, parent, _args, ctx) => changedKey(query, parent, ctx) }),
    secret: t.exposeString('secret', {
      description: 'The key itself, `dbk_…`. Shown once; never stored or readable again.',
    }),
  }),
});

const RevokeApiKeyPayload = builder.objectRef<KeyChange>('RevokeApiKeyPayload').implement({
  fields: (t) => ({
    apiKey: t.prismaField({ type: 'ApiKey', resolve: (query, parent, _args, ctx) => changedKey(query, parent, ctx) }),
  }),
});

/**
 * Serialises key creation per owner until the transaction ends, so two concurrent creates cannot
 * both pass the cap.
 */
async function lockOwnersKeys(tx: Tx, ownerId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_SPACE}::int, hashtext(${ownerId}))`;
}

/** The tenant's maxApiKeysPerUser, read in the same transaction as the count. */
async function checkCap(tx: Tx, ownerId: string, now: Date): Promise<void> {
  const { maxApiKeysPerUser: max } = await readTenantSettings(tx);
  const live = await tx.apiKey.count({
    where: { ownerId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
  });
  if (live >= max) {
    throw badUserInput(`You can have at most ${max} active API keys: revoke one first`);
  }
}

const isPrefixCollision = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description:
      'A new personal API key. Its secret is in this answer only. Refused (FORBIDDEN) when the request itself ' +
      'uses an API key.',
    authScopes: { sessionCredential: true },
    args: {
      input: t.arg({ type: CreateApiKeyInput, required: true, validate: { schema: createApiKeySchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { name, scopes, expiresAt } = createApiKeyValues.parse(args.input);
      for (let attempt = 1; ; attempt++) {
        const { key, prefix, hash } = generateApiKey();
        try {
          const apiKeyId = await ctx.withRls(async (tx) => {
            await lockOwnersKeys(tx, viewer.userId);
            await checkCap(tx, viewer.userId, new Date());
            const { id } = await tx.apiKey.create({
              data: { ownerId: viewer.userId, name, prefix, hash, scopes, expiresAt },
              select: { id: true },
            });
            await recordAuditEvents(tx, [
              {
                type: 'api_key.created',
                actorId: viewer.userId,
                subjectUserId: viewer.userId,
                ...auditSource(ctx),
                metadata: { keyId: id, prefix, name, scopes },
              },
            ]);
            return id;
          });
          return { apiKeyId, secret: key };
        } catch (error) {
          if (!isPrefixCollision(error) || attempt >= PREFIX_ATTEMPTS) throw error;
        }
      }
    },
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    description:
      'Ends a key: its next request is refused (401) on every server. Revoking a revoked key returns it unchanged. ' +
      'Refused (FORBIDDEN) when the request itself uses an API key.',
    authScopes: { sessionCredential: true },
    args: {
      input: t.arg({ type: RevokeApiKeyInput, required: true, validate: { schema: revokeApiKeySchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { id } = revokeApiKeySchema.parse(args.input).id;
      await ctx.withRls(async (tx) => {
        // The owner filter too: an admin reads every key through RLS, and revokes only their own here.
        const key = await tx.apiKey.findFirst({
          where: { id, ownerId: viewer.userId },
          select: { prefix: true, name: true, scopes: true },
        });
        if (!key) throw notFound('API key');
        const { count } = await tx.apiKey.updateMany({
          where: { id, ownerId: viewer.userId, revokedAt: null },
          data: { revokedAt: new Date() },
        });
        if (count === 0) return; // Revoked already (perhaps by a concurrent request): unchanged.
        await recordAuditEvents(tx, [
          {
            type: 'api_key.revoked',
            actorId: viewer.userId,
            subjectUserId: viewer.userId,
            ...auditSource(ctx),
            metadata: { keyId: id, prefix: key.prefix, name: key.name, scopes: key.scopes },
          },
        ]);
      });
      return { apiKeyId: id };
    },
  }),
}));
