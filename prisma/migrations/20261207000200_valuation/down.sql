-- Undoes 20261207000200_valuation. Typed rules that the legacy shape can express (RAM above or
-- below, storage below, add or subtract) go back to it, so up → down → up leaves converted data
-- as it was; other typed rules stay as they are (nothing read the legacy shape, and a later up
-- keeps rules that already have the typed shape). Which ruleset was active is lost.
ALTER TABLE "listings" DROP COLUMN "gpu_words", DROP COLUMN "cpu_words";
DROP FUNCTION public.app_valuation_words(text);
ALTER TABLE "listings" DROP CONSTRAINT "listings_price_non_negative";
DROP FUNCTION "app_listing_valuation_cents"(numeric, "ListingCondition", text, text, integer, integer, jsonb);

ALTER TABLE "valuation_rulesets" NO FORCE ROW LEVEL SECURITY;

CREATE FUNCTION pg_temp.valuation_rule_to_legacy(rule jsonb) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  attribute text := rule #>> '{when,attribute}';
  operator text := rule #>> '{when,operator}';
  threshold int := (rule #>> '{when,value}')::int;
  kind text := rule #>> '{adjust,kind}';
  amount text := rule #>> '{adjust,amount}';
  match jsonb;
BEGIN
  IF kind NOT IN ('ADD', 'SUBTRACT') THEN
    RETURN rule;
  END IF;
  IF attribute = 'RAM_GB' AND operator = 'ABOVE' THEN
    match := jsonb_build_object('minGb', threshold + 1);
  ELSIF attribute IN ('RAM_GB', 'STORAGE_GB') AND operator = 'BELOW' THEN
    match := jsonb_build_object('maxGb', threshold - 1);
  ELSE
    RETURN rule;
  END IF;
  RETURN jsonb_build_object(
    'component', CASE attribute WHEN 'RAM_GB' THEN 'ram' ELSE 'storage' END,
    'match', match,
    'adjustment', jsonb_build_object('amount', CASE kind WHEN 'SUBTRACT' THEN '-' || amount ELSE amount END));
END
$$;

UPDATE "valuation_rulesets" r
SET "rules" = (
  SELECT coalesce(jsonb_agg(pg_temp.valuation_rule_to_legacy(e.rule) ORDER BY e.position), '[]'::jsonb)
  FROM jsonb_array_elements(r."rules") WITH ORDINALITY AS e(rule, position)
)
WHERE jsonb_array_length(r."rules") > 0;

DROP FUNCTION pg_temp.valuation_rule_to_legacy(jsonb);

DROP INDEX "valuation_rulesets_one_active_per_owner";
ALTER TABLE "valuation_rulesets" DROP CONSTRAINT "valuation_rulesets_rules_is_array";
ALTER TABLE "valuation_rulesets" DROP COLUMN "is_active";

ALTER TABLE "valuation_rulesets" FORCE ROW LEVEL SECURITY;
