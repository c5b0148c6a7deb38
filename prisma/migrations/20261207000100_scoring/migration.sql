-- Scoring profiles (issue 9): at most one default per user, weights always a JSON object, and
-- app_listing_score(), the SQL mirror of server/src/modules/scoring/score.ts that orders listings
-- by score. The definition is docs/scoring.md; test/sql/scoring-sql.test.ts holds the SQL and the
-- TypeScript to agreement within 1e-9 over a generated corpus, so change both together.

-- ── data the new constraints would refuse ───────────────────────────────────────────────────
-- Weights that are not an object carry no usable weight: they become the empty object.
UPDATE "scoring_profiles" SET "weights" = '{}' WHERE jsonb_typeof("weights") <> 'object';
-- One default per owner: keep the most recently updated one.
UPDATE "scoring_profiles" p SET "is_default" = false
WHERE p."is_default" AND EXISTS (
  SELECT 1 FROM "scoring_profiles" o
  WHERE o."owner_id" = p."owner_id" AND o."is_default" AND (o."updated_at", o."id") > (p."updated_at", p."id")
);
-- An owner with profiles but no default gets one: the most recently updated (as the API does on delete).
UPDATE "scoring_profiles" SET "is_default" = true
WHERE "id" IN (
  SELECT DISTINCT ON ("owner_id") "id" FROM "scoring_profiles" p
  WHERE NOT EXISTS (SELECT 1 FROM "scoring_profiles" d WHERE d."owner_id" = p."owner_id" AND d."is_default")
  ORDER BY "owner_id", "updated_at" DESC, "id" DESC
);

-- ── constraints ─────────────────────────────────────────────────────────────────────────────
ALTER TABLE "scoring_profiles" ADD CONSTRAINT "scoring_profiles_weights_object"
  CHECK (jsonb_typeof("weights") = 'object');
-- At most one default per owner. "At least one while any profile exists" is the API's rule
-- (server/src/modules/scoring/scoring-profile-mutations.ts): the first profile is the default, and
-- deleting the default promotes another in the same transaction.
CREATE UNIQUE INDEX "scoring_profiles_owner_id_default_key" ON "scoring_profiles" ("owner_id") WHERE "is_default";

-- ── the score in SQL ────────────────────────────────────────────────────────────────────────
-- LANGUAGE sql with a SQL-standard body (RETURN …), IMMUTABLE, no SET clause: the planner inlines
-- such a function into the calling query (ORDER BY app_listing_score(l.price, …, p.weights)), so
-- each row costs an expression, not a function call. A SET search_path clause would forbid
-- inlining. It is also not needed: a SQL-standard body is parsed once, here, with its names
-- resolved to objects (and recorded as dependencies), so the caller's search_path cannot redirect
-- it; names are schema-qualified all the same. Needs PostgreSQL 14 or later.
-- Everything is computed in double precision, in score.ts's order of operations.

-- A weight: a JSON number clamped to 0..100, tiny values (which would underflow a double) 0;
-- missing or not a number: 0.
CREATE FUNCTION public.app_scoring_weight(weights jsonb, attribute text) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN pg_catalog.jsonb_typeof(weights OPERATOR(pg_catalog.->) attribute) IS DISTINCT FROM 'number' THEN 0::double precision
    WHEN (weights OPERATOR(pg_catalog.->) attribute)::numeric OPERATOR(pg_catalog.<) 1e-300 THEN 0::double precision
    ELSE least((weights OPERATOR(pg_catalog.->) attribute)::numeric, 100)::double precision
  END;

