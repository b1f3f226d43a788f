-- Verify buildtracker:activity_logging on pg
BEGIN;
SELECT 'claude.build_row_changes()'::regprocedure,
       'claude.row_changes(claude.features, claude.features)'::regprocedure,
       'claude.row_changes(claude.components, claude.components)'::regprocedure,
       'claude.row_changes(claude.build_tasks, claude.build_tasks)'::regprocedure,
       'claude.row_changes(claude.requirements, claude.requirements)'::regprocedure;
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.log_entity_activity()'::regprocedure AND prosrc LIKE '%claude.row_changes(NEW, OLD)%';
-- string bodies: no column of an entity table is pinned by the generated diff
SELECT 1 / (count(*) = 0)::int FROM pg_depend d
 WHERE d.classid = 'pg_proc'::regclass AND d.refobjsubid > 0
   AND d.objid IN (SELECT p.oid FROM pg_proc p WHERE p.proname = 'row_changes' AND p.pronamespace = 'claude'::regnamespace);
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.row_changes(claude.components, claude.components)'::regprocedure AND prosrc LIKE '%to_jsonb(n.planned_functions)%';
ROLLBACK;
