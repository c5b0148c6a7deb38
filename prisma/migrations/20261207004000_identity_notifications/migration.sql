-- Issue 15: every change that can make a cached identity wrong is announced on channel dealbrain_identity,
-- to every server instance at once (server/src/db/identity-listener.ts, server/src/auth/identity-cache.ts,
-- ADR 0071). NOTIFY is transactional: a change is announced when it commits, never when it rolls back.
-- - users: a change of role, active, deleted_at, clerk_id or id, or a deleted row: {"kind":"user", clerkId, userId}
--   (an instance drops the user and every API key of theirs it holds).
-- - api_keys: a change of revoked_at, expires_at, scopes, hash, owner_id, prefix or id, or a deleted row:
--   {"kind":"api_key", prefix}. last_used_at is not one: it changes once a minute per key in use.
-- - TRUNCATE of either table (no row triggers fire): {"kind":"all"}.
-- These are every column the cached lookups return (users/provision.ts findUserByClerkId, and
-- app_api_key_for_prefix with its owner's row); test/sql/identity-notifications.test.ts checks each.
-- Names, emails and preferences are not announced: no cache holds them.
-- Trigger functions are not checked for EXECUTE when they fire: no role is granted it.
CREATE FUNCTION "app_notify_identity_change"() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('dealbrain_identity', '{"kind":"all"}');
  ELSIF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('dealbrain_identity',
      json_build_object('kind', 'user', 'clerkId', OLD.clerk_id, 'userId', OLD.id)::text);
  ELSE
    PERFORM pg_notify('dealbrain_identity', json_build_object('kind', 'api_key', 'prefix', OLD.prefix)::text);
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION "app_notify_identity_change"() FROM PUBLIC;

CREATE TRIGGER "users_identity_changed" AFTER UPDATE ON "users"
  FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.active IS DISTINCT FROM NEW.active
        OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.clerk_id IS DISTINCT FROM NEW.clerk_id
        OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION "app_notify_identity_change"();
CREATE TRIGGER "users_identity_deleted" AFTER DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION "app_notify_identity_change"();
CREATE TRIGGER "users_identity_truncated" AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "app_notify_identity_change"();

CREATE TRIGGER "api_keys_identity_changed" AFTER UPDATE ON "api_keys"
  FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
        OR OLD.scopes IS DISTINCT FROM NEW.scopes OR OLD.hash IS DISTINCT FROM NEW.hash
        OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.prefix IS DISTINCT FROM NEW.prefix
        OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION "app_notify_identity_change"();
CREATE TRIGGER "api_keys_identity_deleted" AFTER DELETE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION "app_notify_identity_change"();
CREATE TRIGGER "api_keys_identity_truncated" AFTER TRUNCATE ON "api_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION "app_notify_identity_change"();
