-- Undoes 20261207004100_rate_limits_unlogged.
ALTER TABLE "rate_limits" SET LOGGED;
