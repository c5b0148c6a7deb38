-- The audit log, read and pruned (issue 12).
--
-- Reading: the admin's log filters by exact type or by actor, newest first, with the id breaking ties
-- (the keyset of the connection); a user's own activity uses the existing (subject_user_id, created_at)
-- index. The (actor_id, …) index supersedes the plain actor_id one (the policy column still leads it).
CREATE INDEX "audit_events_type_created_at_id_idx" ON "audit_events"("type", "created_at" DESC, "id" DESC);
CREATE INDEX "audit_events_actor_id_created_at_id_idx" ON "audit_events"("actor_id", "created_at" DESC, "id" DESC);
DROP INDEX "audit_events_actor_id_idx";

-- Retention (npm run audit:prune): the owner deletes old events through its own connection. The owner is
-- subject to FORCE ROW LEVEL SECURITY and had no policy, so it could neither read nor delete a row; these
-- two give it exactly the rows older than a day (the shortest retention AUDIT_RETENTION_DAYS allows), so
-- not even a mistaken prune can erase what just happened. DELETE … WHERE reads the rows, hence SELECT too.
-- No runtime role gains DELETE: the log stays append-only for app_user, app_admin and app_sync.
-- The policies name the table's owner, whoever runs this migration.
DO $$
DECLARE
  owner_role text := (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_events');
BEGIN
  EXECUTE format(
    'CREATE POLICY "audit_events_owner_prune_select" ON "audit_events" FOR SELECT TO %I '
    'USING ("created_at" < now() - interval ''1 day'')', owner_role);
  EXECUTE format(
    'CREATE POLICY "audit_events_owner_prune_delete" ON "audit_events" FOR DELETE TO %I '
    'USING ("created_at" < now() - interval ''1 day'')', owner_role);
END
$$;
