-- Revert buildtracker:identities from pg
BEGIN;
DROP TABLE claude.identities;
COMMIT;
