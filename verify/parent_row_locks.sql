-- Verify buildtracker:parent_row_locks on pg
BEGIN;
SELECT 'claude.lock_parent_rows(uuid, uuid[])'::regprocedure, 'claude.lock_component_parents()'::regprocedure,
       'claude.lock_task_parents()'::regprocedure, 'claude.lock_requirement_parents()'::regprocedure;
SELECT 1 / (count(*) = 3)::int FROM pg_trigger WHERE tgname = 'bt15_lock_parent_rows';
ROLLBACK;
