-- Verify buildtracker:roles on pg
BEGIN;

SELECT 1 / count(*) FROM pg_roles WHERE rolname = 'buildtracker_owner';
SELECT 1 / count(*) FROM pg_roles WHERE rolname = 'buildtracker_reader';
SELECT 1 / count(*) FROM pg_roles WHERE rolname = 'buildtracker_writer';
SELECT 1 / count(*) FROM pg_auth_members
 WHERE roleid = 'buildtracker_reader'::regrole AND member = 'buildtracker_writer'::regrole;

ROLLBACK;
