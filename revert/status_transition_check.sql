-- Revert buildtracker:status_transition_check from pg
BEGIN;
SET LOCAL ROLE buildtracker_owner;
DROP FUNCTION claude.validate_status_transition(text, text, text);
COMMIT;
