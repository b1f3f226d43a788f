-- Verify buildtracker:activity_seal on pg
BEGIN;
SELECT 'claude.activity_checksum(claude.activity_feed)'::regprocedure, 'claude.seal_activity()'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt01_seal' AND tgrelid = 'claude.activity_feed'::regclass;
ROLLBACK;
