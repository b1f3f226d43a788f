-- Revert buildtracker:id_resolution from pg
BEGIN;
DROP FUNCTION claude.resolve_id(text, text);
COMMIT;
