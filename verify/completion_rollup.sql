-- Verify buildtracker:completion_rollup on pg
BEGIN;
SELECT 'claude.refresh_feature_completion(uuid)'::regprocedure, 'claude.computed_completion(uuid)'::regprocedure,
       'claude.guard_computed_completion()'::regprocedure, 'claude.rollup_feature_completion()'::regprocedure;
SELECT 1 / (count(*) = 2)::int FROM pg_trigger WHERE tgname = 'bt95_rollup_completion';
ROLLBACK;
