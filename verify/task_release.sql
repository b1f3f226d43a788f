-- Verify buildtracker:task_release on pg
BEGIN;
SELECT 1 / count(*) FROM claude.status_transitions
 WHERE entity_type = 'build_task' AND from_status = 'in_progress' AND to_status = 'todo' AND action = 'release';
ROLLBACK;
