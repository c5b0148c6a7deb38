-- Undoes 20261207003000_rate_limits.
DROP POLICY IF EXISTS "rate_limits_limiter_all" ON "rate_limits";
REVOKE ALL ON "rate_limits" FROM app_rate_limit;
REVOKE USAGE ON SCHEMA public FROM app_rate_limit;
DROP TABLE IF EXISTS "rate_limits";
