-- Verify buildtracker:id_resolution on pg
BEGIN;
SELECT 'claude.resolve_id(text, text)'::regprocedure;
SELECT 1 / has_function_privilege('buildtracker_reader', 'claude.resolve_id(text, text)', 'EXECUTE')::int;
ROLLBACK;
