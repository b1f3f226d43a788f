-- Revert buildtracker:parent_row_locks from pg
BEGIN;
DROP TRIGGER bt15_lock_parent_rows ON claude.components;
DROP TRIGGER bt15_lock_parent_rows ON claude.build_tasks;
DROP TRIGGER bt15_lock_parent_rows ON claude.requirements;
DROP FUNCTION claude.lock_component_parents();
DROP FUNCTION claude.lock_task_parents();
DROP FUNCTION claude.lock_requirement_parents();
DROP FUNCTION claude.lock_parent_rows(uuid, uuid[]);
COMMIT;
