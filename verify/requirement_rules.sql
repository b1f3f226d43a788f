-- Verify buildtracker:requirement_rules on pg
BEGIN;
SELECT 'claude.untestable_criteria_warnings(text[])'::regprocedure, 'claude.enforce_requirement_rules()'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt20_enforce_rules' AND tgrelid = 'claude.requirements'::regclass;
ROLLBACK;
