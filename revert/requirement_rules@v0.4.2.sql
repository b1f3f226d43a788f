-- Revert buildtracker:requirement_rules from pg
-- Back to the @v0.4.1 SQL version of untestable_criteria_warnings.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.untestable_criteria_warnings(acceptance_criteria text[])
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT COALESCE(array_agg(format('criterion "%s" reads as untestable (none of should, must, given, when, then)', c)
                              ORDER BY n), '{}')
      FROM unnest(acceptance_criteria) WITH ORDINALITY AS u(c, n)
     WHERE c !~* '\m(should|must|given|when|then)\M';
END;

COMMENT ON FUNCTION claude.untestable_criteria_warnings(text[]) IS
    'Warnings (never errors) on approval: each acceptance criterion containing none of the words should, must, given, when, then.';

COMMIT;
