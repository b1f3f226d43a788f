-- Verify buildtracker:task_dependencies on pg
BEGIN;
SELECT task_id, depends_on_task_id, kind, created_at, actor FROM claude.task_dependencies WHERE false;
SELECT 'claude.add_dependency(uuid, uuid, text, text)'::regprocedure,
       'claude.remove_dependency(uuid, uuid, text)'::regprocedure,
       'claude.get_task_dependencies(uuid)'::regprocedure,
       'claude.open_blockers(uuid)'::regprocedure,
       'claude.blocks_cycle(uuid, uuid)'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt30_sync_blocked_by' AND tgrelid = 'claude.build_tasks'::regclass;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt40_auto_unblock' AND tgrelid = 'claude.build_tasks'::regclass;
ROLLBACK;
