-- Revert buildtracker:project_functions from pg
BEGIN;
DROP FUNCTION claude.add_identity(text, text);
DROP FUNCTION claude.add_project(text, text);
DROP TRIGGER bt20_enforce_rules ON claude.identities;
DROP FUNCTION claude.enforce_identity_rules();
DROP TRIGGER bt20_enforce_rules ON claude.projects;
DROP FUNCTION claude.enforce_project_rules();
COMMIT;
