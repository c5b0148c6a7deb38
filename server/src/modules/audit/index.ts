// The audit log, read: AuditEvent nodes, User.auditEvents (a user's security activity) and the admin's
// auditEvents. Writing events is server/src/audit/ (in the transaction of each change); failed
// authentication is aggregated by server/src/audit/auth-failure-log.ts; retention is audit:prune.
import './audit-event.js';
import './audit-filter.js';
import './audit-queries.js';
