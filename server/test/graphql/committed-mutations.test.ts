// Issue 14, review: a mutation that applied a change must never be answered 503 + Retry-After, or clients
// retry it and write twice (src/graphql/committed-mutations.ts, ADR 0070). A trigger of this file's own
// database fails some inserts with SQLSTATE 40001 (a serialization failure: transient, "try again"), so one
// root field of a mutation commits and the next one fails as a database that cannot be used.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwnDatabase, type OwnDatabase } from '../support/own-database.js';
import { connectAs } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type TestServer } from '../support/server.js';

const FAILING_PREFIX = 'conflict-';

let database: OwnDatabase;
let server: TestServer;
let superuser: pg.Client;
let token: string;

beforeAll(async () => {
  database = await createOwnDatabase('committed_mutations');
  superuser = await connectAs(database.superuserUrl);
  await superuser.query(`
    CREATE FUNCTION fail_conflicting_listing() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.title LIKE '${FAILING_PREFIX}%' THEN
        RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_conflicting_listing BEFORE INSERT ON listings
      FOR EACH ROW EXECUTE FUNCTION fail_conflicting_listing();
  `);
  server = await startTestServer({}, { databaseUrl: database.url });
  ({ token } = await newIdentity(server, 'writer'));
});

afterAll(async () => {
  await server?.close();
  await superuser?.end();
  await database?.drop();
});

async function listingsTitled(title: string): Promise<number> {
  const { rows } = await superuser.query<{ n: number }>('SELECT count(*)::int AS n FROM listings WHERE title = $1', [
    title,
  ]);
  return rows[0]!.n;
}

const TWO = `mutation Two($a: CreateListingInput!, $b: CreateListingInput!) {
  a: createListing(input: $a) { listing { id } }
  b: createListing(input: $b) { listing { id } }
}`;
const ONE = `mutation One($a: CreateListingInput!) { a: createListing(input: $a) { listing { id } } }`;

describe('a database failure in a mutation', () => {
  it('is 200 with SERVICE_UNAVAILABLE at the failed field, no Retry-After, when an earlier field was applied', async () => {
    const applied = `applied-${crypto.randomUUID()}`;
    const failed = `${FAILING_PREFIX}${crypto.randomUUID()}`;
    const res = await gql(server, token, TWO, { a: { title: applied, price: '1' }, b: { title: failed, price: '1' } });

    expect(res.status).toBe(200);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.path).toEqual(['b']);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.errors?.[0]?.message).toMatch(/other fields of this mutation were applied/);
    // Nothing of the cause reaches the client.
    expect(JSON.stringify(res.body)).not.toContain('serialize');
    // The first field's change is there, once; the second's is not.
    expect(await listingsTitled(applied)).toBe(1);
    expect(await listingsTitled(failed)).toBe(0);
  });

  it('is 503 with Retry-After when nothing of the mutation was applied', async () => {
    const failed = `${FAILING_PREFIX}${crypto.randomUUID()}`;
    const res = await gql(server, token, ONE, { a: { title: failed, price: '1' } });

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body.errors?.[0]?.path).toEqual(['a']);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.errors?.[0]?.message).toMatch(/try again shortly/);
    expect(await listingsTitled(failed)).toBe(0);
  });

  it('keeps other errors of an applied mutation as they are (a field refused for bad input is not 503 either way)', async () => {
    const applied = `applied-${crypto.randomUUID()}`;
    const res = await gql(server, token, TWO, { a: { title: applied, price: '1' }, b: { title: '', price: '1' } });

    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await listingsTitled(applied)).toBe(1);
  });

  it('is 200 with both changes when every field is applied', async () => {
    const first = `applied-${crypto.randomUUID()}`;
    const second = `applied-${crypto.randomUUID()}`;
    const res = await gql(server, token, TWO, { a: { title: first, price: '1' }, b: { title: second, price: '1' } });

    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(await listingsTitled(first)).toBe(1);
    expect(await listingsTitled(second)).toBe(1);
  });
});
