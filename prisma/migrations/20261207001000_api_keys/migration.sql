-- Personal API keys (issue 11, part 4). The table exists since the init migration; this adds what
-- the design needs (docs/api-keys.md, docs/decisions/0052-personal-api-keys.md):
--   * the shape of a row, as the server writes it: a trimmed name of 1 to 100 characters, at least
--     one scope out of READ and WRITE, the public prefix dbk_ + 8 base32 characters, and the
--     SHA-256 of the secret as 64 hex digits (the secret itself is never stored);
--   * app_user may change a key's name, revocation and last use, never its owner, prefix, hash,
--     scopes or expiry;
--   * app_api_key_for_prefix: the per-request lookup of a key by its prefix, joined with its
--     owner's access, for app_sync (which reads no api_keys otherwise) in one round trip.

-- The table forces RLS even on its owner, and the clean-up below must see every row.
ALTER TABLE "api_keys" NO FORCE ROW LEVEL SECURITY;

-- No code wrote keys before this migration, so a row that breaks the new rules could never have
-- authenticated anyone: it goes.
DELETE FROM "api_keys"
WHERE "scopes" IS NULL OR cardinality("scopes") = 0 OR NOT ("scopes" <@ ARRAY['READ', 'WRITE']::text[])
   OR "prefix" !~ '^dbk_[a-z2-7]{8}$' OR "hash" !~ '^[0-9a-f]{64}$'
   OR char_length("name") NOT BETWEEN 1 AND 100 OR "name" <> btrim("name");

ALTER TABLE "api_keys" ALTER COLUMN "scopes" SET NOT NULL;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_name_length"
  CHECK (char_length("name") BETWEEN 1 AND 100 AND "name" = btrim("name"));
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_valid"
  CHECK (cardinality("scopes") BETWEEN 1 AND 2 AND "scopes" <@ ARRAY['READ', 'WRITE']::text[]);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_prefix_format" CHECK ("prefix" ~ '^dbk_[a-z2-7]{8}$');
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_hash_format" CHECK ("hash" ~ '^[0-9a-f]{64}$');

-- ── grants: a key's secret parts are fixed once created ─────────────────────────────────────
REVOKE UPDATE ON "api_keys" FROM app_user;
GRANT UPDATE ("name", "last_used_at", "revoked_at") ON "api_keys" TO app_user;

-- ── the lookup on the request path ──────────────────────────────────────────────────────────
-- TO CURRENT_USER: the role running this migration, which owns the function below. The users
-- table's definer policy (users_definer_select) exists since the collections migration.
CREATE POLICY "api_keys_definer_select" ON "api_keys" FOR SELECT TO CURRENT_USER USING (true);

-- The key with this prefix (unique), with its owner's id, Clerk id, role and status: everything
-- authentication needs, in one statement. It answers the hash, not the secret (never stored); the
-- server compares it in constant time. For app_sync only, the role of the per-request lookups.
CREATE FUNCTION "app_api_key_for_prefix"(key_prefix TEXT)
  RETURNS TABLE (
    key_id UUID, hash TEXT, scopes TEXT[], expires_at TIMESTAMPTZ, revoked_at TIMESTAMPTZ,
    owner_id UUID, clerk_id TEXT, role "Role", active BOOLEAN, deleted_at TIMESTAMPTZ
  )
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
    SELECT k.id, k.hash, k.scopes, k.expires_at, k.revoked_at, u.id, u.clerk_id, u.role, u.active, u.deleted_at
    FROM public.api_keys k JOIN public.users u ON u.id = k.owner_id
    WHERE k.prefix = key_prefix
  $$;
REVOKE ALL ON FUNCTION "app_api_key_for_prefix"(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_api_key_for_prefix"(TEXT) TO app_sync;

ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
