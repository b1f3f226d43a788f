-- Verify buildtracker:activity_types on pg
BEGIN;
SELECT 1 / count(*) FROM pg_constraint
 WHERE conname = 'chk_activity_type' AND conrelid = 'claude.activity_feed'::regclass
   AND pg_get_constraintdef(oid) LIKE '%lease_expired%';
ROLLBACK;
