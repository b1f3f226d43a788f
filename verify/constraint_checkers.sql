-- Verify buildtracker:constraint_checkers on pg
BEGIN;
SELECT 'claude.build_constraint_checkers()'::regprocedure,
       'claude.check_projects_constraints(claude.projects, claude.projects)'::regprocedure,
       'claude.check_identities_constraints(claude.identities, claude.identities)'::regprocedure,
       'claude.check_features_constraints(claude.features, claude.features)'::regprocedure,
       'claude.check_components_constraints(claude.components, claude.components)'::regprocedure,
       'claude.check_build_tasks_constraints(claude.build_tasks, claude.build_tasks)'::regprocedure,
       'claude.check_requirements_constraints(claude.requirements, claude.requirements)'::regprocedure;
-- the reworked checkers return early when nothing can fail
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.check_build_tasks_constraints(claude.build_tasks, claude.build_tasks)'::regprocedure
   AND prosrc LIKE '%none of the key checks below can fire%';
ROLLBACK;
