// The benchmark's peer (npm run bench:peer): PostGraphile v5, amber preset, served by grafserv/node
// on the same migrated database, connecting as `authenticator` and becoming app_user for the
// bearer's user through pgSettings, so the same RLS policies decide what it reads. Started by
// ../peer.ts as a child process: `node --import ./with-resolvers.mjs postgraphile-server.mjs`.
// Env: DATABASE_URL (authenticator), PORT, PEER_POOL_SIZE (10), PEER_JWT_KEY_FILE (RS256 public key
// PEM), PEER_USERS_FILE (JSON { clerkId: userId }). Prints "listening <port>" when ready.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { importSPKI, jwtVerify } from 'jose';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

const publicKey = await importSPKI(readFileSync(required('PEER_JWT_KEY_FILE'), 'utf8'), 'RS256');
/** @type {Record<string, string>} clerkId → users.id, as the bench's fixtures loaded them. */
const userIds = JSON.parse(readFileSync(required('PEER_USERS_FILE'), 'utf8'));

/** The viewer's user id from `Authorization: Bearer <RS256 JWT>`; throws, so nothing is read, otherwise. */
async function viewerUserId(authorization) {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  if (!match) throw new Error('unauthenticated');
  const { payload } = await jwtVerify(match[1], publicKey, { algorithms: ['RS256'] });
  const userId = typeof payload.sub === 'string' ? userIds[payload.sub] : undefined;
  if (!userId) throw new Error('unknown user');
  return userId;
}

// Our enum ListingCondition collides with the condition input type amber derives for `listings`.
const ConditionTypeWherePlugin = {
  name: 'BenchConditionTypeWherePlugin',
  version: '0.0.0',
  inflection: {
    replace: {
      conditionType(_previous, _preset, typeName) {
        return this.upperCamelCase(`${typeName}-where`);
      },
    },
  },
};

// Amber orders only by indexed columns; created_at leads no index of its own (owner_id does), so
// opt it in for "newest first". Amber also hides relations whose foreign key no index covers: the
// items' (collection_id, owner_id) key is served by (collection_id, position), so declare it indexed
// to get collection → items (collectionItemsByCollectionIdAndOwnerId) for the nested read.
const BenchSmartTagsPlugin = jsonPgSmartTags({
  version: 1,
  config: {
    attribute: { 'listings.created_at': { tags: { behavior: ['orderBy'] } } },
    constraint: { 'collection_items.collection_items_collection_id_owner_id_fkey': { tags: { isIndexed: true } } },
  },
});

const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [ConditionTypeWherePlugin, BenchSmartTagsPlugin],
  pgServices: [
    makePgService({
      pool: new pg.Pool({
        connectionString: required('DATABASE_URL'),
        max: Number(process.env.PEER_POOL_SIZE ?? '10'),
      }),
      schemas: ['public'],
    }),
  ],
  grafast: {
    // Per request, like our server: verify the token, then switch role and viewer for the transaction.
    async context(requestContext) {
      const userId = await viewerUserId(requestContext.node?.req.headers.authorization);
      return { pgSettings: { role: 'app_user', 'app.current_user_id': userId } };
    },
  },
  grafserv: { graphiql: false, watch: false },
  schema: { exportSchemaSDLPath: undefined },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
serv.addTo(server).catch((error) => {
  console.error(error);
  process.exit(1);
});
await pgl.getSchema();
server.listen(Number(required('PORT')), '127.0.0.1', () => console.log(`listening ${server.address().port}`));

const stop = () => {
  server.closeAllConnections();
  server.close(() => void pgl.release().then(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
