-- Verify buildtracker:component_rules on pg
BEGIN;
SELECT 'claude.default_component_path(text, text)'::regprocedure,
       'claude.component_completion_warnings(claude.components)'::regprocedure,
       'claude.enforce_component_rules()'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt20_enforce_rules' AND tgrelid = 'claude.components'::regclass;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt50_carry_tasks' AND tgrelid = 'claude.components'::regclass;
ROLLBACK;
