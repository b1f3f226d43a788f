-- Revert buildtracker:component_rules from pg
-- Back to the @v0.4.1 SQL version of component_completion_warnings.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.component_completion_warnings(c claude.components)
RETURNS text[]
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT array_remove(ARRAY[
        (SELECT 'planned functions missing from the actual ones: ' || string_agg(p, ', ' ORDER BY p)
           FROM unnest(c.planned_functions) AS p WHERE p <> ALL (c.actual_functions)),
        (SELECT 'functions not planned: ' || string_agg(a, ', ' ORDER BY a)
           FROM unnest(c.actual_functions) AS a WHERE a <> ALL (c.planned_functions)
          HAVING cardinality(c.planned_functions) > 0),
        CASE WHEN NOT c.has_tests THEN 'no tests for this component' END,
        CASE WHEN c.test_coverage_percentage < 80
             THEN format('test coverage %s%% is below 80%%', c.test_coverage_percentage) END
    ], NULL);
END;

COMMENT ON FUNCTION claude.component_completion_warnings(claude.components) IS
    'Warnings (never errors) on completing a component: planned functions missing, unplanned extra functions, no tests, coverage under 80%.';

COMMIT;
