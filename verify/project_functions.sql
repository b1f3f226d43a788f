-- Verify buildtracker:project_functions on pg
BEGIN;
SELECT 'claude.add_project(text, text)'::regprocedure, 'claude.add_identity(text, text)'::regprocedure,
       'claude.enforce_project_rules()'::regprocedure, 'claude.enforce_identity_rules()'::regprocedure;
SELECT 1 / has_function_privilege('buildtracker_writer', 'claude.add_project(text, text)', 'EXECUTE')::int;
ROLLBACK;
