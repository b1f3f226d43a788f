-- Verify buildtracker:feature_rules on pg
BEGIN;
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.enforce_feature_rules()'::regprocedure AND prosrc LIKE '%a child feature cannot be added%'
   AND prosrc LIKE '%lock_links(''feature_parents'')%';
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt20_enforce_rules' AND tgrelid = 'claude.features'::regclass;
ROLLBACK;
