-- Verify buildtracker:task_context on pg
BEGIN;
SELECT 'claude.get_task_context(uuid, integer)'::regprocedure;
ROLLBACK;
