-- Revert buildtracker:components from pg
BEGIN;
DROP TABLE claude.components;
COMMIT;
