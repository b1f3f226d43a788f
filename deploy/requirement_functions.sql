-- Deploy buildtracker:requirement_functions to pg
-- requires: requirement_functions@v0.4.1
-- Reworked for speed: requirement_warnings was a SQL function with a query,
-- which PostgreSQL cannot inline; called from PL/pgSQL it was parsed and
-- planned again in every transaction. In PL/pgSQL its plan is kept for the
-- session. Same result.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.requirement_warnings(r claude.requirements)
RETURNS text[]
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    RETURN CASE r.status
        WHEN 'approved' THEN claude.untestable_criteria_warnings(r.acceptance_criteria)
        WHEN 'verified' THEN COALESCE((
            SELECT ARRAY[format('component "%s" test coverage %s%% is below 80%%', c.component_name, c.test_coverage_percentage)]
              FROM claude.components c
             WHERE c.component_id = r.implemented_by_component_id
               AND COALESCE(c.test_coverage_percentage, 0) < 80), '{}')
        ELSE '{}'::text[] END;
END
$$;
COMMENT ON FUNCTION claude.requirement_warnings(claude.requirements) IS
    'Warnings for a requirement that just moved: untestable criteria on approval, coverage under 80% on verification.';

COMMIT;
