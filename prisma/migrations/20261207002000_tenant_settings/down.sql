DROP POLICY IF EXISTS "audit_events_owner_insert" ON "audit_events";
DROP POLICY IF EXISTS "users_owner_update" ON "users";
DROP POLICY IF EXISTS "tenant_settings_sync_select" ON "tenant_settings";
REVOKE SELECT ON "tenant_settings" FROM app_sync;
