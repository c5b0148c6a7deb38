-- Undoes 20261207004000_identity_notifications.
DROP TRIGGER IF EXISTS "api_keys_identity_truncated" ON "api_keys";
DROP TRIGGER IF EXISTS "api_keys_identity_deleted" ON "api_keys";
DROP TRIGGER IF EXISTS "api_keys_identity_changed" ON "api_keys";
DROP TRIGGER IF EXISTS "users_identity_truncated" ON "users";
DROP TRIGGER IF EXISTS "users_identity_deleted" ON "users";
DROP TRIGGER IF EXISTS "users_identity_changed" ON "users";
DROP FUNCTION IF EXISTS "app_notify_identity_change"();
