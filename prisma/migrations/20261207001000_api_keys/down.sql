-- Undoes 20261207001000_api_keys (keys it removed as unusable stay removed).
DROP FUNCTION IF EXISTS "app_api_key_for_prefix"(TEXT);
DROP POLICY IF EXISTS "api_keys_definer_select" ON "api_keys";

REVOKE UPDATE ON "api_keys" FROM app_user;
GRANT UPDATE ON "api_keys" TO app_user;

ALTER TABLE "api_keys" DROP CONSTRAINT IF EXISTS "api_keys_hash_format";
ALTER TABLE "api_keys" DROP CONSTRAINT IF EXISTS "api_keys_prefix_format";
ALTER TABLE "api_keys" DROP CONSTRAINT IF EXISTS "api_keys_scopes_valid";
ALTER TABLE "api_keys" DROP CONSTRAINT IF EXISTS "api_keys_name_length";
ALTER TABLE "api_keys" ALTER COLUMN "scopes" DROP NOT NULL;
