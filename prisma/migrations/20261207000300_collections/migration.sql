-- Collections with ordered, annotated items, shared by email (issue 9, part 4).
--
-- Sharing by email without an enumeration oracle: a share names an address. When a user with that
-- VERIFIED address exists, the share is bound to them at once (grantee_id); otherwise it waits,
-- unbound, and is bound when such a user appears (the Clerk webhook's user sync calls
-- app_claim_collection_shares). The policies key on grantee_id, so an unbound share grants
-- nothing, and the API answers both cases identically.
--
-- Once bound, a share follows the account, not the address: a later change of the user's email,
-- or the address becoming unverified, leaves it bound. The owner shared with a person; unbinding
-- on an email change would silently take access away from them (and rebinding to whoever takes
-- over the old address would hand it to someone else). The owner revokes a share to end it.
--
-- The runtime roles cannot read other users' rows, so three narrow SECURITY DEFINER functions do
-- what needs it. They run as the migration role, which these tables' forced RLS binds too: each
-- reads through a policy written for it (TO CURRENT_USER below), never the tables at large.

-- The tables force RLS even on their owner, and the data changes below must see every row.
-- Forced again at the end of this migration.
ALTER TABLE "users" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "collection_items" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "collection_shares" NO FORCE ROW LEVEL SECURITY;

