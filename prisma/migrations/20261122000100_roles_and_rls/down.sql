DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['users','listings','scoring_profiles','valuation_rulesets','api_keys','collections',
                           'collection_items','collection_shares','audit_events','webhook_events','tenant_settings']
  LOOP
    EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
    EXECUTE format('REVOKE ALL ON %I FROM app_user, app_admin, app_sync', t);
  END LOOP;
END
$$;

DROP POLICY IF EXISTS "users_self_select" ON "users";
DROP POLICY IF EXISTS "users_self_update" ON "users";
DROP POLICY IF EXISTS "users_admin_all" ON "users";
DROP POLICY IF EXISTS "users_sync_all" ON "users";
DROP POLICY IF EXISTS "listings_owner_all" ON "listings";
DROP POLICY IF EXISTS "listings_shared_select" ON "listings";
DROP POLICY IF EXISTS "listings_admin_all" ON "listings";
DROP POLICY IF EXISTS "scoring_profiles_owner_all" ON "scoring_profiles";
DROP POLICY IF EXISTS "scoring_profiles_admin_all" ON "scoring_profiles";
DROP POLICY IF EXISTS "valuation_rulesets_owner_all" ON "valuation_rulesets";
DROP POLICY IF EXISTS "valuation_rulesets_admin_all" ON "valuation_rulesets";
DROP POLICY IF EXISTS "api_keys_owner_all" ON "api_keys";
DROP POLICY IF EXISTS "api_keys_admin_all" ON "api_keys";
DROP POLICY IF EXISTS "collections_owner_all" ON "collections";
DROP POLICY IF EXISTS "collections_shared_select" ON "collections";
DROP POLICY IF EXISTS "collections_admin_all" ON "collections";
DROP POLICY IF EXISTS "collection_items_owner_all" ON "collection_items";
DROP POLICY IF EXISTS "collection_items_shared_select" ON "collection_items";
DROP POLICY IF EXISTS "collection_items_shared_insert" ON "collection_items";
DROP POLICY IF EXISTS "collection_items_shared_update" ON "collection_items";
DROP POLICY IF EXISTS "collection_items_shared_delete" ON "collection_items";
DROP POLICY IF EXISTS "collection_items_admin_all" ON "collection_items";
DROP TRIGGER IF EXISTS "collection_items_listing_visible" ON "collection_items";
DROP FUNCTION IF EXISTS "collection_items_check_listing_visible"();
DROP POLICY IF EXISTS "collection_shares_owner_all" ON "collection_shares";
DROP POLICY IF EXISTS "collection_shares_grantee_select" ON "collection_shares";
DROP POLICY IF EXISTS "collection_shares_grantee_delete" ON "collection_shares";
DROP POLICY IF EXISTS "collection_shares_admin_all" ON "collection_shares";
DROP POLICY IF EXISTS "audit_events_subject_select" ON "audit_events";
DROP POLICY IF EXISTS "audit_events_self_insert" ON "audit_events";
DROP POLICY IF EXISTS "audit_events_admin_select" ON "audit_events";
DROP POLICY IF EXISTS "audit_events_admin_insert" ON "audit_events";
DROP POLICY IF EXISTS "audit_events_sync_insert" ON "audit_events";
DROP POLICY IF EXISTS "webhook_events_sync_all" ON "webhook_events";
DROP POLICY IF EXISTS "webhook_events_admin_select" ON "webhook_events";
DROP POLICY IF EXISTS "tenant_settings_user_select" ON "tenant_settings";
DROP POLICY IF EXISTS "tenant_settings_admin_all" ON "tenant_settings";

REVOKE USAGE ON SCHEMA public FROM app_user, app_admin, app_sync;
DROP FUNCTION IF EXISTS "app_shared_collection_ids"(BOOLEAN);
DROP FUNCTION IF EXISTS "app_current_user_id"();
