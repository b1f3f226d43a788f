-- Verify buildtracker:status_transitions on pg
BEGIN;
-- the 38 transitions of 1.0; later changes add rows (task_release) and
-- verify their own
SELECT 1 / (count(*) >= 38)::int FROM claude.status_transitions;
SELECT 'claude.transition_error(text, text, text)'::regprocedure, 'claude.action_from_statuses(text, text)'::regprocedure;
SELECT action FROM claude.status_transitions WHERE false;
ROLLBACK;