-- CPU tier by words (docs/scoring.md). Only ASCII letters are lowered (translate, not lower() or
-- ~*, which fold by the database's locale); the patterns are score.ts's CPU_TIERS, verbatim.
CREATE FUNCTION public.app_scoring_cpu(cpu text) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN cpu IS NULL OR cpu OPERATOR(pg_catalog.~) '^[ \t\n\r]*$' THEN 0::double precision
    WHEN pg_catalog.translate(cpu, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') OPERATOR(pg_catalog.~)
      '(^|[^a-z0-9])(i9|core[ -]?(ultra[ -]?)?9|ryzen[ -]?(ai[ -]?)?9|threadripper|xeon|epyc|apple[ -]?m[0-9]+[ -]?(max|ultra))([^a-z0-9]|$)'
      THEN 1.0::double precision
    WHEN pg_catalog.translate(cpu, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') OPERATOR(pg_catalog.~)
      '(^|[^a-z0-9])(i7|core[ -]?(ultra[ -]?)?7|ryzen[ -]?(ai[ -]?)?7|apple[ -]?m[0-9]+[ -]?pro)([^a-z0-9]|$)'
      THEN 0.8::double precision
    WHEN pg_catalog.translate(cpu, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') OPERATOR(pg_catalog.~)
      '(^|[^a-z0-9])(i5|core[ -]?(ultra[ -]?)?5|ryzen[ -]?(ai[ -]?)?5|apple[ -]?m[0-9]+)([^a-z0-9]|$)'
      THEN 0.6::double precision
    WHEN pg_catalog.translate(cpu, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') OPERATOR(pg_catalog.~)
      '(^|[^a-z0-9])(i3|core[ -]?(ultra[ -]?)?3|ryzen[ -]?3)([^a-z0-9]|$)'
      THEN 0.4::double precision
    ELSE 0.2::double precision
  END;

-- GPU tier by words; the patterns are score.ts's GPU_TIERS, verbatim.
CREATE FUNCTION public.app_scoring_gpu(gpu text) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN gpu IS NULL OR gpu OPERATOR(pg_catalog.~) '^[ \t\n\r]*$' THEN 0::double precision
    WHEN pg_catalog.translate(gpu, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') OPERATOR(pg_catalog.~)
      '(^|[^a-z0-9])(rtx[ -]?(4080|4090|5080|5090)|rx[ -]?7900)([^0-9]|$)'
      THEN 1.0::double precision
    WHEN pg_catalog.translate(gpu, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') OPERATOR(pg_catalog.~)
      '(^|[^a-z0-9])(rtx([^a-z]|$)|rx[ -]?[679][0-9][0-9][0-9]([^0-9]|$))'
      THEN 0.8::double precision
    WHEN pg_catalog.translate(gpu, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') OPERATOR(pg_catalog.~)
      '(^|[^a-z0-9])(gtx|rx|arc)([^a-z]|$)'
      THEN 0.5::double precision
    ELSE 0.2::double precision
  END;

-- 100 × Σ(wᵢ × sᵢ) / Σwᵢ, summed in the order price, cpu, gpu, ram, storage, condition, from the
-- CPU and GPU tiers (sub-scores) and the six weights as app_scoring_weight reads them. All-zero
-- weights give 0. A NULL attribute scores 0.
CREATE FUNCTION public.app_listing_score_weighted(
  price numeric,
  condition public."ListingCondition",
  cpu_tier double precision,
  gpu_tier double precision,
  ram_gb integer,
  storage_gb integer,
  w_price double precision,
  w_cpu double precision,
  w_gpu double precision,
  w_ram double precision,
  w_storage double precision,
  w_condition double precision
) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN w_price + w_cpu + w_gpu + w_ram + w_storage + w_condition = 0 THEN 0::double precision
    ELSE 100::double precision * (
        w_price * CASE
          WHEN price IS NULL THEN 0::double precision
          ELSE 500::double precision / (500::double precision + greatest(price, 0)::double precision)
        END
      + w_cpu * coalesce(cpu_tier, 0::double precision)
      + w_gpu * coalesce(gpu_tier, 0::double precision)
      + w_ram * (least(greatest(coalesce(ram_gb, 0), 0), 64)::double precision / 64::double precision)
      + w_storage * (least(greatest(coalesce(storage_gb, 0), 0), 2000)::double precision / 2000::double precision)
      + w_condition * CASE condition
          WHEN 'NEW' THEN 1.0::double precision
          WHEN 'LIKE_NEW' THEN 0.9::double precision
          WHEN 'REFURBISHED' THEN 0.8::double precision
          WHEN 'USED' THEN 0.6::double precision
          WHEN 'FOR_PARTS' THEN 0.1::double precision
          ELSE 0::double precision
        END
    ) / (w_price + w_cpu + w_gpu + w_ram + w_storage + w_condition)
  END;

-- The score of a listing's own columns under a profile's weights (NULL weights, no profile: NULL).
-- The reference the tests hold score.ts to. Ordering uses app_listing_score_weighted directly, with
-- the stored tiers and the weights read once per statement (server/src/modules/scoring/
-- score-ranking.ts): the same operations in the same order, so the same doubles.
CREATE FUNCTION public.app_listing_score(
  price numeric,
  condition public."ListingCondition",
  cpu text,
  gpu text,
  ram_gb integer,
  storage_gb integer,
  weights jsonb
) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN weights IS NULL THEN NULL::double precision
    ELSE public.app_listing_score_weighted(
      price, condition, public.app_scoring_cpu(cpu), public.app_scoring_gpu(gpu), ram_gb, storage_gb,
      public.app_scoring_weight(weights, 'price'), public.app_scoring_weight(weights, 'cpu'),
      public.app_scoring_weight(weights, 'gpu'), public.app_scoring_weight(weights, 'ram'),
      public.app_scoring_weight(weights, 'storage'), public.app_scoring_weight(weights, 'condition')
    )
  END;

-- ── the tiers, stored ───────────────────────────────────────────────────────────────────────
-- The CPU and GPU tiers are most of a score's cost (regular expressions: about 25 µs a listing,
-- measured) and depend on the listing alone, so each row stores them, computed on every write.
-- Ordering a user's listings by score then costs arithmetic per row (server/src/modules/scoring/
-- score-ranking.ts). Changing a tier word means recomputing them: a migration that drops and
-- re-adds these columns with the new functions.
ALTER TABLE "listings"
  ADD COLUMN "cpu_tier" double precision GENERATED ALWAYS AS (public.app_scoring_cpu("cpu")) STORED,
  ADD COLUMN "gpu_tier" double precision GENERATED ALWAYS AS (public.app_scoring_gpu("gpu")) STORED;

-- The request roles call the score (and, once it is inlined, its helpers: inlining requires the
-- caller's EXECUTE on each).
REVOKE ALL ON FUNCTION public.app_scoring_weight(jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.app_scoring_cpu(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.app_scoring_gpu(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.app_listing_score_weighted(numeric, public."ListingCondition", double precision, double precision, integer, integer, double precision, double precision, double precision, double precision, double precision, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.app_listing_score(numeric, public."ListingCondition", text, text, integer, integer, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.app_scoring_weight(jsonb, text) TO app_user, app_admin;
GRANT EXECUTE ON FUNCTION public.app_scoring_cpu(text) TO app_user, app_admin;
GRANT EXECUTE ON FUNCTION public.app_scoring_gpu(text) TO app_user, app_admin;
GRANT EXECUTE ON FUNCTION public.app_listing_score_weighted(numeric, public."ListingCondition", double precision, double precision, integer, integer, double precision, double precision, double precision, double precision, double precision, double precision) TO app_user, app_admin;
GRANT EXECUTE ON FUNCTION public.app_listing_score(numeric, public."ListingCondition", text, text, integer, integer, jsonb) TO app_user, app_admin;
