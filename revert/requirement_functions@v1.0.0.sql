-- Revert buildtracker:requirement_functions from pg
BEGIN;
DROP FUNCTION claude.validate(text, jsonb, text);
DROP FUNCTION claude.verify_requirement(uuid, uuid, jsonb, uuid, text);
DROP FUNCTION claude.update_requirement_status(uuid, text, text, uuid, text);
DROP FUNCTION claude.update_requirement(uuid, jsonb, text);
DROP FUNCTION claude.add_requirement(uuid, text, text, text, text[], integer, boolean, uuid, text);
DROP FUNCTION claude.requirement_warnings(claude.requirements);
COMMIT;
