-- Verify buildtracker:background_jobs on pg
BEGIN;
SELECT 'claude.check_stale_tasks(interval)'::regprocedure, 'claude.check_unblocked_tasks()'::regprocedure,
       'claude.check_completion_readiness()'::regprocedure, 'claude.run_jobs(interval, text)'::regprocedure,
       'claude.schedule_jobs(text)'::regprocedure,
       'claude.utc_text(timestamptz)'::regprocedure, 'claude.finding_logged(text)'::regprocedure,
       'claude.forget_gone_followers()'::regprocedure, 'claude.feed_followers'::regclass;
ROLLBACK;
