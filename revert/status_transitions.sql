-- Revert buildtracker:status_transitions from pg
BEGIN;
DROP FUNCTION claude.action_from_statuses(text, text);
DROP FUNCTION claude.transition_error(text, text, text);
DROP TABLE claude.status_transitions;
COMMIT;
