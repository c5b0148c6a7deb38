-- Undoes 20261207003100_least_privilege. The cluster role app_auth stays (prisma/bootstrap/roles.sql owns it,
-- and other databases of the cluster may use it); this database grants it nothing any more.
GRANT EXECUTE ON FUNCTION "collection_items_check_listing_visible"() TO PUBLIC;
ALTER FUNCTION "collection_items_check_listing_visible"() RESET search_path;

CREATE OR REPLACE FUNCTION "app_shared_collection_ids"(editable_only BOOLEAN DEFAULT false) RETURNS SETOF UUID
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT collection_id FROM collection_shares
    WHERE grantee_id = (SELECT app_current_user_id())
      AND (NOT editable_only OR permission = 'EDIT')
  $$;

CREATE OR REPLACE FUNCTION "app_current_user_id"() RETURNS UUID
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.current_user_id', true), '')::uuid $$;

REVOKE EXECUTE ON FUNCTION "app_api_key_for_prefix"(TEXT) FROM app_auth;
GRANT EXECUTE ON FUNCTION "app_api_key_for_prefix"(TEXT) TO app_sync;
DROP POLICY "users_auth_select" ON "users";
REVOKE SELECT ON "users" FROM app_auth;
REVOKE USAGE ON SCHEMA public FROM app_auth;

REVOKE INSERT, UPDATE ON "users" FROM app_sync;
GRANT INSERT, UPDATE ON "users" TO app_sync;
