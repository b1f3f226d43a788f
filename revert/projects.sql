-- Revert buildtracker:projects from pg
BEGIN;
DROP TABLE claude.projects;
COMMIT;
