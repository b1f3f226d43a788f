-- Revert buildtracker:build_tasks from pg
BEGIN;
DROP TABLE claude.build_tasks;
COMMIT;
