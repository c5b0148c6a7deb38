-- Cluster-level roles of the request path. Run once per PostgreSQL cluster by a role with
-- CREATEROLE (npm run db:migrate does it for the embedded database; on hosted PostgreSQL run
-- this file yourself, then give authenticator a password). Idempotent.
--
--   authenticator  the only login role of the running server: no privileges of its own, NOINHERIT;
--                  every transaction switches to one of the roles below with set_config('role', ..., true).
--   app_user       a signed-in user's transactions: RLS applies, no BYPASSRLS, owns nothing.
--   app_admin      an admin's transactions (chosen from our users table): RLS applies through
--                  explicit TO app_admin policies.
--   app_sync       webhooks and just-in-time provisioning: users (never their role), webhook events,
--                  audit events only.
--   app_auth       the per-request viewer lookup: reads who the caller is (five users columns, the API key
--                  lookup function), writes nothing.
--   app_rate_limit the rate limiter's counters (table rate_limits) and nothing else.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticator') THEN
    CREATE ROLE authenticator LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') THEN
    CREATE ROLE app_user NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_admin') THEN
    CREATE ROLE app_admin NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_sync') THEN
    CREATE ROLE app_sync NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_auth') THEN
    CREATE ROLE app_auth NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_rate_limit') THEN
    CREATE ROLE app_rate_limit NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;

-- NOINHERIT: membership lets authenticator switch role, never use the role's privileges implicitly.
GRANT app_user, app_admin, app_sync, app_auth, app_rate_limit TO authenticator;
