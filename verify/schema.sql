-- Verify buildtracker:schema on pg
BEGIN;

SELECT 1 / count(*) FROM pg_namespace
 WHERE nspname = 'claude' AND nspowner = 'buildtracker_owner'::regrole;
SELECT 1 / (has_schema_privilege('buildtracker_reader', 'claude', 'USAGE'))::int;

ROLLBACK;
