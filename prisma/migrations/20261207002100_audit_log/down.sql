-- Undoes 20261207002100_audit_log.
DROP POLICY "audit_events_owner_prune_delete" ON "audit_events";
DROP POLICY "audit_events_owner_prune_select" ON "audit_events";
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events"("actor_id");
DROP INDEX "audit_events_actor_id_created_at_id_idx";
DROP INDEX "audit_events_type_created_at_id_idx";
