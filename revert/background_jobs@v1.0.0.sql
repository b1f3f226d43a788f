-- Revert buildtracker:background_jobs from pg
BEGIN;
DROP FUNCTION claude.schedule_jobs(text);
DROP FUNCTION claude.run_jobs(interval, text);
DROP FUNCTION claude.check_completion_readiness();
DROP FUNCTION claude.check_unblocked_tasks();
DROP FUNCTION claude.check_stale_tasks(interval);
COMMIT;
