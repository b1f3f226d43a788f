-- Verify buildtracker:status_transition_check on pg
BEGIN;
SELECT 'claude.validate_status_transition(text, text, text)'::regprocedure;
ROLLBACK;
