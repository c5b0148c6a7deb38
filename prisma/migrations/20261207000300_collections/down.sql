-- Undoes 20261207000300_collections. Shares still waiting for their user cannot exist without a
-- grantee_id and are deleted; notes and positions are dropped.
ALTER TABLE "users" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "collection_items" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "collection_shares" NO FORCE ROW LEVEL SECURITY;

DROP FUNCTION IF EXISTS "app_collection_owners"(UUID[]);
DROP FUNCTION IF EXISTS "app_claim_collection_shares"(UUID);
DROP FUNCTION IF EXISTS "app_user_id_for_verified_email"(TEXT);

DROP POLICY IF EXISTS "collection_shares_definer_bind" ON "collection_shares";
DROP POLICY IF EXISTS "collection_shares_definer_select" ON "collection_shares";
DROP POLICY IF EXISTS "collections_definer_select" ON "collections";
DROP POLICY IF EXISTS "users_definer_select" ON "users";
DROP POLICY IF EXISTS "listings_collection_owner_select" ON "listings";

DELETE FROM "collection_shares" WHERE "grantee_id" IS NULL;
DROP INDEX IF EXISTS "collection_shares_grantee_email_idx";
DROP INDEX IF EXISTS "collection_shares_collection_id_grantee_email_key";
ALTER TABLE "collection_shares" ALTER COLUMN "grantee_id" SET NOT NULL;
ALTER TABLE "collection_shares" DROP CONSTRAINT IF EXISTS "collection_shares_grantee_email_lower_case";
ALTER TABLE "collection_shares" DROP COLUMN "grantee_email";

DROP INDEX IF EXISTS "collection_items_collection_id_position_idx";
ALTER TABLE "collection_items" DROP CONSTRAINT IF EXISTS "collection_items_position_not_negative";
ALTER TABLE "collection_items" DROP COLUMN "position";
ALTER TABLE "collection_items" DROP COLUMN "note";

ALTER TABLE "users" DROP COLUMN "email_verified";

ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
ALTER TABLE "collection_items" FORCE ROW LEVEL SECURITY;
ALTER TABLE "collection_shares" FORCE ROW LEVEL SECURITY;
