-- Revert buildtracker:task_leases from pg
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

DROP FUNCTION claude.heartbeat_task(uuid, uuid, interval, text);
DROP FUNCTION claude.lease_length(interval);
ALTER TABLE claude.build_tasks DROP COLUMN lease_expires_at;
DO $$ BEGIN PERFORM claude.rebuild_generated(); END $$;

COMMIT;
