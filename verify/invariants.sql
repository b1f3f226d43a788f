-- Verify buildtracker:invariants on pg
BEGIN;
SELECT checksum FROM claude.activity_feed WHERE false;
SELECT 'claude.check_invariants()'::regprocedure, 'claude.activity_checksum(claude.activity_feed)'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt01_seal';
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.activity_checksum(claude.activity_feed)'::regprocedure AND provolatile = 's';
ROLLBACK;
