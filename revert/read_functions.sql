-- Revert buildtracker:read_functions from pg
BEGIN;
DROP FUNCTION claude.list_api_tokens();
DROP FUNCTION claude.list_requirements(uuid, text, timestamptz, uuid, integer);
DROP FUNCTION claude.list_tasks(uuid, text, uuid, uuid, timestamptz, uuid, integer);
DROP FUNCTION claude.list_components(uuid, text, timestamptz, uuid, integer);
DROP FUNCTION claude.list_features(uuid, text, timestamptz, uuid, integer);
DROP FUNCTION claude.list_identities();
DROP FUNCTION claude.list_projects();
DROP FUNCTION claude.get_requirement(uuid);
DROP FUNCTION claude.get_task(uuid);
DROP FUNCTION claude.get_component(uuid);
DROP FUNCTION claude.get_feature(uuid);
DROP FUNCTION claude.get_identity(uuid);
DROP FUNCTION claude.get_project(uuid);
DROP FUNCTION claude.keyset_after(text, timestamptz, uuid, integer);
DROP FUNCTION claude.unknown_status_error(text, text);
COMMIT;
