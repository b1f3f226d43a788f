-- Verify buildtracker:activity_logging on pg
BEGIN;
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.guard_activity_feed()'::regprocedure AND prosrc LIKE '%PG_CONTEXT%';
SELECT 'claude.prune_activity(interval, text)'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt05_append_only' AND tgrelid = 'claude.activity_feed'::regclass;
ROLLBACK;
