-- Verify buildtracker:identities on pg
BEGIN;
SELECT identity_id, identity_name, created_at, updated_at FROM claude.identities WHERE false;
ROLLBACK;
