-- Deploy buildtracker:schema to pg
-- requires: roles
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';

CREATE SCHEMA claude AUTHORIZATION buildtracker_owner;
COMMENT ON SCHEMA claude IS 'buildtracker: build tracking (projects, features, components, tasks, requirements, activity feed); every rule lives here.';

GRANT USAGE ON SCHEMA claude TO buildtracker_reader;

-- Nothing the owner creates is executable by PUBLIC (the per-schema form can
-- only add privileges, so this one is global to the owner role).
ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
-- Readers read every table the owner creates in claude.
ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner IN SCHEMA claude GRANT SELECT ON TABLES TO buildtracker_reader;

COMMIT;
