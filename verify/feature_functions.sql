-- Verify buildtracker:feature_functions on pg
BEGIN;
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.delete_feature(uuid, text)'::regprocedure AND prosrc LIKE '%FROM claude.requirements r WHERE r.feature_id = delete_feature.feature_id FOR UPDATE%';
ROLLBACK;
