// What the peer bench asks both servers, per scenario: the body of each request, the check of every
// Nth answer (exactly the token owner's data, nothing of anyone else's), and for writes a settlement
// against the database after each round (every 200 answer wrote one row, for its owner; then removed).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { withClient } from '#src/db/bootstrap.js';
import {
  COLLECTION_SIZE,
  collectionIdOf,
  collectionListingNumber,
  LISTINGS_PER_OWNER,
  OWNERS,
  PAGE_SIZE,
} from '../fixtures.js';
import { LISTINGS_QUERY } from '../server.js';
import type { Label } from './children.js';

export type ScenarioName = 'read' | 'write' | 'nested';
export const SCENARIO_NAMES: readonly ScenarioName[] = ['read', 'write', 'nested'];

/** One server's part in one round of a scenario. `owner` is the 0-based index into OWNERS. */
export interface RoundPlan {
  /** The request body for `owner`; `seq` is unique within the round. */
  body(owner: number, seq: number): string;
  /** Throws unless `text` is the right answer to body(owner, seq): a leak or a wrong answer. */
  check(text: string, owner: number, seq: number): void;
  /** After the round: checks its writes in the database, then removes them so the fixtures stay as loaded. */
  settle?(superuserUrl: string, okPerOwner: readonly number[]): Promise<void>;
}

export interface Scenario {
  name: ScenarioName;
  description: string;
  plan(label: Label, round: string): RoundPlan;
}

type Json = Record<string, unknown>;

/** The `data` of a GraphQL answer; throws on errors or a missing field. */
function dataOf(text: string): Json {
  const body = JSON.parse(text) as { data?: Json | null; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`wrong answer: ${text.slice(0, 300)}`);
  return body.data;
}

function expectTitles(what: string, titles: string[], expected: string[]): void {
  if (titles.join('|') !== expected.join('|')) throw new Error(`${what}: got titles ${titles.join(', ')}`);
}

// ── read: "my newest 20 listings" ────────────────────────────────────────────────────────────────
/** PostGraphile's "my newest 20 listings": RLS leaves only the viewer's rows, as in ours. */
const PEER_LISTINGS_QUERY =
  `{ allListings(first: ${PAGE_SIZE}, orderBy: CREATED_AT_DESC) ` +
  `{ totalCount edges { node { id title price } } } }`;

function newestTitles(owner: number): string[] {
  return Array.from({ length: PAGE_SIZE }, (_, i) => `Bench listing ${owner + 1}-${LISTINGS_PER_OWNER - i}`);
}

const read: Scenario = {
  name: 'read',
  description: `"my newest ${PAGE_SIZE} listings"`,
  plan(label) {
    const [query, field] = label === 'ours' ? [LISTINGS_QUERY, 'listings'] : [PEER_LISTINGS_QUERY, 'allListings'];
    const body = JSON.stringify({ query });
    return {
      body: () => body,
      check(text, owner) {
        const page = dataOf(text)[field] as { totalCount: number; edges: { node: { title: string } }[] } | null;
        if (page?.totalCount !== LISTINGS_PER_OWNER) throw new Error(`owner ${owner + 1}: ${text.slice(0, 300)}`);
        expectTitles(
          `owner ${owner + 1}`,
          page.edges.map((edge) => edge.node.title),
          newestTitles(owner),
        );
      },
    };
  },
};

// ── write: createListing ─────────────────────────────────────────────────────────────────────────
const OUR_CREATE =
  'mutation Create($input: CreateListingInput!) { createListing(input: $input) { listing { id title price } } }';
/** PostGraphile needs the owner given: its insert is only checked by the RLS policy (owner = viewer). */
const PEER_CREATE =
  'mutation Create($input: CreateListingInput!) { createListing(input: $input) { listing { rowId ownerId title price } } }';

interface WrittenRow {
  id: string;
  owner: number;
  title: string;
}

/** Our global id `Listing:<uuid>` (base64) → the uuid. */
function ourListingUuid(globalId: string): string {
  const [typename, id] = Buffer.from(globalId, 'base64').toString('utf8').split(':');
  if (typename !== 'Listing' || !id) throw new Error(`not a listing id: ${globalId}`);
  return id;
}

function listingFields(title: string, seq: number) {
  return {
    title,
    price: `${100 + (seq % 900)}.99`,
    url: `https://shop.example.test/bench-write/${seq}`,
    condition: 'USED',
  };
}

/** Every 200 answer wrote exactly one row titled `prefix…` for its owner, and the sampled rows are theirs. */
async function settleWrites(
  superuserUrl: string,
  prefix: string,
  okPerOwner: readonly number[],
  sampled: WrittenRow[],
) {
  await withClient(superuserUrl, async (client) => {
    const counts = await client.query<{ owner_id: string; n: string }>(
      'SELECT owner_id, count(*) AS n FROM listings WHERE starts_with(title, $1) GROUP BY owner_id',
      [prefix],
    );
    const found = new Map(counts.rows.map((row) => [row.owner_id, Number(row.n)]));
    OWNERS.forEach((owner, i) => {
      const rows = found.get(owner.userId) ?? 0;
      if (rows !== (okPerOwner[i] ?? 0))
        throw new Error(`"${prefix}": owner ${owner.number} has ${rows} rows, ${okPerOwner[i]} answers`);
    });
    const extra = [...found.keys()].filter((id) => !OWNERS.some((owner) => owner.userId === id));
    if (extra.length > 0) throw new Error(`"${prefix}": rows for unknown owners ${extra.join(', ')}`);
    const rows = await client.query<{ id: string; owner_id: string; title: string }>(
      'SELECT id, owner_id, title FROM listings WHERE id = ANY($1::uuid[])',
      [sampled.map((row) => row.id)],
    );
    const byId = new Map(rows.rows.map((row) => [row.id, row]));
    for (const row of sampled) {
      const stored = byId.get(row.id);
      if (!stored || stored.owner_id !== OWNERS[row.owner]?.userId || stored.title !== row.title) {
        throw new Error(`"${prefix}": listing ${row.id} is ${JSON.stringify(stored)}, expected owner ${row.owner + 1}`);
      }
    }
    await client.query('DELETE FROM listings WHERE starts_with(title, $1)', [prefix]);
  });
}

