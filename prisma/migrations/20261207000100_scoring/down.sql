-- Undoes 20261207000100_scoring (the data it normalised stays normalised).
ALTER TABLE "listings" DROP COLUMN "gpu_tier", DROP COLUMN "cpu_tier";
DROP FUNCTION public.app_listing_score(numeric, public."ListingCondition", text, text, integer, integer, jsonb);
DROP FUNCTION public.app_listing_score_weighted(numeric, public."ListingCondition", double precision, double precision, integer, integer, double precision, double precision, double precision, double precision, double precision, double precision);
DROP FUNCTION public.app_scoring_gpu(text);
DROP FUNCTION public.app_scoring_cpu(text);
DROP FUNCTION public.app_scoring_weight(jsonb, text);
DROP INDEX "scoring_profiles_owner_id_default_key";
ALTER TABLE "scoring_profiles" DROP CONSTRAINT "scoring_profiles_weights_object";
