-- Revert buildtracker:schema from pg
BEGIN;

ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner IN SCHEMA claude REVOKE SELECT ON TABLES FROM buildtracker_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
DROP SCHEMA claude;

COMMIT;