const write: Scenario = {
  name: 'write',
  description: 'createListing',
  plan(label, round) {
    const prefix = `Bench write ${label} ${round} `;
    const sampled: WrittenRow[] = [];
    const titleOf = (owner: number, seq: number) => `${prefix}${owner + 1}-${seq}`;
    return {
      body(owner, seq) {
        const fields = listingFields(titleOf(owner, seq), seq);
        const input = label === 'ours' ? fields : { listing: { ...fields, ownerId: OWNERS[owner]!.userId } };
        return JSON.stringify({ query: label === 'ours' ? OUR_CREATE : PEER_CREATE, variables: { input } });
      },
      check(text, owner, seq) {
        const payload = dataOf(text).createListing as { listing?: Json | null } | null;
        const listing = payload?.listing as
          { id?: string; rowId?: string; ownerId?: string; title: string } | undefined;
        if (!listing) throw new Error(`no listing: ${text.slice(0, 300)}`);
        if (listing.title !== titleOf(owner, seq)) throw new Error(`owner ${owner + 1} got ${listing.title}`);
        if (label === 'PostGraphile' && listing.ownerId !== OWNERS[owner]!.userId)
          throw new Error(`owner ${owner + 1} got ${text}`);
        const id = label === 'ours' ? ourListingUuid(listing.id ?? '') : listing.rowId!;
        sampled.push({ id, owner, title: listing.title });
      },
      settle: (superuserUrl, okPerOwner) => settleWrites(superuserUrl, prefix, okPerOwner, sampled),
    };
  },
};

// ── nested: a collection, its 20 items and their listings ─────────────────────────────────────────
const OUR_COLLECTION =
  'query Nested($id: ID!) { node(id: $id) { ... on Collection { items(first: 20) ' +
  '{ edges { node { position listing { id title price } } } } } } }';
const PEER_COLLECTION =
  'query Nested($id: UUID!) { collectionByRowId(rowId: $id) { collectionItemsByCollectionIdAndOwnerId' +
  '(first: 20, orderBy: POSITION_ASC) { nodes { position listingByListingId { id title price } } } } }';

interface Item {
  position: number;
  listing: { title: string } | null;
}

function itemsOf(label: Label, data: Json): Item[] | undefined {
  if (label === 'ours') {
    const node = data.node as { items?: { edges: { node: Item }[] } } | null;
    return node?.items?.edges.map((edge) => edge.node);
  }
  const collection = data.collectionByRowId as {
    collectionItemsByCollectionIdAndOwnerId: { nodes: { position: number; listingByListingId: Item['listing'] }[] };
  } | null;
  return collection?.collectionItemsByCollectionIdAndOwnerId.nodes.map((n) => ({
    position: n.position,
    listing: n.listingByListingId,
  }));
}

const nested: Scenario = {
  name: 'nested',
  description: `a collection with its ${COLLECTION_SIZE} items and their listings`,
  plan(label) {
    const bodies = OWNERS.map((owner) => {
      const id = label === 'ours' ? encodeGlobalID('Collection', collectionIdOf(owner)) : collectionIdOf(owner);
      return JSON.stringify({ query: label === 'ours' ? OUR_COLLECTION : PEER_COLLECTION, variables: { id } });
    });
    return {
      body: (owner) => bodies[owner]!,
      check(text, owner) {
        const items = itemsOf(label, dataOf(text));
        if (!items || items.length !== COLLECTION_SIZE) throw new Error(`owner ${owner + 1}: ${text.slice(0, 300)}`);
        if (items.some((item, i) => item.position !== i)) throw new Error(`owner ${owner + 1}: positions out of order`);
        const expected = items.map((_, p) => `Bench listing ${owner + 1}-${collectionListingNumber(p)}`);
        expectTitles(
          `owner ${owner + 1}`,
          items.map((item) => item.listing?.title ?? '(none)'),
          expected,
        );
      },
    };
  },
};

export const SCENARIOS: Record<ScenarioName, Scenario> = { read, write, nested };

/** BENCH_PEER_SCENARIOS: a comma-separated list; default all. */
export function selectedScenarios(raw: string | undefined): Scenario[] {
  if (!raw?.trim()) return SCENARIO_NAMES.map((name) => SCENARIOS[name]);
  return raw.split(',').map((name) => {
    const scenario = SCENARIOS[name.trim() as ScenarioName];
    if (!scenario) throw new Error(`BENCH_PEER_SCENARIOS: unknown scenario "${name}" (${SCENARIO_NAMES.join(', ')})`);
    return scenario;
  });
}
