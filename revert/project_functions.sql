-- Revert buildtracker:project_functions from pg
BEGIN;
DROP FUNCTION claude.add_identity(text, text);
DROP FUNCTION claude.add_project(text, text);
DROP FUNCTION claude.apply_changes(text, uuid, jsonb, text[]);
DROP FUNCTION claude.conversion_errors(text, jsonb);
DROP FUNCTION claude.write_changes(text, text, uuid, jsonb);
DROP FUNCTION claude.detail_errors(text);
DROP FUNCTION claude.require_status(text, text, text[], text);
DROP TRIGGER bt20_enforce_rules ON claude.identities;
DROP FUNCTION claude.enforce_identity_rules();
DROP TRIGGER bt20_enforce_rules ON claude.projects;
DROP FUNCTION claude.enforce_project_rules();
COMMIT;
