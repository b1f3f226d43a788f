-- Revert buildtracker:api_tokens from pg
BEGIN;
DROP FUNCTION claude.authenticate_api_token(text);
DROP FUNCTION claude.revoke_api_token(uuid);
DROP FUNCTION claude.create_api_token(uuid, text, text);
DROP TABLE claude.api_tokens;
COMMIT;
