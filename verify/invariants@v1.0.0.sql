-- Verify buildtracker:invariants on pg
BEGIN;
SELECT 'claude.check_invariants()'::regprocedure;
SELECT 1 / has_function_privilege('buildtracker_reader', 'claude.check_invariants()', 'EXECUTE')::int;
ROLLBACK;
