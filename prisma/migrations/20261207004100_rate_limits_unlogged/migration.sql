-- Issue 15: every authenticated request charges its budget with one upsert into rate_limits. As a logged
-- table each of those commits waited for a WAL flush: a disk write per read request. Unlogged, the
-- counters are written without WAL (and commit without waiting); a crash of PostgreSQL empties the table,
-- which resets every budget's current window (at most RATE_LIMIT_WINDOW_SECONDS of allowance), and
-- replicas do not hold it, which nothing needs. ADR 0071.
ALTER TABLE "rate_limits" SET UNLOGGED;
