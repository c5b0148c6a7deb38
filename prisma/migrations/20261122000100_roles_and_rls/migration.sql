-- Grants and Row Level Security. The roles come from prisma/bootstrap/roles.sql.
-- Default deny: no role has any privilege on a table unless granted here, every table has RLS
-- enabled and forced, and a row is reachable only through a policy written for a named role.
-- Admin access is its own role with its own policies, never a second permissive policy for
-- app_user: that would turn every owner filter into "owner OR admin" and defeat the owner index.

-- The viewer of the current transaction, set transaction-locally by the server. Empty or unset
-- means no one: NULL never equals an owner id, so a query outside the context sees no rows.
CREATE FUNCTION "app_current_user_id"() RETURNS UUID
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.current_user_id', true), '')::uuid $$;

REVOKE ALL ON FUNCTION "app_current_user_id"() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_current_user_id"() TO app_user, app_admin, app_sync;

-- Collections shared with the viewer, optionally only those the viewer may edit. SECURITY INVOKER:
-- it reads collection_shares under the caller's own policies (a grantee sees their own grants).
CREATE FUNCTION "app_shared_collection_ids"(editable_only BOOLEAN DEFAULT false) RETURNS SETOF UUID
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT collection_id FROM collection_shares
    WHERE grantee_id = (SELECT app_current_user_id())
      AND (NOT editable_only OR permission = 'EDIT')
  $$;
REVOKE ALL ON FUNCTION "app_shared_collection_ids"(BOOLEAN) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_shared_collection_ids"(BOOLEAN) TO app_user;

GRANT USAGE ON SCHEMA public TO app_user, app_admin, app_sync;

-- ── users ───────────────────────────────────────────────────────────────────────────────────
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
GRANT SELECT ON "users" TO app_user;
-- A user edits their own profile and preferences; never their role, status or Clerk link.
GRANT UPDATE ("first_name", "last_name", "avatar_url", "preferences", "updated_at") ON "users" TO app_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON "users" TO app_admin;
GRANT SELECT, INSERT, UPDATE ON "users" TO app_sync;
CREATE POLICY "users_self_select" ON "users" FOR SELECT TO app_user
  USING ("id" = (SELECT app_current_user_id()));
CREATE POLICY "users_self_update" ON "users" FOR UPDATE TO app_user
  USING ("id" = (SELECT app_current_user_id())) WITH CHECK ("id" = (SELECT app_current_user_id()));
CREATE POLICY "users_admin_all" ON "users" FOR ALL TO app_admin USING (true) WITH CHECK (true);
CREATE POLICY "users_sync_all" ON "users" FOR ALL TO app_sync USING (true) WITH CHECK (true);

-- ── listings ────────────────────────────────────────────────────────────────────────────────
ALTER TABLE "listings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "listings" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON "listings" TO app_user, app_admin;
CREATE POLICY "listings_owner_all" ON "listings" FOR ALL TO app_user
  USING ("owner_id" = (SELECT app_current_user_id()))
  WITH CHECK ("owner_id" = (SELECT app_current_user_id()));
-- A listing in a collection shared with the viewer is readable.
CREATE POLICY "listings_shared_select" ON "listings" FOR SELECT TO app_user
  USING ("id" IN (
    SELECT ci."listing_id" FROM "collection_items" ci
    WHERE ci."collection_id" IN (SELECT * FROM app_shared_collection_ids())
  ));
CREATE POLICY "listings_admin_all" ON "listings" FOR ALL TO app_admin USING (true) WITH CHECK (true);

-- ── scoring_profiles, valuation_rulesets, api_keys: owner only ──────────────────────────────
ALTER TABLE "scoring_profiles" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "scoring_profiles" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON "scoring_profiles" TO app_user, app_admin;
CREATE POLICY "scoring_profiles_owner_all" ON "scoring_profiles" FOR ALL TO app_user
  USING ("owner_id" = (SELECT app_current_user_id()))
  WITH CHECK ("owner_id" = (SELECT app_current_user_id()));
