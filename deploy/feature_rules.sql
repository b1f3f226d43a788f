-- Deploy buildtracker:feature_rules to pg
-- requires: feature_rules@v0.4.1
-- Reworked for speed: feature_completion_failures was a SQL function with a query,
-- which PostgreSQL cannot inline; called from PL/pgSQL it was parsed and
-- planned again in every transaction. In PL/pgSQL its plan is kept for the
-- session. Same result.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.feature_completion_failures(feature_id uuid)
RETURNS text[]
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    RETURN (
    SELECT COALESCE(array_agg(failure ORDER BY kind, name), '{}')
      FROM (
        SELECT 1 AS kind, c.component_name AS name,
               format('component "%s" is %s, not completed, tested or documented', c.component_name, c.status) AS failure
          FROM claude.components c
         WHERE c.feature_id = feature_completion_failures.feature_id
           AND c.status NOT IN ('completed', 'tested', 'documented', 'deprecated')
        UNION ALL
        SELECT 2, r.requirement_name,
               format('must-have requirement "%s" is %s, not verified', r.requirement_name, r.status)
          FROM claude.requirements r
         WHERE r.feature_id = feature_completion_failures.feature_id
           AND r.must_have AND r.status <> 'verified'
        UNION ALL
        SELECT 3, t.task_name,
               format('task "%s" is %s, not completed', t.task_name, t.status)
          FROM claude.build_tasks t
         WHERE t.feature_id = feature_completion_failures.feature_id
           AND t.status NOT IN ('completed', 'cancelled')
        UNION ALL
        SELECT 4, f.feature_name,
               format('child feature "%s" is %s, not completed or cancelled', f.feature_name, f.status)
          FROM claude.features f
         WHERE f.parent_feature_id = feature_completion_failures.feature_id
           AND f.status NOT IN ('completed', 'cancelled')
      ) AS failures);
END
$$;
COMMENT ON FUNCTION claude.feature_completion_failures(uuid) IS
    'The completion gate: every reason the feature cannot be completed, by entity name (unfinished components, unverified must-have requirements, open tasks, open child features); empty when it can.';

COMMIT;
