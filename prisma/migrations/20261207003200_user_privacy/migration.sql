-- Issue 13, finding 6: a deleted user's personal data goes at once; what they owned goes after a grace period.
--
-- 1. A tombstone holds no personal data. user.deleted (app_sync) keeps the row, so a late user.created or
--    user.updated cannot bring the account back (the sync skips a deleted row), but from now on the row keeps
--    only id, clerk_id, role, active, deleted_at and the timestamps. The trigger clears email, email_verified,
--    first_name, last_name, avatar_url and preferences on every write of a deleted row, whichever role or path
--    writes it (so the clearing needs no column grant of its own), and the CHECK states the invariant.
--    Trigger functions are not checked for EXECUTE when they fire: no role is granted it.
CREATE FUNCTION "app_users_clear_tombstone"() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
BEGIN
  IF NEW.deleted_at IS NOT NULL THEN
    NEW.email := NULL;
    NEW.email_verified := false;
    NEW.first_name := NULL;
    NEW.last_name := NULL;
    NEW.avatar_url := NULL;
    NEW.preferences := '{}'::jsonb;
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION "app_users_clear_tombstone"() FROM PUBLIC;

CREATE TRIGGER "users_clear_tombstone" BEFORE INSERT OR UPDATE ON "users"
  FOR EACH ROW EXECUTE FUNCTION "app_users_clear_tombstone"();

-- Tombstones written before this migration kept everything: clear them now (the owner may update users:
-- users_owner_update, migration 20261207002000). Not undone by down.sql: the data is gone.
UPDATE "users"
SET "email" = NULL, "email_verified" = false, "first_name" = NULL, "last_name" = NULL, "avatar_url" = NULL,
    "preferences" = '{}'::jsonb
WHERE "deleted_at" IS NOT NULL;

ALTER TABLE "users" ADD CONSTRAINT "users_tombstone_has_no_personal_data" CHECK (
  "deleted_at" IS NULL OR (
    "email" IS NULL AND NOT "email_verified" AND "first_name" IS NULL AND "last_name" IS NULL
    AND "avatar_url" IS NULL AND "preferences" = '{}'::jsonb
  )
);

-- 2. A deleted user shares nothing and is shared nothing, at once: their grantees stop reading their
--    collections (and the listings in them) when the account is deleted, not when the purge runs, and
--    shares granted to them go too. app_sync, which writes the tombstone, has no right on collection_shares:
--    the trigger runs with its owner's rights (SECURITY DEFINER, pinned search_path, no EXECUTE grant: a
--    trigger function is not checked for EXECUTE when it fires), and the owner, subject to FORCE ROW LEVEL
--    SECURITY, may delete exactly the shares of deleted users (the policy below).
CREATE FUNCTION "app_users_revoke_tombstone_shares"() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
BEGIN
  DELETE FROM public.collection_shares WHERE owner_id = NEW.id OR grantee_id = NEW.id;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION "app_users_revoke_tombstone_shares"() FROM PUBLIC;

CREATE TRIGGER "users_revoke_tombstone_shares" AFTER UPDATE OF "deleted_at" ON "users"
  FOR EACH ROW WHEN (NEW."deleted_at" IS NOT NULL AND OLD."deleted_at" IS NULL)
  EXECUTE FUNCTION "app_users_revoke_tombstone_shares"();

CREATE POLICY "collection_shares_owner_tombstone_delete" ON "collection_shares" FOR DELETE TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" IS NOT NULL)
      OR "grantee_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" IS NOT NULL));

-- 3. `npm run users:purge` deletes what long-deleted users owned, through the owner connection (like
--    admin:grant and audit:prune: ADRs 0057, 0059, 0065). The owner is subject to FORCE ROW LEVEL SECURITY;
--    these policies let it read and delete exactly the rows of users deleted more than a day ago (the
--    shortest USER_PURGE_AFTER_DAYS), so not even a mistaken purge can touch a live account's data. It reads
--    users, collections and collection_shares already (the *_definer_select policies). No runtime role gains
--    anything. The owner's collection_items rows: the items in the user's collections, and the user's
--    listings in other people's collections (contributions through an EDIT share).
CREATE POLICY "listings_owner_purge_select" ON "listings" FOR SELECT TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "listings_owner_purge_delete" ON "listings" FOR DELETE TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "scoring_profiles_owner_purge_select" ON "scoring_profiles" FOR SELECT TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "scoring_profiles_owner_purge_delete" ON "scoring_profiles" FOR DELETE TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "valuation_rulesets_owner_purge_select" ON "valuation_rulesets" FOR SELECT TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "valuation_rulesets_owner_purge_delete" ON "valuation_rulesets" FOR DELETE TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "api_keys_owner_purge_select" ON "api_keys" FOR SELECT TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "api_keys_owner_purge_delete" ON "api_keys" FOR DELETE TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "collections_owner_purge_delete" ON "collections" FOR DELETE TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "collection_shares_owner_purge_delete" ON "collection_shares" FOR DELETE TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day')
      OR "grantee_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "collection_items_owner_purge_select" ON "collection_items" FOR SELECT TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day')
      OR "listing_id" IN (SELECT l."id" FROM "listings" l JOIN "users" u ON u."id" = l."owner_id"
                          WHERE u."deleted_at" < now() - interval '1 day'));
CREATE POLICY "collection_items_owner_purge_delete" ON "collection_items" FOR DELETE TO CURRENT_USER
  USING ("owner_id" IN (SELECT u."id" FROM "users" u WHERE u."deleted_at" < now() - interval '1 day')
      OR "listing_id" IN (SELECT l."id" FROM "listings" l JOIN "users" u ON u."id" = l."owner_id"
                          WHERE u."deleted_at" < now() - interval '1 day'));
