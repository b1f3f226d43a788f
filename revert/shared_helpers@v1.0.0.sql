-- Revert buildtracker:shared_helpers from pg
BEGIN;
DROP FUNCTION claude.apply_changes(text, uuid, jsonb, text[]);
DROP FUNCTION claude.conversion_errors(text, jsonb);
DROP FUNCTION claude.write_changes(text, text, uuid, jsonb);
DROP FUNCTION claude.detail_errors(text);
DROP FUNCTION claude.require_status(text, text, text[], text);
DROP FUNCTION claude.too_short(text, integer);
DROP FUNCTION claude.lock_links(text);
DROP FUNCTION claude.envelope(jsonb, text[], jsonb);
DROP FUNCTION claude.end_call();
DROP FUNCTION claude.begin_call(text, text);
DROP FUNCTION claude.current_note();
DROP FUNCTION claude.current_actor();
DROP FUNCTION claude.raise_not_found(text, uuid);
DROP FUNCTION claude.raise_errors(jsonb, text, text);
DROP FUNCTION claude.err(text, text, text);
COMMIT;
