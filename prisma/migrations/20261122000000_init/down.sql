DROP TABLE IF EXISTS "tenant_settings", "webhook_events", "audit_events", "api_keys", "collection_shares",
  "collection_items", "collections", "valuation_rulesets", "scoring_profiles", "listings", "users";
DROP TYPE IF EXISTS "WebhookEventStatus", "SharePermission", "ListingCondition", "Role";
