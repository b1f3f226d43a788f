-- Revert buildtracker:status_transitions from pg
BEGIN;
DROP FUNCTION claude.transition_error(text, text, text);
DROP TABLE claude.status_transitions;
COMMIT;
