-- Verify buildtracker:api_tokens on pg
BEGIN;
SELECT token_id, identity_id, token_hash, access, label, revoked_at, created_at, updated_at
  FROM claude.api_tokens WHERE false;
SELECT 'claude.create_api_token(uuid, text, text)'::regprocedure, 'claude.revoke_api_token(uuid)'::regprocedure,
       'claude.authenticate_api_token(text)'::regprocedure;
ROLLBACK;
