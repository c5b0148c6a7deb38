// The soak's requests: a weighted mix of reads and writes by several users, each with a session token
// and a personal API key, and an admin. Every answer is checked against what the caller may see and
// what it asked for; a wrong answer is recorded with enough to reproduce it, never retried.
import { randomInt } from 'node:crypto';

export type CredentialKind = 'session' | 'api-key';

/** One person of the soak. Listings they create are titled `${prefix} #n`, so ownership shows in every row. */
export interface SoakUser {
  email: string;
  prefix: string;
  sessionToken: string;
  apiKey: string;
  /** Global ids of listings this user created and has not deleted (acknowledged answers only). */
  live: string[];
  created: number;
  deleted: number;
}

export interface SoakAdmin {
  email: string;
  sessionToken: string;
}

export interface SoakCast {
  users: SoakUser[];
  admin: SoakAdmin;
}

export interface Outcome {
  kind: string;
  status: number;
  /** Why the answer is wrong; undefined when it is right. */
  wrong?: string;
  ms: number;
}

interface GraphQLAnswer {
  status: number;
  body?: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  text: string;
}

async function post(url: string, credential: string, query: string, variables?: object): Promise<GraphQLAnswer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: GraphQLAnswer['body'];
  try {
    body = JSON.parse(text) as GraphQLAnswer['body'];
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

const LISTINGS = '{ listings(first: 20) { totalCount edges { node { id title } } } }';
const VIEWER = '{ viewer { email role } }';
const CREATE = 'mutation($input: CreateListingInput!) { createListing(input: $input) { listing { id title price } } }';
const UPDATE =
  'mutation($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { listing { id price } } }';
const DELETE = 'mutation($id: ID!) { deleteListing(id: $id) { deletedListingId } }';
const NODE = 'query($id: ID!) { node(id: $id) { id } }';
const ADMIN_USERS = '{ users(search: "soak", first: 10) { totalCount } }';

/** Why a GraphQL answer is not a plain success, or undefined. */
function notOk(answer: GraphQLAnswer): string | undefined {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (!answer.body) return `not JSON: ${answer.text.slice(0, 200)}`;
  if (answer.body.errors?.length) return `errors: ${JSON.stringify(answer.body.errors).slice(0, 200)}`;
  return undefined;
}

function credentialOf(user: SoakUser, kind: CredentialKind): string {
  return kind === 'session' ? user.sessionToken : user.apiKey;
}

type Step = (url: string, cast: SoakCast, user: SoakUser, kind: CredentialKind) => Promise<Omit<Outcome, 'ms'>>;

/** My newest listings: every row must be mine. */
const readListings: Step = async (url, _cast, user, kind) => {
  const answer = await post(url, credentialOf(user, kind), LISTINGS);
  const problem = notOk(answer);
  if (problem) return { kind: 'read', status: answer.status, wrong: problem };
  const listings = answer.body?.data?.listings as { edges: { node: { title: string } }[] };
  const foreign = listings.edges.find((edge) => !edge.node.title.startsWith(`${user.prefix} #`));
  if (foreign) return { kind: 'read', status: 200, wrong: `${user.email} saw "${foreign.node.title}"` };
  return { kind: 'read', status: 200 };
};

const readViewer: Step = async (url, _cast, user, kind) => {
  const answer = await post(url, credentialOf(user, kind), VIEWER);
  const problem = notOk(answer);
  if (problem) return { kind: 'viewer', status: answer.status, wrong: problem };
  const viewer = answer.body?.data?.viewer as { email: string };
  if (viewer.email !== user.email)
    return { kind: 'viewer', status: 200, wrong: `${user.email} is told they are ${viewer.email}` };
  return { kind: 'viewer', status: 200 };
};

const createListing: Step = async (url, _cast, user, kind) => {
  const title = `${user.prefix} #${randomInt(1_000_000_000)}`;
  const price = `${randomInt(10, 5000)}.50`;
  const answer = await post(url, credentialOf(user, kind), CREATE, { input: { title, price, condition: 'USED' } });
  const problem = notOk(answer);
  if (problem) return { kind: 'create', status: answer.status, wrong: problem };
  const listing = (answer.body?.data?.createListing as { listing: { id: string; title: string; price: string } })
    .listing;
  if (listing.title !== title || Number(listing.price) !== Number(price)) {
    return { kind: 'create', status: 200, wrong: `created ${JSON.stringify(listing)}, asked for ${title} at ${price}` };
  }
  user.live.push(listing.id);
  user.created++;
  return { kind: 'create', status: 200 };
};

function pick<T>(items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[randomInt(items.length)];
}

const updateListing: Step = async (url, cast, user, kind) => {
  // Taken out of the live set while it is being changed: two updates of one listing at once would each
  // rightly answer with whichever price committed last, which this check could not tell from a wrong answer.
  const id = user.live.length > 0 ? user.live.splice(randomInt(user.live.length), 1)[0] : undefined;
  if (!id) return createListing(url, cast, user, kind);
  const price = `${randomInt(10, 5000)}.25`;
  try {
    const answer = await post(url, credentialOf(user, kind), UPDATE, { id, input: { price } });
    const problem = notOk(answer);
    if (problem) return { kind: 'update', status: answer.status, wrong: problem };
    const listing = (answer.body?.data?.updateListing as { listing: { id: string; price: string } }).listing;
    if (listing.id !== id || Number(listing.price) !== Number(price)) {
      return { kind: 'update', status: 200, wrong: `updated ${JSON.stringify(listing)}, asked for ${id} at ${price}` };
    }
    return { kind: 'update', status: 200 };
  } finally {
    user.live.push(id);
  }
};

const deleteListing: Step = async (url, cast, user, kind) => {
  // Taken out of the live set first, so no other step of this user touches it meanwhile.
  const id = user.live.length > 5 ? user.live.splice(randomInt(user.live.length), 1)[0] : undefined;
  if (!id) return createListing(url, cast, user, kind);
  const answer = await post(url, credentialOf(user, kind), DELETE, { id });
  const problem = notOk(answer);
  if (problem) {
    user.live.push(id);
    return { kind: 'delete', status: answer.status, wrong: problem };
  }
  const deleted = (answer.body?.data?.deleteListing as { deletedListingId: string }).deletedListingId;
  if (deleted !== id) return { kind: 'delete', status: 200, wrong: `deleted ${deleted}, asked for ${id}` };
  user.deleted++;
  return { kind: 'delete', status: 200 };
};

/** Another user's listing by id: must be invisible (null, or NOT_FOUND), never returned. */
const readForeignNode: Step = async (url, cast, user, kind) => {
  const other = pick(cast.users.filter((candidate) => candidate !== user && candidate.live.length > 0));
  const id = other && pick(other.live);
  if (!id) return readListings(url, cast, user, kind);
  const answer = await post(url, credentialOf(user, kind), NODE, { id });
  if (answer.status !== 200 || !answer.body) return { kind: 'foreign', status: answer.status, wrong: notOk(answer) };
  const node = answer.body.data?.node;
  if (node) return { kind: 'foreign', status: 200, wrong: `${user.email} read ${other.email}'s listing ${id}` };
  const codes = (answer.body.errors ?? []).map((error) => error.extensions?.code);
  if (codes.some((code) => code !== 'NOT_FOUND')) return { kind: 'foreign', status: 200, wrong: notOk(answer) };
  return { kind: 'foreign', status: 200 };
};

async function adminSearch(url: string, cast: SoakCast): Promise<Omit<Outcome, 'ms'>> {
  const answer = await post(url, cast.admin.sessionToken, ADMIN_USERS);
  const problem = notOk(answer);
  if (problem) return { kind: 'admin', status: answer.status, wrong: problem };
  const { totalCount } = answer.body?.data?.users as { totalCount: number };
  if (totalCount < cast.users.length)
    return { kind: 'admin', status: 200, wrong: `admin found ${totalCount} soak users` };
  return { kind: 'admin', status: 200 };
}

/** Weights out of 100; the rest (5) is the admin's search. */
const MIX: [number, Step][] = [
  [35, readListings],
  [10, readViewer],
  [20, createListing],
  [15, updateListing],
  [7, deleteListing],
  [8, readForeignNode],
];

/** One request of the mix, against `url`, timed. */
export async function oneRequest(url: string, cast: SoakCast): Promise<Outcome> {
  const started = performance.now();
  const roll = randomInt(100);
  let outcome: Omit<Outcome, 'ms'> | undefined;
  let threshold = 0;
  for (const [weight, step] of MIX) {
    threshold += weight;
    if (roll < threshold) {
      const user = pick(cast.users) as SoakUser;
      outcome = await step(url, cast, user, randomInt(2) === 0 ? 'session' : 'api-key');
      break;
    }
  }
  outcome ??= await adminSearch(url, cast);
  return { ...outcome, ms: performance.now() - started };
}

/** Sends `total` requests of the mix, `concurrency` at a time, spread round robin over `urls`. */
export async function runMix(
  urls: readonly string[],
  cast: SoakCast,
  total: number,
  concurrency: number,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      const url = urls[sent % urls.length] as string;
      sent++;
      try {
        outcomes.push(await oneRequest(url, cast));
      } catch (error) {
        outcomes.push({ kind: 'transport', status: 0, wrong: (error as Error).message, ms: 0 });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}
