-- Verify buildtracker:task_rules on pg
BEGIN;
SELECT 'claude.enforce_task_rules()'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt20_enforce_rules' AND tgrelid = 'claude.build_tasks'::regclass;
ROLLBACK;
