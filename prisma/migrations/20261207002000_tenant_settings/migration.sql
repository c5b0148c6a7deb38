-- Issue 12: tenant settings that do something, and the first admin.
--
-- 1. Sign-ups off: just-in-time provisioning and the Clerk webhooks run as app_sync, and must read
--    signupsEnabled before they create a user. app_sync reads the settings (all of them: they are not
--    secret, and the keys are the API's business); it still cannot write them.
GRANT SELECT ON "tenant_settings" TO app_sync;
CREATE POLICY "tenant_settings_sync_select" ON "tenant_settings" FOR SELECT TO app_sync USING (true);

-- 2. `npm run admin:grant -- <email>` runs through the owner connection (the role running this
--    migration). The owner is subject to FORCE ROW LEVEL SECURITY like every role, and reads users
--    already (users_definer_select, since the collections migration). TO CURRENT_USER: it may also
--    change a user row (the command sets role = 'ADMIN') and append an audit event (user.role_changed,
--    in the same transaction). The owner could change any policy anyway; these only let its own
--    statements through, without app_sync (ADR 0057).
CREATE POLICY "users_owner_update" ON "users" FOR UPDATE TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY "audit_events_owner_insert" ON "audit_events" FOR INSERT TO CURRENT_USER WITH CHECK (true);
