// A lint of the migrated database, read from the catalog: RLS is on, forced and has policies on
// every table; the runtime roles own nothing and bypass nothing; the login role inherits nothing;
// policies are role-targeted, never trust the claimed role, and filter on indexed columns.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { getDatamodel } from '#src/generated/pothos-types.js';
import { MODEL_TABLES, PROTECTED_TABLES } from '../support/datamodel.js';
import { connectAs } from '../support/sql.js';

const RUNTIME_ROLES = ['authenticator', 'app_user', 'app_admin', 'app_sync', 'app_rate_limit', 'app_auth'];
const BOOKKEEPING = '_prisma_migrations';

let client: pg.Client;

beforeAll(async () => {
  client = await connectAs(inject('database').ownerUrl);
});

afterAll(async () => {
  await client?.end();
});

async function rows<T>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await client.query(text, values)).rows as T[];
}

describe('row level security', () => {
  it('every table of the Prisma data model, and no other (but the migration bookkeeping), has RLS enabled and forced, and at least one policy', async () => {
    const tables = await rows<{ table: string; enabled: boolean; forced: boolean; policies: number }>(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> $1
       ORDER BY c.relname`,
      [BOOKKEEPING],
    );
    // The catalog and the data model agree: every model's table exists, and no table lacks a model.
    expect(tables.map((t) => t.table)).toEqual([...PROTECTED_TABLES].sort());
    expect(tables.filter((t) => !t.enabled || !t.forced || t.policies === 0)).toEqual([]);
  });

  it('the key column of every model is its table’s primary key', async () => {
    const keys = await rows<{ table: string; key: string }>(
      `SELECT c.relname AS table, string_agg(a.attname, ',' ORDER BY a.attnum) AS key
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
       WHERE c.relnamespace = 'public'::regnamespace AND i.indisprimary AND c.relname <> $1
       GROUP BY c.relname ORDER BY c.relname`,
      [BOOKKEEPING],
    );
    expect(keys).toEqual(
      [...MODEL_TABLES].sort((a, b) => a.table.localeCompare(b.table)).map((m) => ({ table: m.table, key: m.key })),
    );
  });

  it('there are no views, materialized views or foreign tables (they would bypass the policies of the tables they read)', async () => {
    const others = await rows<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('v', 'm', 'f')`,
    );
    expect(others).toEqual([]);
  });

  it('every policy names its roles (none applies to PUBLIC)', async () => {
    const untargeted = await rows<{ policyname: string }>(
      `SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND 'public' = ANY (roles)`,
    );
    expect(untargeted).toEqual([]);
  });

  it('no app_user policy mentions admins: the admin bypass is its own role, not an OR in the user’s filter', async () => {
    const policies = await rows<{ policyname: string; roles: string[]; text: string }>(
      `SELECT policyname, roles::text[] AS roles, coalesce(qual, '') || ' ' || coalesce(with_check, '') AS text
       FROM pg_policies WHERE schemaname = 'public'`,
    );
    expect(policies.length).toBeGreaterThan(20);
    const mixed = policies.filter(
      (p) => p.roles.includes('app_user') && (p.roles.length > 1 || /admin|ADMIN/.test(p.text)),
    );
    expect(mixed).toEqual([]);
  });

  it('no policy or policy helper trusts app.current_user_role (the token’s claim)', async () => {
    const policies = await rows<{ policyname: string }>(
      `SELECT policyname FROM pg_policies
       WHERE schemaname = 'public' AND (coalesce(qual, '') || coalesce(with_check, '')) LIKE '%current_user_role%'`,
    );
    const functions = await rows<{ proname: string }>(
      `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosrc LIKE '%current_user_role%'`,
    );
    expect({ policies, functions }).toEqual({ policies: [], functions: [] });
  });

  it('policies read the viewer through a sub-select, so it is evaluated once per statement', async () => {
    const policies = await rows<{ policyname: string; text: string }>(
      `SELECT policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') AS text FROM pg_policies WHERE schemaname = 'public'`,
    );
    const calls = (text: string) => text.match(/app_current_user_id\(\)/g)?.length ?? 0;
    const wrapped = (text: string) =>
      text.match(/\(\s*SELECT app_current_user_id\(\) AS app_current_user_id\)/g)?.length ?? 0;
    expect(policies.filter((p) => calls(p.text) > 0).length).toBeGreaterThan(10);
    expect(policies.filter((p) => calls(p.text) !== wrapped(p.text)).map((p) => p.policyname)).toEqual([]);
  });

  it('every column a policy filters on leads some index of its table', async () => {
    const policies = await rows<{ table: string; policyname: string; text: string }>(
      `SELECT tablename AS table, policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') AS text
       FROM pg_policies WHERE schemaname = 'public'`,
    );
    const columns = await rows<{ table: string; column: string }>(
      `SELECT c.relname AS table, a.attname AS column
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    const leading = new Set(
      (
        await rows<{ table: string; column: string }>(
          `SELECT c.relname AS table, a.attname AS column
           FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
           WHERE c.relnamespace = 'public'::regnamespace`,
        )
      ).map((r) => `${r.table}.${r.column}`),
    );

    // A column of the policy's own table, referenced unqualified (a qualified one belongs to a subquery's table).
    const filtered = new Set<string>();
    for (const policy of policies) {
      for (const { column } of columns.filter((c) => c.table === policy.table)) {
        if (new RegExp(`(?<![\\w.])${column}(?![\\w(])`).test(policy.text)) filtered.add(`${policy.table}.${column}`);
      }
    }
    // The helper app_shared_collection_ids() filters collection_shares by grantee.
    filtered.add('collection_shares.grantee_id');

    expect([...filtered]).toEqual(
      expect.arrayContaining([
        'users.id',
        'listings.owner_id',
        'listings.id',
        'scoring_profiles.owner_id',
        'valuation_rulesets.owner_id',
        'api_keys.owner_id',
        'collections.owner_id',
        'collections.id',
        'collection_items.owner_id',
        'collection_items.collection_id',
        'collection_shares.owner_id',
        'collection_shares.grantee_id',
        'audit_events.subject_user_id',
        'audit_events.actor_id',
      ]),
    );
    expect([...filtered].filter((column) => !leading.has(column)).sort()).toEqual([]);
  });

  it('the listings owner index matches the listing page order (owner_id, created_at DESC, id DESC)', async () => {
    const [index] = await rows<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'listings_owner_id_created_at_id_idx'`,
    );
    expect(index?.indexdef).toBe(
      'CREATE INDEX listings_owner_id_created_at_id_idx ON public.listings USING btree (owner_id, created_at DESC, id DESC)',
    );
  });
});

describe('the table lists come from one source: the Prisma data model', () => {
  // The tests read prisma/schema.prisma themselves (support/datamodel.ts); Prisma's own generator
  // read it too, for the Pothos data model. They must see the same models and keys.
  const generated = getDatamodel().datamodel.models;

  it('names every model Prisma generated, and no other', () => {
    expect(MODEL_TABLES.map((m) => m.model).sort()).toEqual(Object.keys(generated).sort());
  });

  it('finds the @id field Prisma found, for every model', () => {
    const byModel = (a: { model: string }, b: { model: string }) => a.model.localeCompare(b.model);
    const ids = Object.entries(generated).map(([model, { fields }]) => ({
      model,
      keyField: fields.find((field) => field.isId)?.name,
    }));
    expect(MODEL_TABLES.map(({ model, keyField }) => ({ model, keyField })).sort(byModel)).toEqual(ids.sort(byModel));
  });
});

describe('roles', () => {
  it('no runtime role is a superuser, bypasses RLS, or may create roles or databases', async () => {
    const roles = await rows<{
      rolname: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
    }>(
      `SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = ANY ($1) ORDER BY rolname`,
      [RUNTIME_ROLES],
    );
    expect(roles).toEqual(
      [...RUNTIME_ROLES].sort().map((rolname) => ({
        rolname,
        rolsuper: false,
        rolbypassrls: false,
        rolcreaterole: false,
        rolcreatedb: false,
      })),
    );
  });

  it('authenticator is the only runtime role that can log in, and it is NOINHERIT', async () => {
    const roles = await rows<{ rolname: string; rolcanlogin: boolean; rolinherit: boolean }>(
      `SELECT rolname, rolcanlogin, rolinherit FROM pg_roles WHERE rolname = ANY ($1) AND (rolcanlogin OR rolname = 'authenticator')`,
      [RUNTIME_ROLES],
    );
    expect(roles).toEqual([{ rolname: 'authenticator', rolcanlogin: true, rolinherit: false }]);
  });

  it('authenticator is a member of exactly app_user, app_admin, app_sync, app_rate_limit and app_auth, which are members of nothing', async () => {
    const memberships = await rows<{ member: string; role: string }>(
      `SELECT m.rolname AS member, r.rolname AS role
       FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
       WHERE m.rolname = ANY ($1) ORDER BY 1, 2`,
      [RUNTIME_ROLES],
    );
    expect(memberships).toEqual([
      { member: 'authenticator', role: 'app_admin' },
      { member: 'authenticator', role: 'app_auth' },
      { member: 'authenticator', role: 'app_rate_limit' },
      { member: 'authenticator', role: 'app_sync' },
      { member: 'authenticator', role: 'app_user' },
    ]);
  });

  it('no runtime role owns anything in the database: schemas, tables, sequences, functions, types, the database', async () => {
    const owned = await rows<{ kind: string; name: string; owner: string }>(
      `SELECT 'relation' AS kind, relname::text AS name, relowner::regrole::text AS owner FROM pg_class WHERE relowner::regrole::text = ANY ($1)
       UNION ALL SELECT 'function', proname::text, proowner::regrole::text FROM pg_proc WHERE proowner::regrole::text = ANY ($1)
       UNION ALL SELECT 'type', typname::text, typowner::regrole::text FROM pg_type WHERE typowner::regrole::text = ANY ($1)
       UNION ALL SELECT 'schema', nspname::text, nspowner::regrole::text FROM pg_namespace WHERE nspowner::regrole::text = ANY ($1)
       UNION ALL SELECT 'database', datname::text, datdba::regrole::text FROM pg_database WHERE datdba::regrole::text = ANY ($1)`,
      [RUNTIME_ROLES],
    );
    expect(owned).toEqual([]);
  });

  it('the application tables are owned by the migration role', async () => {
    const owners = await rows<{ owner: string }>(
      `SELECT DISTINCT relowner::regrole::text AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S', 'i')`,
    );
    expect(owners).toEqual([{ owner: 'app_owner' }]);
  });

  it('neither PUBLIC nor authenticator holds any privilege on a table', async () => {
    const grants = await rows<{ table: string; grantee: string; privilege: string }>(
      `SELECT c.relname AS table, coalesce(a.grantee::regrole::text, 'PUBLIC') AS grantee, a.privilege_type AS privilege
       FROM pg_class c, aclexplode(c.relacl) a
       WHERE c.relnamespace = 'public'::regnamespace AND (a.grantee = 0 OR a.grantee = 'authenticator'::regrole)`,
    );
    const columnGrants = await rows<{ table: string; column: string }>(
      `SELECT c.relname AS table, att.attname AS column
       FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid, aclexplode(att.attacl) a
       WHERE c.relnamespace = 'public'::regnamespace AND (a.grantee = 0 OR a.grantee = 'authenticator'::regrole)`,
    );
    expect({ grants, columnGrants }).toEqual({ grants: [], columnGrants: [] });
  });

  it('only the collection-sharing functions, the API key lookup and the tombstone’s share revocation run with their owner’s rights (SECURITY DEFINER), each pinned and narrowly granted', async () => {
    // Each reads what its callers' own policies hide, for one purpose (the collections and api_keys migrations say which).
    const definers = await rows<{ proname: string; config: string[] | null; grantees: string[] }>(
      `SELECT p.proname, p.proconfig AS config,
              (SELECT coalesce(array_agg(g.name ORDER BY g.name), '{}')::text[]
               FROM (SELECT coalesce(a.grantee::regrole::text, 'PUBLIC') AS name
                     FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                     WHERE a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE') g) AS grantees
       FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef ORDER BY p.proname`,
    );
    expect(definers).toEqual([
      { proname: 'app_api_key_for_prefix', config: ['search_path=pg_catalog, public'], grantees: ['app_auth'] },
      { proname: 'app_claim_collection_shares', config: ['search_path=pg_catalog, public'], grantees: ['app_sync'] },
      { proname: 'app_collection_owners', config: ['search_path=pg_catalog, public'], grantees: ['app_user'] },
      {
        proname: 'app_user_id_for_verified_email',
        config: ['search_path=pg_catalog, public'],
        grantees: ['app_admin', 'app_user'],
      },
      // A trigger function: it fires for app_sync's tombstone write, and nobody may call it.
      { proname: 'app_users_revoke_tombstone_shares', config: ['search_path=pg_catalog, public'], grantees: [] },
    ]);
  });
});

describe('functions', () => {
  it('no function depends on its caller’s search_path: each pins it, or has a SQL-standard body bound when created', async () => {
    // A string body (AS $$ … $$) is parsed at call time under whatever search_path is in force: it must
    // SET search_path = pg_catalog, public. A SQL-standard body (RETURN … / BEGIN ATOMIC … END) is parsed
    // once, at CREATE, its names bound to objects then, and stays inlinable (a SET clause forbids it).
    const functions = await rows<{ proname: string; config: string[] | null; standard: boolean }>(
      `SELECT p.proname, p.proconfig AS config, p.prosqlbody IS NOT NULL AS standard
       FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace
         AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
       ORDER BY p.proname`,
    );
    expect(functions.length).toBeGreaterThan(10);
    const unpinned = functions.filter(
      (f) => !f.standard && !(f.config ?? []).includes('search_path=pg_catalog, public'),
    );
    expect(unpinned.map((f) => f.proname)).toEqual([]);
    // A pinned search_path is exactly that one, wherever it is set.
    const otherPaths = functions.filter((f) =>
      (f.config ?? []).some(
        (setting) => setting.startsWith('search_path=') && setting !== 'search_path=pg_catalog, public',
      ),
    );
    expect(otherPaths.map((f) => f.proname)).toEqual([]);
  });
});
