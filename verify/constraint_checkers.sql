-- Verify buildtracker:constraint_checkers on pg
BEGIN;
SELECT 'claude.build_constraint_checkers()'::regprocedure;
ROLLBACK;
