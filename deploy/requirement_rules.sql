-- Deploy buildtracker:requirement_rules to pg
-- requires: requirement_rules@v0.4.2
-- Reworked after review of @v0.4.2: untestable_criteria_warnings became
-- PL/pgSQL there, whose body is parsed in the calling session; with
-- standard_conforming_strings off its pattern '\m(...)\M' lost its
-- backslashes and every criterion read as untestable. The pattern is now an
-- E'' literal, read the same under either setting.
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
    -- an E'' literal: a PL/pgSQL body is parsed when first called, under the
    -- session's standard_conforming_strings, and '\m' would read as 'm' with it off
    RETURN (
    SELECT COALESCE(array_agg(format('criterion "%s" reads as untestable (none of should, must, given, when, then)', u.c)
                              ORDER BY u.n), '{}')
      FROM unnest(untestable_criteria_warnings.acceptance_criteria) WITH ORDINALITY AS u(c, n)
     WHERE u.c !~* E'\\m(should|must|given|when|then)\\M');
END
$$;
COMMENT ON FUNCTION claude.untestable_criteria_warnings(text[]) IS
    'Warnings (never errors) on approval: each acceptance criterion containing none of the words should, must, given, when, then.';

COMMIT;
