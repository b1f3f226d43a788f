-- Revert buildtracker:error_contract from pg
BEGIN;
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
