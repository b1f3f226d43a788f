-- Revert buildtracker:task_rules from pg
BEGIN;
DROP TRIGGER bt20_enforce_rules ON claude.build_tasks;
DROP FUNCTION claude.enforce_task_rules();
COMMIT;
