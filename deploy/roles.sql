-- Deploy buildtracker:roles to pg
-- The three group roles of SPEC section 8. Roles are cluster-wide, so each is
-- created only when missing (another database may already use them).
\ir ../scripts/preflight.sql

BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'buildtracker_owner') THEN
        CREATE ROLE buildtracker_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'buildtracker_reader') THEN
        CREATE ROLE buildtracker_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'buildtracker_writer') THEN
        CREATE ROLE buildtracker_writer NOLOGIN;
    END IF;
    -- The deployer creates every object as the owner (SET LOCAL ROLE in each
    -- change), so it must be a member of the owner role.
    IF NOT pg_has_role(current_user, 'buildtracker_owner', 'MEMBER') THEN
        EXECUTE format('GRANT buildtracker_owner TO %I', current_user);
    END IF;
END
$roles$;

-- A writer can do everything a reader can, plus call the write functions.
GRANT buildtracker_reader TO buildtracker_writer;

COMMENT ON ROLE buildtracker_owner IS 'buildtracker: owns every object of schema claude; runs migrations and the SECURITY DEFINER functions.';
COMMENT ON ROLE buildtracker_reader IS 'buildtracker: reads the tables and calls the read functions.';
COMMENT ON ROLE buildtracker_writer IS 'buildtracker: reader plus the write functions; no direct INSERT/UPDATE/DELETE on tables.';

COMMIT;
