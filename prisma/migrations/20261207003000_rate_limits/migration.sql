-- Issue 13: rate limits shared by every server instance (server/src/rate-limit/, ADR 0060).
-- The counters of rate-limiter-flexible's PostgreSQL store, in the shape it expects. The request
-- path reaches them only as app_rate_limit (prisma/bootstrap/roles.sql), switched to
-- transaction-locally like every other role; that role may touch this table and nothing else, and
-- no other runtime role may touch it.
--
-- app_rate_limit is a cluster role from prisma/bootstrap/roles.sql (npm run db:migrate and the test setup
-- apply it before migrating). On a hosted database whose operator has not re-run roles.sql, the migration
-- role (usually without CREATEROLE) stops here with what to do, rather than with "role does not exist".
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_rate_limit') THEN
    IF NOT (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      RAISE EXCEPTION 'role app_rate_limit is missing: run prisma/bootstrap/roles.sql on this cluster (as a role with CREATEROLE), then migrate again';
    END IF;
    CREATE ROLE app_rate_limit NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT pg_has_role('authenticator', 'app_rate_limit', 'MEMBER') THEN
    IF NOT (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      RAISE EXCEPTION 'authenticator is not a member of app_rate_limit: run prisma/bootstrap/roles.sql on this cluster, then migrate again';
    END IF;
    GRANT app_rate_limit TO authenticator;
  END IF;
END
$$;

CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- The store's periodic clean-up deletes windows that ended an hour ago.
CREATE INDEX "rate_limits_expire_idx" ON "rate_limits"("expire");

ALTER TABLE "rate_limits" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "rate_limits" FORCE ROW LEVEL SECURITY;
GRANT USAGE ON SCHEMA public TO app_rate_limit;
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limits" TO app_rate_limit;
-- Counters belong to no user: the limiter's role sees all of them, nobody else any.
CREATE POLICY "rate_limits_limiter_all" ON "rate_limits" FOR ALL TO app_rate_limit USING (true) WITH CHECK (true);
