-- An admin's session runs as app_admin, whose policy reads and writes every key. Of UPDATE it keeps only
-- revocation (revokeApiKey of their own keys today; containing a compromised account later): no admin can
-- re-own a key, swap its hash, widen its scopes or lift its expiry. INSERT stays: an admin creates their
-- own keys through the same API, as app_admin.
REVOKE UPDATE ON "api_keys" FROM app_admin;
GRANT UPDATE ("revoked_at") ON "api_keys" TO app_admin;
