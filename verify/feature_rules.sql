-- Verify buildtracker:feature_rules on pg
BEGIN;
SELECT 'claude.feature_completion_failures(uuid)'::regprocedure,
       'claude.creates_cycle(text, uuid, uuid)'::regprocedure,
       'claude.enforce_feature_rules()'::regprocedure,
       'claude.closed_feature_error(text, text, text)'::regprocedure,
       'claude.feature_gate_failures(uuid)'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt20_enforce_rules' AND tgrelid = 'claude.features'::regclass;
ROLLBACK;
