-- Undoes 20261207003200_user_privacy (the personal data it cleared from old tombstones stays cleared).
DROP POLICY "collection_items_owner_purge_delete" ON "collection_items";
DROP POLICY "collection_items_owner_purge_select" ON "collection_items";
DROP POLICY "collection_shares_owner_purge_delete" ON "collection_shares";
DROP POLICY "collections_owner_purge_delete" ON "collections";
DROP POLICY "api_keys_owner_purge_delete" ON "api_keys";
DROP POLICY "api_keys_owner_purge_select" ON "api_keys";
DROP POLICY "valuation_rulesets_owner_purge_delete" ON "valuation_rulesets";
DROP POLICY "valuation_rulesets_owner_purge_select" ON "valuation_rulesets";
DROP POLICY "scoring_profiles_owner_purge_delete" ON "scoring_profiles";
DROP POLICY "scoring_profiles_owner_purge_select" ON "scoring_profiles";
DROP POLICY "listings_owner_purge_delete" ON "listings";
DROP POLICY "listings_owner_purge_select" ON "listings";

DROP POLICY "collection_shares_owner_tombstone_delete" ON "collection_shares";
DROP TRIGGER "users_revoke_tombstone_shares" ON "users";
DROP FUNCTION "app_users_revoke_tombstone_shares"();

ALTER TABLE "users" DROP CONSTRAINT "users_tombstone_has_no_personal_data";
DROP TRIGGER "users_clear_tombstone" ON "users";
DROP FUNCTION "app_users_clear_tombstone"();
