-- Revert buildtracker:task_release from pg
BEGIN;
SET LOCAL ROLE buildtracker_owner;
DELETE FROM claude.status_transitions
 WHERE entity_type = 'build_task' AND from_status = 'in_progress' AND to_status = 'todo';
COMMIT;
