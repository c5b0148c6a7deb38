-- Issue 13, finding 5: least privilege (ADR 0064).
--
-- 0. app_auth, the role of the per-request viewer lookup, is a cluster role from prisma/bootstrap/roles.sql
--    (npm run db:migrate and the test setup apply it before migrating). The migration role usually may not
--    create roles; when it may, it creates app_auth here, otherwise it stops with what to do.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_auth') THEN
    IF NOT (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      RAISE EXCEPTION 'role app_auth is missing: run prisma/bootstrap/roles.sql on this cluster (as a role with CREATEROLE), then migrate again';
    END IF;
    CREATE ROLE app_auth NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT pg_has_role('authenticator', 'app_auth', 'MEMBER') THEN
    IF NOT (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      RAISE EXCEPTION 'authenticator is not a member of app_auth: run prisma/bootstrap/roles.sql on this cluster, then migrate again';
    END IF;
    GRANT app_auth TO authenticator;
  END IF;
END
$$;

-- 1. app_sync (webhooks, just-in-time provisioning, the profile writer) writes users only through the
--    columns those paths write. Never role: only the admin path (app_admin, npm run admin:grant through the
--    owner) changes a role, so a Clerk event, a provisioning bug or an injected statement in the sync path
--    cannot make anyone an admin. Not clerk_id on UPDATE (a row's Clerk link never changes), nor
--    preferences (the user's own; a tombstone's are cleared by a trigger, which needs no grant).
--    SELECT stays whole-table: the ON CONFLICT guards and provisioning read the row back.
REVOKE INSERT, UPDATE ON "users" FROM app_sync;
GRANT INSERT ("clerk_id", "email", "email_verified", "first_name", "last_name", "avatar_url", "active",
              "deleted_at", "last_sign_in_at", "clerk_updated_at", "updated_at") ON "users" TO app_sync;
GRANT UPDATE ("email", "email_verified", "first_name", "last_name", "avatar_url", "active",
              "deleted_at", "last_sign_in_at", "clerk_updated_at", "updated_at") ON "users" TO app_sync;

-- 2. The viewer lookup of every request runs as app_auth, read-only: the five columns that decide who the
--    caller is and whether they may act (users.id, clerk_id, role, active, deleted_at), and the API key
--    lookup function. No write privilege anywhere, no personal data. app_sync no longer runs the lookup.
GRANT USAGE ON SCHEMA public TO app_auth;
GRANT SELECT ("id", "clerk_id", "role", "active", "deleted_at") ON "users" TO app_auth;
CREATE POLICY "users_auth_select" ON "users" FOR SELECT TO app_auth USING (true);
REVOKE EXECUTE ON FUNCTION "app_api_key_for_prefix"(TEXT) FROM app_sync;
GRANT EXECUTE ON FUNCTION "app_api_key_for_prefix"(TEXT) TO app_auth;

-- 3. No function depends on its caller's search_path. A function with a string body is parsed at every call
--    under the search_path in force: it pins its own (SET search_path = pg_catalog, public). A function with
--    a SQL-standard body (RETURN … or BEGIN ATOMIC … END) is parsed once, when created, its names bound to
--    objects then: no search_path applies at call time, and it stays inlinable, which a SET clause would
--    forbid (the scoring and valuation-words functions, and these two, which the policies inline).
--    test/sql/database-lint.test.ts fails for any function that is neither.
CREATE OR REPLACE FUNCTION "app_current_user_id"() RETURNS UUID
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN nullif(pg_catalog.current_setting('app.current_user_id', true), '')::uuid;

CREATE OR REPLACE FUNCTION "app_shared_collection_ids"(editable_only BOOLEAN DEFAULT false) RETURNS SETOF UUID
  LANGUAGE sql STABLE PARALLEL SAFE
  BEGIN ATOMIC
    SELECT s.collection_id FROM public.collection_shares s
    WHERE s.grantee_id = (SELECT public.app_current_user_id())
      AND (NOT editable_only OR s.permission = 'EDIT');
  END;

ALTER FUNCTION "collection_items_check_listing_visible"() SET search_path = pg_catalog, public;
-- A trigger function is not checked for EXECUTE when it fires, and nobody calls it otherwise: PUBLIC loses the
-- default EXECUTE, as every other function here has.
REVOKE EXECUTE ON FUNCTION "collection_items_check_listing_visible"() FROM PUBLIC;
