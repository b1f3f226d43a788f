-- Deploy buildtracker:feature_functions to pg
-- requires: feature_functions@v0.4.0
-- Reworked: delete_feature locks requirements, components, then tasks, so it
-- waits for (instead of deadlocking with) a requirement verified or a
-- component moved at the same moment (found in review).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.delete_feature(feature_id uuid, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    deleted claude.features;
    counts jsonb;
BEGIN
    -- Lock the children before the feature, each kind in the order its own
    -- writers lock: a requirement action locks the requirement, then its
    -- component (bt15); a component move locks the component, then its tasks;
    -- task and component actions lock their row, then the feature (roll-up).
    -- The same order here means they wait for each other instead of deadlocking.
    PERFORM 1 FROM claude.requirements r WHERE r.feature_id = delete_feature.feature_id FOR UPDATE;
    PERFORM 1 FROM claude.components c WHERE c.feature_id = delete_feature.feature_id FOR UPDATE;
    PERFORM 1 FROM claude.build_tasks t WHERE t.feature_id = delete_feature.feature_id FOR UPDATE;
    PERFORM 1 FROM claude.features f WHERE f.feature_id = delete_feature.feature_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', delete_feature.feature_id);
    END IF;
    SELECT jsonb_build_object(
        'deleted_components', (SELECT count(*) FROM claude.components c WHERE c.feature_id = delete_feature.feature_id),
        'deleted_tasks', (SELECT count(*) FROM claude.build_tasks t WHERE t.feature_id = delete_feature.feature_id),
        'deleted_requirements', (SELECT count(*) FROM claude.requirements r WHERE r.feature_id = delete_feature.feature_id),
        'detached_child_features', (SELECT count(*) FROM claude.features c WHERE c.parent_feature_id = delete_feature.feature_id))
      INTO counts;
    PERFORM claude.begin_call(actor);
    DELETE FROM claude.features f WHERE f.feature_id = delete_feature.feature_id RETURNING f.* INTO deleted;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(deleted), '{}', counts);
END
$$;
COMMENT ON FUNCTION claude.delete_feature(uuid, text) IS
    'Deletes a feature with its components, tasks and requirements (child features are detached). Metadata: counts of what went. Errors: P0002.';

COMMIT;
