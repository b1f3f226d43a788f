-- Verify buildtracker:status_transitions on pg
BEGIN;
SELECT 1 / (count(*) = 38)::int FROM claude.status_transitions;
SELECT 'claude.transition_error(text, text, text)'::regprocedure;
ROLLBACK;
