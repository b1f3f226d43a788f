-- Revert buildtracker:task_dependencies from pg
-- blocked_by_task_id stays as it is: the seed's single blocker per task.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

DROP FUNCTION claude.get_task_dependencies(uuid);
DROP FUNCTION claude.remove_dependency(uuid, uuid, text);
DROP FUNCTION claude.add_dependency(uuid, uuid, text, text);
DROP FUNCTION claude.log_dependency(claude.task_dependencies, boolean);
DROP TRIGGER bt40_auto_unblock ON claude.build_tasks;
DROP FUNCTION claude.auto_unblock();
DROP TRIGGER bt30_sync_blocked_by ON claude.build_tasks;
DROP FUNCTION claude.sync_blocked_by_edge();
DROP FUNCTION claude.check_task_dependencies_constraints(claude.task_dependencies);
DROP TABLE claude.task_dependencies;
DROP FUNCTION claude.enforce_dependency_rules();
DROP FUNCTION claude.blocks_cycle(uuid, uuid);
DROP FUNCTION claude.open_blockers(uuid);

COMMIT;
