-- Revert buildtracker:invariants from pg
-- Back to @v1.0.0.
-- requires: legacy_import
-- claude.check_invariants(): every violation of the SPEC's invariants, for
-- the stress and fault tests and for a DBA after an incident, including
-- activity rows whose seal (activity_seal) no longer matches.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.check_invariants()
RETURNS TABLE (invariant text, entity text, entity_id uuid, detail text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- the roll-up equals its recomputation (SPEC section 5)
    SELECT 'completion_rollup', 'feature', f.feature_id,
           format('completion_percentage is %s, recomputed %s', f.completion_percentage, r.expected)
      FROM claude.features f
      CROSS JOIN LATERAL (SELECT claude.computed_completion(f.feature_id) AS expected) r
     WHERE r.expected IS NOT NULL AND r.expected <> f.completion_percentage
    UNION ALL
    -- no feature is its own ancestor
    SELECT 'feature_parent_cycle', 'feature', cyc.feature_id, 'the feature is its own ancestor'
      FROM (WITH RECURSIVE walk(start_id, current_id, depth) AS (
                SELECT f.feature_id, f.parent_feature_id, 1 FROM claude.features f WHERE f.parent_feature_id IS NOT NULL
                UNION ALL
                SELECT w.start_id, p.parent_feature_id, w.depth + 1
                  FROM walk w JOIN claude.features p ON p.feature_id = w.current_id
                 WHERE w.current_id <> w.start_id AND w.depth < 10000 AND p.parent_feature_id IS NOT NULL)
            SELECT DISTINCT start_id AS feature_id FROM walk WHERE current_id = start_id) cyc
    UNION ALL
    -- no task waits on itself
    SELECT 'task_dependency_cycle', 'build_task', cyc.task_id, 'the task waits on itself'
      FROM (WITH RECURSIVE walk(start_id, current_id, depth) AS (
                SELECT t.task_id, t.blocked_by_task_id, 1 FROM claude.build_tasks t WHERE t.blocked_by_task_id IS NOT NULL
                UNION ALL
                SELECT w.start_id, b.blocked_by_task_id, w.depth + 1
                  FROM walk w JOIN claude.build_tasks b ON b.task_id = w.current_id
                 WHERE w.current_id <> w.start_id AND w.depth < 10000 AND b.blocked_by_task_id IS NOT NULL)
            SELECT DISTINCT start_id AS task_id FROM walk WHERE current_id = start_id) cyc
    UNION ALL
    -- a task's component belongs to the task's feature (SPEC section 2)
    SELECT 'task_component_feature', 'build_task', t.task_id, 'the task''s component belongs to another feature'
      FROM claude.build_tasks t JOIN claude.components c ON c.component_id = t.component_id
     WHERE c.feature_id <> t.feature_id
    UNION ALL
    -- timestamps consistent with statuses (SPEC section 4)
    SELECT 'feature_dates', 'feature', f.feature_id, format('status %s, started %s, completed %s', f.status, f.started_date, f.completed_date)
      FROM claude.features f
     WHERE (f.status IN ('not_started', 'planned') AND f.started_date IS NOT NULL)
        OR (f.status IN ('in_progress', 'blocked', 'on_hold', 'completed') AND f.started_date IS NULL)
        OR ((f.status = 'completed') <> (f.completed_date IS NOT NULL))
        OR f.completed_date < f.started_date
    UNION ALL
    SELECT 'task_dates', 'build_task', t.task_id, format('status %s, started %s, completed %s', t.status, t.started_at, t.completed_at)
      FROM claude.build_tasks t
     WHERE (t.status = 'todo' AND t.started_at IS NOT NULL)
        OR (t.status IN ('in_progress', 'blocked', 'review', 'completed') AND t.started_at IS NULL)
        OR ((t.status = 'completed') <> (t.completed_at IS NOT NULL))
        OR t.completed_at < t.started_at
    UNION ALL
    SELECT 'component_dates', 'component', c.component_id, format('status %s, implemented %s', c.status, c.implemented_at)
      FROM claude.components c
     WHERE (c.status IN ('planned', 'in_progress') AND c.implemented_at IS NOT NULL)
        OR (c.status IN ('completed', 'tested', 'documented') AND c.implemented_at IS NULL)
    UNION ALL
    SELECT 'requirement_dates', 'requirement', r.requirement_id, format('status %s, verified %s', r.status, r.verified_at)
      FROM claude.requirements r
     WHERE (r.status = 'verified') <> (r.verified_at IS NOT NULL)
    UNION ALL
    -- every entity has its creation row in the feed
    SELECT 'creation_logged', e.kind, e.id, 'no created row in the activity feed'
      FROM (SELECT 'feature' AS kind, f.feature_id AS id FROM claude.features f
            UNION ALL SELECT 'component', c.component_id FROM claude.components c
            UNION ALL SELECT 'build_task', t.task_id FROM claude.build_tasks t
            UNION ALL SELECT 'requirement', r.requirement_id FROM claude.requirements r) e
     WHERE NOT EXISTS (SELECT 1 FROM claude.activity_feed a
                        WHERE a.source_type = e.kind AND a.source_id = e.id AND a.activity_type = 'created')
    UNION ALL
    -- no activity row altered
    SELECT 'activity_unaltered', 'activity', a.id, 'the row does not match its checksum'
      FROM claude.activity_feed a
     WHERE a.checksum IS DISTINCT FROM claude.activity_checksum(a);
END;
COMMENT ON FUNCTION claude.check_invariants() IS
    'Every violation of the SPEC''s invariants: roll-up equals recomputation, no parent or dependency cycles, timestamps consistent with statuses, every entity has its creation row in the feed, no activity row altered. Empty when all hold.';

GRANT EXECUTE ON FUNCTION claude.check_invariants() TO buildtracker_reader;

COMMIT;
