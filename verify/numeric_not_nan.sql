-- Verify buildtracker:numeric_not_nan on pg
BEGIN;
SELECT 1 / count(*) FROM pg_constraint
 WHERE conrelid = 'claude.build_tasks'::regclass AND conname = 'chk_task_estimated_hours'
   AND pg_get_constraintdef(oid) LIKE '%NaN%';
SELECT 1 / count(*) FROM pg_constraint
 WHERE conrelid = 'claude.build_tasks'::regclass AND conname = 'chk_task_actual_hours'
   AND pg_get_constraintdef(oid) LIKE '%NaN%';
ROLLBACK;
