// `nodes(ids:)` loads each type's nodes with one query, under the viewer's RLS context. Pothos's
// default loads a Prisma node per id, and the RLS client makes each of those a transaction of its
// own: 2,000 ids would be 2,000 transactions, enough to starve the pool. Capped at MAX_NODE_IDS.
import { brandWithType } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from './context.js';
import { signedIn } from './context.js';
import { badUserInput } from './errors.js';

export const MAX_NODE_IDS = 100;

type Decoded = { typename: string; id: string } | null | undefined;

/**
 * Types whose nodes only their owner may load by id, whatever RLS lets the viewer read (an admin's role
 * reads every row of some tables): typename → the owner column. A type registers itself here.
 */
const OWNER_ONLY = new Map<string, string>();

export function loadOnlyOwnNodes(typename: string, ownerField: string): void {
  OWNER_ONLY.set(typename, ownerField);
}
type FindMany = (args: object) => Promise<{ id: string }[]>;

/** The model delegate of a Prisma node type (our node types are named after their models). */
function delegateOf(ctx: Context, typename: string): FindMany | undefined {
  const name = typename.charAt(0).toLowerCase() + typename.slice(1);
  const delegate = (signedIn(ctx).db as unknown as Record<string, { findMany?: FindMany } | undefined>)[name];
  return delegate?.findMany?.bind(delegate);
}

/** Ids grouped by type, each id once. */
function groupByType(ids: readonly Decoded[]): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const decoded of ids) {
    if (!decoded) continue;
    const group = groups.get(decoded.typename) ?? new Set<string>();
    group.add(decoded.id);
    groups.set(decoded.typename, group);
  }
  return groups;
}

/** Loads one type's rows with what the query selects on it; an unknown type loads nothing. */
async function loadType(ctx: Context, info: GraphQLResolveInfo, typename: string, ids: Set<string>) {
  const findMany = delegateOf(ctx, typename);
  if (!findMany) return new Map<string, unknown>();
  const query = await queryFromInfo({ context: ctx, info, typeName: typename, awaitSelections: true });
  const ownerField = OWNER_ONLY.get(typename);
  const owner = ownerField ? { [ownerField]: signedIn(ctx).viewer.userId } : {};
  const rows = await findMany({ ...query, where: { id: { in: [...ids] }, ...owner } });
  return new Map<string, unknown>(
    rows.map((row) => {
      brandWithType(row, typename as never);
      return [`${typename}:${row.id}`, row];
    }),
  );
}

/** The `nodes` resolver: results in the order of `ids`, null where a node is missing or hidden. */
export async function resolveNodesBatched(ids: readonly Decoded[], ctx: Context, info: GraphQLResolveInfo) {
  if (ids.length > MAX_NODE_IDS) {
    throw badUserInput(`At most ${MAX_NODE_IDS} ids per request`, [
      { path: 'ids', message: `Got ${ids.length} ids; the limit is ${MAX_NODE_IDS}` },
    ]);
  }
  const loaded = await Promise.all(
    [...groupByType(ids)].map(([typename, group]) => loadType(ctx, info, typename, group)),
  );
  const byKey = new Map(loaded.flatMap((map) => [...map]));
  return ids.map((decoded) => (decoded ? (byKey.get(`${decoded.typename}:${decoded.id}`) ?? null) : null));
}
