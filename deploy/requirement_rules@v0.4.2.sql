-- Deploy buildtracker:requirement_rules to pg
-- requires: requirement_rules@v0.4.1
-- Reworked for speed: untestable_criteria_warnings was a SQL function with a query,
-- which PostgreSQL cannot inline; called from PL/pgSQL it was parsed and
-- planned again in every transaction. In PL/pgSQL its plan is kept for the
-- session. Same result.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.untestable_criteria_warnings(acceptance_criteria text[])
RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN (
    SELECT COALESCE(array_agg(format('criterion "%s" reads as untestable (none of should, must, given, when, then)', u.c)
                              ORDER BY u.n), '{}')
      FROM unnest(untestable_criteria_warnings.acceptance_criteria) WITH ORDINALITY AS u(c, n)
     WHERE u.c !~* '\m(should|must|given|when|then)\M');
END
$$;
COMMENT ON FUNCTION claude.untestable_criteria_warnings(text[]) IS
    'Warnings (never errors) on approval: each acceptance criterion containing none of the words should, must, given, when, then.';

COMMIT;
