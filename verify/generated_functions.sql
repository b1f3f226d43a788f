-- Verify buildtracker:generated_functions on pg
BEGIN;
SELECT 'claude.rebuild_generated()'::regprocedure,
       'claude.check_projects_constraints(claude.projects, claude.projects)'::regprocedure,
       'claude.check_identities_constraints(claude.identities, claude.identities)'::regprocedure,
       'claude.check_features_constraints(claude.features, claude.features)'::regprocedure,
       'claude.check_components_constraints(claude.components, claude.components)'::regprocedure,
       'claude.check_build_tasks_constraints(claude.build_tasks, claude.build_tasks)'::regprocedure,
       'claude.check_requirements_constraints(claude.requirements, claude.requirements)'::regprocedure,
       'claude.row_changes(claude.features, claude.features)'::regprocedure,
       'claude.row_changes(claude.components, claude.components)'::regprocedure,
       'claude.row_changes(claude.build_tasks, claude.build_tasks)'::regprocedure,
       'claude.row_changes(claude.requirements, claude.requirements)'::regprocedure;
ROLLBACK;