-- ── users: is the primary address verified (Clerk's verification.status) ────────────────────
-- Unknown for existing rows: false until the next user.created/user.updated says otherwise.
ALTER TABLE "users" ADD COLUMN "email_verified" BOOLEAN NOT NULL DEFAULT false;

-- ── collection_items: a note, and a 0-based position in the collection's order ──────────────
ALTER TABLE "collection_items" ADD COLUMN "note" TEXT;
ALTER TABLE "collection_items" ADD COLUMN "position" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "collection_items" ADD CONSTRAINT "collection_items_position_not_negative" CHECK ("position" >= 0);
UPDATE "collection_items" ci SET "position" = ordered.n
FROM (
  SELECT "id", (row_number() OVER (PARTITION BY "collection_id" ORDER BY "created_at", "id") - 1)::int AS n
  FROM "collection_items"
) ordered
WHERE ordered."id" = ci."id";
CREATE INDEX "collection_items_collection_id_position_idx" ON "collection_items"("collection_id", "position");

-- ── collection_shares: made to an address; bound to a user when one has it, verified ────────
ALTER TABLE "collection_shares" ADD COLUMN "grantee_email" TEXT;
-- Existing shares were made to users: their address, or (a user without one) a placeholder in the
-- reserved .invalid domain that no one can ever verify. They stay bound either way.
UPDATE "collection_shares" s
SET "grantee_email" = coalesce(lower(u."email"), 'user-' || u."id" || '@unknown.invalid')
FROM "users" u
WHERE u."id" = s."grantee_id";
ALTER TABLE "collection_shares" ALTER COLUMN "grantee_email" SET NOT NULL;
ALTER TABLE "collection_shares" ADD CONSTRAINT "collection_shares_grantee_email_lower_case"
  CHECK ("grantee_email" = lower("grantee_email"));
ALTER TABLE "collection_shares" ALTER COLUMN "grantee_id" DROP NOT NULL;
-- (collection_id, grantee_id) stays unique: nulls are distinct, so any number may wait.
CREATE UNIQUE INDEX "collection_shares_collection_id_grantee_email_key"
  ON "collection_shares"("collection_id", "grantee_email");
CREATE INDEX "collection_shares_grantee_email_idx" ON "collection_shares"("grantee_email");

-- ── listings: "owner included" ──────────────────────────────────────────────────────────────
-- A listing an EDIT grantee adds to a collection becomes readable to everyone who can read the
-- collection: its grantees through listings_shared_select, its owner through this policy.
-- Removing the item ends it. collection_items.owner_id is the collection's owner.
CREATE POLICY "listings_collection_owner_select" ON "listings" FOR SELECT TO app_user
  USING ("id" IN (
    SELECT ci."listing_id" FROM "collection_items" ci
    WHERE ci."owner_id" = (SELECT app_current_user_id())
  ));

-- ── what the SECURITY DEFINER functions below may read and write ────────────────────────────
-- TO CURRENT_USER: the role running this migration, which owns the functions.
CREATE POLICY "users_definer_select" ON "users" FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY "collections_definer_select" ON "collections" FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY "collection_shares_definer_select" ON "collection_shares" FOR SELECT TO CURRENT_USER USING (true);
-- Binding is the only change: an unbound share gets its grantee.
CREATE POLICY "collection_shares_definer_bind" ON "collection_shares" FOR UPDATE TO CURRENT_USER
  USING ("grantee_id" IS NULL) WITH CHECK ("grantee_id" IS NOT NULL);

-- The one live user whose verified address is `address`, or NULL: none, or (never expected, Clerk
-- keeps addresses unique) several. For an owner sharing a collection (app_user, or app_admin for an
-- admin's own collections): the answer never reaches the client, which gets the same response
-- either way.
CREATE FUNCTION "app_user_id_for_verified_email"(address TEXT) RETURNS UUID
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
    SELECT CASE WHEN count(*) = 1 THEN (array_agg(m.id))[1] END
    FROM (
      SELECT u.id FROM public.users u
      WHERE u.email = lower(btrim(address)) AND u.email_verified AND u.deleted_at IS NULL
      LIMIT 2
    ) m
  $$;
REVOKE ALL ON FUNCTION "app_user_id_for_verified_email"(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_user_id_for_verified_email"(TEXT) TO app_user, app_admin;

-- Binds the shares waiting for `claimant`'s verified address to them; answers how many. Reads the
-- address itself (never a caller's word for it), and does nothing unless that address is verified
-- and no other live user holds it too. A share of the claimant's own collection, or of a
-- collection the claimant already has a share of (bound under another address), stays unbound.
-- For app_sync, in the transaction of the webhook's user sync.
CREATE FUNCTION "app_claim_collection_shares"(claimant UUID) RETURNS INTEGER
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  address TEXT;
  claimed INTEGER;
BEGIN
  SELECT u.email INTO address FROM public.users u
  WHERE u.id = claimant AND u.email_verified AND u.deleted_at IS NULL;
  IF address IS NULL OR public.app_user_id_for_verified_email(address) IS DISTINCT FROM claimant THEN
    RETURN 0;
  END IF;
  UPDATE public.collection_shares s SET grantee_id = claimant
  WHERE s.grantee_id IS NULL
    AND s.grantee_email = lower(address)
    AND s.owner_id <> claimant
    AND NOT EXISTS (
      SELECT 1 FROM public.collection_shares bound
      WHERE bound.collection_id = s.collection_id AND bound.grantee_id = claimant
    );
  GET DIAGNOSTICS claimed = ROW_COUNT;
  RETURN claimed;
END
$$;
REVOKE ALL ON FUNCTION "app_claim_collection_shares"(UUID) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_claim_collection_shares"(UUID) TO app_sync;

-- The owners of the given collections, for those the viewer owns or holds a bound share of
-- (Collection.ownerName: a grantee may know whose collection it is; the rest of the owner's row
-- stays theirs). Admins read users through their own policies and do not need it.
CREATE FUNCTION "app_collection_owners"(collection_ids UUID[])
  RETURNS TABLE (collection_id UUID, first_name TEXT, last_name TEXT, email TEXT)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
    SELECT c.id, u.first_name, u.last_name, u.email
    FROM public.collections c JOIN public.users u ON u.id = c.owner_id
    WHERE c.id = ANY (collection_ids)
      AND (
        c.owner_id = (SELECT public.app_current_user_id())
        OR EXISTS (
          SELECT 1 FROM public.collection_shares s
          WHERE s.collection_id = c.id AND s.grantee_id = (SELECT public.app_current_user_id())
        )
      )
  $$;
REVOKE ALL ON FUNCTION "app_collection_owners"(UUID[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_collection_owners"(UUID[]) TO app_user;

ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
ALTER TABLE "collection_items" FORCE ROW LEVEL SECURITY;
ALTER TABLE "collection_shares" FORCE ROW LEVEL SECURITY;
