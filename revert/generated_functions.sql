-- Revert buildtracker:generated_functions from pg
BEGIN;
DROP FUNCTION claude.row_changes(claude.features, claude.features);
DROP FUNCTION claude.row_changes(claude.components, claude.components);
DROP FUNCTION claude.row_changes(claude.build_tasks, claude.build_tasks);
DROP FUNCTION claude.row_changes(claude.requirements, claude.requirements);
DROP FUNCTION claude.check_projects_constraints(claude.projects, claude.projects);
DROP FUNCTION claude.check_identities_constraints(claude.identities, claude.identities);
DROP FUNCTION claude.check_features_constraints(claude.features, claude.features);
DROP FUNCTION claude.check_components_constraints(claude.components, claude.components);
DROP FUNCTION claude.check_build_tasks_constraints(claude.build_tasks, claude.build_tasks);
DROP FUNCTION claude.check_requirements_constraints(claude.requirements, claude.requirements);
DROP FUNCTION claude.rebuild_generated();
COMMIT;
