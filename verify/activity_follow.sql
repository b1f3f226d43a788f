-- Verify buildtracker:activity_follow on pg
BEGIN;
SELECT 'claude.get_activity_after(uuid, integer)'::regprocedure, 'claude.follow_feed()'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt91_notify_feed' AND tgrelid = 'claude.activity_feed'::regclass;
ROLLBACK;
