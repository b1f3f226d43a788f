-- Revert buildtracker:component_functions from pg
BEGIN;
DROP FUNCTION claude.complete_component(uuid, text[], text, integer, boolean, numeric, text);
DROP FUNCTION claude.update_component_status(uuid, text, text, text);
DROP FUNCTION claude.update_component(uuid, jsonb, text);
DROP FUNCTION claude.add_component(uuid, text, text, text[], text[], text, text);
COMMIT;