CREATE POLICY "scoring_profiles_admin_all" ON "scoring_profiles" FOR ALL TO app_admin USING (true) WITH CHECK (true);

ALTER TABLE "valuation_rulesets" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "valuation_rulesets" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON "valuation_rulesets" TO app_user, app_admin;
CREATE POLICY "valuation_rulesets_owner_all" ON "valuation_rulesets" FOR ALL TO app_user
  USING ("owner_id" = (SELECT app_current_user_id()))
  WITH CHECK ("owner_id" = (SELECT app_current_user_id()));
CREATE POLICY "valuation_rulesets_admin_all" ON "valuation_rulesets" FOR ALL TO app_admin USING (true) WITH CHECK (true);

ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON "api_keys" TO app_user, app_admin;
CREATE POLICY "api_keys_owner_all" ON "api_keys" FOR ALL TO app_user
  USING ("owner_id" = (SELECT app_current_user_id()))
  WITH CHECK ("owner_id" = (SELECT app_current_user_id()));
CREATE POLICY "api_keys_admin_all" ON "api_keys" FOR ALL TO app_admin USING (true) WITH CHECK (true);

-- ── collections ─────────────────────────────────────────────────────────────────────────────
ALTER TABLE "collections" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "collections" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON "collections" TO app_user, app_admin;
CREATE POLICY "collections_owner_all" ON "collections" FOR ALL TO app_user
  USING ("owner_id" = (SELECT app_current_user_id()))
  WITH CHECK ("owner_id" = (SELECT app_current_user_id()));
CREATE POLICY "collections_shared_select" ON "collections" FOR SELECT TO app_user
  USING ("id" IN (SELECT * FROM app_shared_collection_ids()));
CREATE POLICY "collections_admin_all" ON "collections" FOR ALL TO app_admin USING (true) WITH CHECK (true);

-- ── collection_items (owner_id = the collection's owner, pinned by a composite foreign key) ──
ALTER TABLE "collection_items" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "collection_items" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON "collection_items" TO app_user, app_admin;
CREATE POLICY "collection_items_owner_all" ON "collection_items" FOR ALL TO app_user
  USING ("owner_id" = (SELECT app_current_user_id()))
  WITH CHECK ("owner_id" = (SELECT app_current_user_id()));
CREATE POLICY "collection_items_shared_select" ON "collection_items" FOR SELECT TO app_user
  USING ("collection_id" IN (SELECT * FROM app_shared_collection_ids()));
CREATE POLICY "collection_items_shared_insert" ON "collection_items" FOR INSERT TO app_user
  WITH CHECK ("collection_id" IN (SELECT * FROM app_shared_collection_ids(true)));
CREATE POLICY "collection_items_shared_update" ON "collection_items" FOR UPDATE TO app_user
  USING ("collection_id" IN (SELECT * FROM app_shared_collection_ids(true)))
  WITH CHECK ("collection_id" IN (SELECT * FROM app_shared_collection_ids(true)));
CREATE POLICY "collection_items_shared_delete" ON "collection_items" FOR DELETE TO app_user
  USING ("collection_id" IN (SELECT * FROM app_shared_collection_ids(true)));
CREATE POLICY "collection_items_admin_all" ON "collection_items" FOR ALL TO app_admin USING (true) WITH CHECK (true);

-- Foreign-key checks do not see RLS, so without this an item could point at a listing its author
-- cannot see and reveal it to everyone the collection is shared with. A listing enters a collection
-- only by its owner's hand: it must be visible to the caller AND belong to the collection's owner or
-- to the caller. Otherwise a grantee could re-share a listing shared with them (through their own
-- collection, or by moving a contributed item), and it would stay shared after its owner revoked
-- them. Checked on moves (collection_id) too. Runs as the caller.
CREATE FUNCTION "collection_items_check_listing_visible"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM listings
    WHERE id = NEW.listing_id AND owner_id IN (NEW.owner_id, (SELECT app_current_user_id()))
  ) THEN
    RAISE EXCEPTION 'listing % not found', NEW.listing_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "collection_items_listing_visible"
  BEFORE INSERT OR UPDATE OF "listing_id", "collection_id" ON "collection_items"
  FOR EACH ROW EXECUTE FUNCTION "collection_items_check_listing_visible"();

