-- Revert buildtracker:task_context from pg
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

DROP FUNCTION claude.get_task_context(uuid, integer);

COMMIT;
