-- Verify buildtracker:activity_logging on pg
BEGIN;
SELECT 'claude.build_row_changes()'::regprocedure,
       'claude.row_changes(claude.features, claude.features)'::regprocedure,
       'claude.row_changes(claude.components, claude.components)'::regprocedure,
       'claude.row_changes(claude.build_tasks, claude.build_tasks)'::regprocedure,
       'claude.row_changes(claude.requirements, claude.requirements)'::regprocedure;
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.log_entity_activity()'::regprocedure AND prosrc LIKE '%claude.row_changes(NEW, OLD)%';
ROLLBACK;