-- ── collection_shares (owner_id = the collection's owner, pinned by a composite foreign key) ─
ALTER TABLE "collection_shares" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "collection_shares" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON "collection_shares" TO app_user, app_admin;
CREATE POLICY "collection_shares_owner_all" ON "collection_shares" FOR ALL TO app_user
  USING ("owner_id" = (SELECT app_current_user_id()))
  WITH CHECK ("owner_id" = (SELECT app_current_user_id()));
-- A grantee sees their own grants and may leave a share.
CREATE POLICY "collection_shares_grantee_select" ON "collection_shares" FOR SELECT TO app_user
  USING ("grantee_id" = (SELECT app_current_user_id()));
CREATE POLICY "collection_shares_grantee_delete" ON "collection_shares" FOR DELETE TO app_user
  USING ("grantee_id" = (SELECT app_current_user_id()));
CREATE POLICY "collection_shares_admin_all" ON "collection_shares" FOR ALL TO app_admin USING (true) WITH CHECK (true);

-- ── audit_events: append-only ───────────────────────────────────────────────────────────────
ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON "audit_events" TO app_user, app_admin;
GRANT INSERT ON "audit_events" TO app_sync;
CREATE POLICY "audit_events_subject_select" ON "audit_events" FOR SELECT TO app_user
  USING ("subject_user_id" = (SELECT app_current_user_id()));
-- A user records only events about themselves, in their own name.
CREATE POLICY "audit_events_self_insert" ON "audit_events" FOR INSERT TO app_user
  WITH CHECK ("actor_id" = (SELECT app_current_user_id()) AND "subject_user_id" = (SELECT app_current_user_id()));
CREATE POLICY "audit_events_admin_select" ON "audit_events" FOR SELECT TO app_admin USING (true);
CREATE POLICY "audit_events_admin_insert" ON "audit_events" FOR INSERT TO app_admin
  WITH CHECK ("actor_id" = (SELECT app_current_user_id()));
CREATE POLICY "audit_events_sync_insert" ON "audit_events" FOR INSERT TO app_sync WITH CHECK (true);

-- ── webhook_events: the sync role's ledger ──────────────────────────────────────────────────
ALTER TABLE "webhook_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "webhook_events" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON "webhook_events" TO app_sync;
GRANT SELECT ON "webhook_events" TO app_admin;
CREATE POLICY "webhook_events_sync_all" ON "webhook_events" FOR ALL TO app_sync USING (true) WITH CHECK (true);
CREATE POLICY "webhook_events_admin_select" ON "webhook_events" FOR SELECT TO app_admin USING (true);

-- ── tenant_settings: everyone signed in reads, admins write ─────────────────────────────────
ALTER TABLE "tenant_settings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_settings" FORCE ROW LEVEL SECURITY;
GRANT SELECT ON "tenant_settings" TO app_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON "tenant_settings" TO app_admin;
-- Signed-in viewers only: app_user without a viewer reads nothing (fail closed).
CREATE POLICY "tenant_settings_user_select" ON "tenant_settings" FOR SELECT TO app_user
  USING ((SELECT app_current_user_id()) IS NOT NULL);
CREATE POLICY "tenant_settings_admin_all" ON "tenant_settings" FOR ALL TO app_admin USING (true) WITH CHECK (true);

-- The migration bookkeeping is the owner's alone.
REVOKE ALL ON "_prisma_migrations" FROM PUBLIC;
