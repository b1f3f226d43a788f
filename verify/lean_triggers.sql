-- Verify buildtracker:lean_triggers on pg
BEGIN;
SELECT 1/(count(*) = 0)::int FROM pg_trigger
 WHERE tgname = 'bt10_touch_timestamps' AND tgrelid = 'claude.build_tasks'::regclass;
ROLLBACK;
