-- Verify buildtracker:task_leases on pg
BEGIN;
SELECT lease_expires_at FROM claude.build_tasks WHERE false;
SELECT 'claude.heartbeat_task(uuid, uuid, interval, text)'::regprocedure,
       'claude.lease_length(interval)'::regprocedure;
SELECT 1 / count(*) FROM pg_constraint WHERE conname = 'chk_task_lease';
ROLLBACK;
