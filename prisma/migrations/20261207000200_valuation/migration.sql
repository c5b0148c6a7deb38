-- Valuation rulesets (issue 9, part 3): typed rules, one active ruleset per user, and the SQL
-- mirror of the rule evaluation (server/src/modules/valuation/valuation-rules.ts) so listings can
-- be ordered by their valuation delta. docs/valuation.md describes the rules.

-- The table forces RLS even on its owner, and no policy is written for the owner: without this,
-- the data changes below would see no rows. Forced again at the end of this migration.
ALTER TABLE "valuation_rulesets" NO FORCE ROW LEVEL SECURITY;

-- ── shape ───────────────────────────────────────────────────────────────────────────────────
ALTER TABLE "valuation_rulesets" ADD COLUMN "is_active" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "valuation_rulesets"
  ADD CONSTRAINT "valuation_rulesets_rules_is_array" CHECK (jsonb_typeof("rules") = 'array');

-- ── legacy rules → typed rules ──────────────────────────────────────────────────────────────
-- Before this migration only the demo seed wrote rules, in the shape
--   { component: 'ram' | 'storage', match: { minGb } | { maxGb }, adjustment: { amount: '±N.NN' } }.
-- Sizes are whole GB, so "at least N" is "above N - 1" and "at most N" is "below N + 1". A rule
-- with a zero amount changes nothing and is dropped. Anything else cannot be expressed in the
-- typed rules and stops the migration rather than silently changing what a deal is worth.
CREATE FUNCTION pg_temp.valuation_rule_from_legacy(legacy jsonb, ruleset uuid) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  component text := legacy ->> 'component';
  min_gb numeric := (legacy #>> '{match,minGb}')::numeric;
  max_gb numeric := (legacy #>> '{match,maxGb}')::numeric;
  amount numeric := (legacy #>> '{adjustment,amount}')::numeric;
  condition jsonb;
BEGIN
  IF legacy ? 'when' THEN
    RETURN legacy;
  END IF;
  IF amount IS NULL OR abs(amount) > 1000000 OR amount <> round(amount, 2) THEN
    RAISE EXCEPTION 'valuation ruleset %: cannot convert rule % (amount)', ruleset, legacy;
  END IF;
  IF component = 'ram' AND min_gb IS NOT NULL AND max_gb IS NULL AND min_gb = trunc(min_gb) AND min_gb BETWEEN 1 AND 1000001 THEN
    condition := jsonb_build_object('attribute', 'RAM_GB', 'operator', 'ABOVE', 'value', (min_gb - 1)::int);
  ELSIF component IN ('ram', 'storage') AND max_gb IS NOT NULL AND min_gb IS NULL AND max_gb = trunc(max_gb) AND max_gb BETWEEN -1 AND 999999 THEN
    condition := jsonb_build_object(
      'attribute', CASE component WHEN 'ram' THEN 'RAM_GB' ELSE 'STORAGE_GB' END,
      'operator', 'BELOW',
      'value', (max_gb + 1)::int);
  ELSE
    RAISE EXCEPTION 'valuation ruleset %: cannot convert rule % (condition)', ruleset, legacy;
  END IF;
  IF amount = 0 THEN
    RETURN NULL;
  END IF;
  RETURN jsonb_build_object(
    'when', condition,
    'adjust', jsonb_build_object(
      'kind', CASE WHEN amount > 0 THEN 'ADD' ELSE 'SUBTRACT' END,
      'amount', round(abs(amount), 2)::text));
END
$$;

UPDATE "valuation_rulesets" r
SET "rules" = (
  SELECT coalesce(jsonb_agg(converted ORDER BY position), '[]'::jsonb)
  FROM jsonb_array_elements(r."rules") WITH ORDINALITY AS e(rule, position),
       LATERAL pg_temp.valuation_rule_from_legacy(e.rule, r."id") AS converted
  WHERE converted IS NOT NULL
)
WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(r."rules") AS e(rule) WHERE NOT e.rule ? 'when');

DROP FUNCTION pg_temp.valuation_rule_from_legacy(jsonb, uuid);

-- ── one active ruleset per user ─────────────────────────────────────────────────────────────
-- Each user's oldest ruleset becomes the active one. The partial unique index is the invariant;
-- its leading column is the owner, so it also serves "the viewer's active ruleset".
UPDATE "valuation_rulesets" SET "is_active" = true
WHERE "id" IN (
  SELECT DISTINCT ON ("owner_id") "id" FROM "valuation_rulesets" ORDER BY "owner_id", "created_at", "id"
);
CREATE UNIQUE INDEX "valuation_rulesets_one_active_per_owner" ON "valuation_rulesets" ("owner_id") WHERE "is_active";

ALTER TABLE "valuation_rulesets" FORCE ROW LEVEL SECURITY;

-- ── evaluation ──────────────────────────────────────────────────────────────────────────────
-- A listing's value in cents under `rules`: the exact mirror of valueListing() in
-- valuation-rules.ts (a test compares both over a generated corpus). Start at the price in cents;
-- for each rule in order whose condition matches, add or subtract its amount, or multiply by its
-- factor (integer arithmetic on factor × 10000, rounded half away from zero); after each step clamp
-- to [0, 10,000,000,000.00]. NULL attributes never match. CONTAINS is a whole-word match ignoring
-- ASCII case: the stored word is ASCII letters and digits only, so it is safe inside the pattern,
-- and the characters around the match must not be ASCII letters or digits. A rule this function
-- does not recognise (the API never stores one) does nothing. NULL rules: the price.
CREATE FUNCTION "app_listing_valuation_cents"(
  price numeric,
  condition "ListingCondition",
  cpu text,
  gpu text,
  ram_gb integer,
  storage_gb integer,
  rules jsonb
) RETURNS bigint
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, public
AS $$
DECLARE
  upper_letters CONSTANT text := 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  lower_letters CONSTANT text := 'abcdefghijklmnopqrstuvwxyz';
  -- Spelled out rather than a-z: a range in a bracket expression may follow the collation.
  word_chars CONSTANT text := 'abcdefghijklmnopqrstuvwxyz0123456789';
  max_cents CONSTANT bigint := 1000000000000;
  cents bigint;
  current_rule jsonb;
  rule_attribute text;
  rule_operator text;
  operand jsonb;
  gb integer;
  subject text;
  word text;
  matched boolean;
  adjustment_kind text;
  product bigint;
BEGIN
  IF price IS NULL THEN
    RETURN NULL;
  END IF;
  cents := (price * 100)::bigint;
  IF rules IS NULL OR jsonb_typeof(rules) <> 'array' THEN
    RETURN cents;
  END IF;
  FOR i IN 0 .. jsonb_array_length(rules) - 1 LOOP
    current_rule := rules -> i;
    rule_attribute := current_rule #>> '{when,attribute}';
    rule_operator := current_rule #>> '{when,operator}';
    operand := current_rule #> '{when,value}';
    matched := false;
    IF rule_attribute IN ('RAM_GB', 'STORAGE_GB') AND jsonb_typeof(operand) = 'number' THEN
      gb := CASE rule_attribute WHEN 'RAM_GB' THEN ram_gb ELSE storage_gb END;
      matched := CASE rule_operator
        WHEN 'BELOW' THEN gb < operand::numeric
        WHEN 'ABOVE' THEN gb > operand::numeric
      END;
    ELSIF rule_attribute = 'CONDITION' AND rule_operator = 'EQUALS' THEN
      matched := condition::text = operand #>> '{}';
    ELSIF rule_attribute IN ('CPU', 'GPU') AND rule_operator = 'CONTAINS' AND jsonb_typeof(operand) = 'string' THEN
      subject := translate(CASE rule_attribute WHEN 'CPU' THEN cpu ELSE gpu END, upper_letters, lower_letters);
      word := translate(operand #>> '{}', upper_letters, lower_letters);
      matched := word ~ ('^[' || word_chars || ']+$')
        AND subject ~ ('(^|[^' || word_chars || '])' || word || '([^' || word_chars || ']|$)');
    END IF;
    CONTINUE WHEN matched IS NOT TRUE;

    adjustment_kind := current_rule #>> '{adjust,kind}';
    IF adjustment_kind = 'ADD' THEN
      cents := cents + ((current_rule #>> '{adjust,amount}')::numeric * 100)::bigint;
    ELSIF adjustment_kind = 'SUBTRACT' THEN
      cents := cents - ((current_rule #>> '{adjust,amount}')::numeric * 100)::bigint;
    ELSIF adjustment_kind = 'MULTIPLY' THEN
      -- Integer division truncates toward zero; adding half first rounds half away from zero.
      product := cents * ((current_rule #>> '{adjust,factor}')::numeric * 10000)::bigint;
      cents := CASE WHEN product < 0 THEN -((5000 - product) / 10000) ELSE (product + 5000) / 10000 END;
    ELSE
      CONTINUE;
    END IF;
    cents := least(greatest(cents, 0), max_cents);
  END LOOP;
  RETURN cents;
END
$$;

REVOKE ALL ON FUNCTION "app_listing_valuation_cents"(numeric, "ListingCondition", text, text, integer, integer, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_listing_valuation_cents"(numeric, "ListingCondition", text, text, integer, integer, jsonb) TO app_user, app_admin;

-- ── listing prices ──────────────────────────────────────────────────────────────────────────
-- A price is never negative (the API takes 0 to 10,000,000). Ordering by delta relies on it: the
-- compiled ruleset (server/src/modules/valuation/valuation-ranking.ts) clamps a value that a rule
-- leaves alone, which changes nothing only because every value starts at 0 or above.
ALTER TABLE "listings" ADD CONSTRAINT "listings_price_non_negative" CHECK ("price" >= 0);

-- ── the words of a listing's CPU and GPU, stored ───────────────────────────────────────────
-- A CONTAINS rule matches a whole word, ignoring ASCII case: the word is one of the maximal runs
-- of ASCII letters and digits in the lower-cased text. Each row stores those runs, computed on every
-- write, so ordering by delta tests `word = ANY(cpu_words)` instead of running a regular expression
-- per row (server/src/modules/valuation/valuation-ranking.ts). The same test as the function above.
CREATE FUNCTION public.app_valuation_words(subject text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN pg_catalog.regexp_split_to_array(
    pg_catalog.translate(subject, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
    '[^abcdefghijklmnopqrstuvwxyz0123456789]+'
  );
REVOKE ALL ON FUNCTION public.app_valuation_words(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.app_valuation_words(text) TO app_user, app_admin;

ALTER TABLE "listings"
  ADD COLUMN "cpu_words" text[] GENERATED ALWAYS AS (public.app_valuation_words("cpu")) STORED,
  ADD COLUMN "gpu_words" text[] GENERATED ALWAYS AS (public.app_valuation_words("gpu")) STORED;
