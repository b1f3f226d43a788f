-- Revert buildtracker:requirements from pg
BEGIN;
DROP TABLE claude.requirements;
COMMIT;
