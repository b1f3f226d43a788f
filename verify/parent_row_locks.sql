-- Verify buildtracker:parent_row_locks on pg
BEGIN;
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.lock_task_parents()'::regprocedure AND prosrc LIKE '%the component first, and only then its feature%';
SELECT 1 / (count(*) = 3)::int FROM pg_trigger WHERE tgname = 'bt15_lock_parent_rows';
ROLLBACK;
