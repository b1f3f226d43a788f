-- Deploy buildtracker:generated_functions to pg
-- requires: constraint_checkers activity_logging
-- Some functions are written by the database from its own catalog, so that
-- their one source stays the catalog: claude.check_<table>_constraints (every
-- constraint of an entity table, by claude.build_constraint_checkers) and
-- claude.row_changes(new, old) (the changed columns of an entity row, by
-- claude.build_row_changes). claude.rebuild_generated() runs both builders;
-- a change that adds or alters a constraint or a column of an entity table
-- calls it (pgTAP 24 fails when a checker misses a constraint).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.rebuild_generated()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN claude.build_constraint_checkers() + claude.build_row_changes();
END
$$;
COMMENT ON FUNCTION claude.rebuild_generated() IS
    'Regenerates every generated function (the constraint checkers and row_changes) from the catalog; run after changing a constraint or a column of an entity table. Returns the number of functions built.';

SELECT claude.rebuild_generated();

COMMIT;
