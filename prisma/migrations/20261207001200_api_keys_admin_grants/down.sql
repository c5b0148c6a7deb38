REVOKE UPDATE ("revoked_at") ON "api_keys" FROM app_admin;
GRANT UPDATE ON "api_keys" TO app_admin;
