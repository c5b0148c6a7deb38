// Collection.ownerName for every collection of a response in one query. A grantee cannot read the
// owner's user row (users_self_select), so the name comes from app_collection_owners(), a narrow
// SECURITY DEFINER function that answers only for collections the viewer owns or holds a bound
// share of. Admins read users through their own policies and ask Prisma directly.
import type { Context } from '#src/graphql/context.js';
import { signedIn } from '#src/graphql/context.js';
import { displayName, type PersonName } from './collection-rules.js';

interface OwnerRow {
  collection_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

type Names = Map<string, string | null>;

interface Loader {
  /** Ids asked for since the last batch went out; sent together on the next turn of the event loop. */
  pending: { ids: Set<string>; names: Promise<Names> } | undefined;
  known: Map<string, Promise<string | null>>;
}

/** One loader per request: the context is the request's, and goes with it. */
const loaders = new WeakMap<Context, Loader>();

async function fetchOwnerNames(ctx: Context, ids: string[]): Promise<Names> {
  const { db, viewer } = signedIn(ctx);
  const people: [string, PersonName][] =
    viewer.role === 'ADMIN'
      ? (
          await db.collection.findMany({
            where: { id: { in: ids } },
            select: { id: true, owner: { select: { firstName: true, lastName: true, email: true } } },
          })
        ).map((row) => [row.id, row.owner])
      : (
          await db.$queryRaw<OwnerRow[]>`
            SELECT collection_id::text, first_name, last_name, email FROM app_collection_owners(${ids}::uuid[])`
        ).map((row) => [row.collection_id, { firstName: row.first_name, lastName: row.last_name, email: row.email }]);
  return new Map(people.map(([id, person]) => [id, displayName(person)]));
}

/**
 * A batch that collects ids until the event loop turns (GraphQL asks for every item of a list in
 * one synchronous pass), then goes out as one query.
 */
function newBatch(ctx: Context, loader: Loader): NonNullable<Loader['pending']> {
  const ids = new Set<string>();
  const names = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    loader.pending = undefined;
    return fetchOwnerNames(ctx, [...ids]);
  });
  return { ids, names };
}

/** The owner's display name of a collection the viewer can read; null when there is none to show. */
export function loadOwnerName(ctx: Context, collectionId: string): Promise<string | null> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = { pending: undefined, known: new Map() };
    loaders.set(ctx, loader);
  }
  const known = loader.known.get(collectionId);
  if (known) return known;
  loader.pending ??= newBatch(ctx, loader);
  loader.pending.ids.add(collectionId);
  const name = loader.pending.names.then((names) => names.get(collectionId) ?? null);
  loader.known.set(collectionId, name);
  return name;
}
