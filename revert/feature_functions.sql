-- Revert buildtracker:feature_functions from pg
-- Back to @v1.0.0.
-- requires: project_functions
-- The feature functions of SPEC section 6. They prepare arguments, guard the
-- action, write, and wrap the result in the envelope; the rule trigger on
-- claude.features decides what is allowed.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.add_feature(
    feature_name text,
    feature_type text,
    project_id uuid,
    description text DEFAULT NULL,
    priority integer DEFAULT 5,
    parent_feature_id uuid DEFAULT NULL,
    planned_by_identity_id uuid DEFAULT NULL,
    design_doc_path text DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    created claude.features;
BEGIN
    IF add_feature.parent_feature_id IS NOT NULL THEN
        PERFORM claude.lock_links('feature_parents');
    END IF;
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.features AS f (feature_name, feature_type, project_id, description, priority,
                                      parent_feature_id, planned_by_identity_id, design_doc_path)
    VALUES (btrim(add_feature.feature_name), add_feature.feature_type, add_feature.project_id,
            add_feature.description, COALESCE(add_feature.priority, 5), add_feature.parent_feature_id,
            add_feature.planned_by_identity_id, add_feature.design_doc_path)
    RETURNING f.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;
COMMENT ON FUNCTION claude.add_feature(text, text, uuid, text, integer, uuid, uuid, text, text) IS
    'Creates a feature (not_started, 0%). Errors: 23514 invalid values, 23503 unknown project/parent/identity.';

CREATE OR REPLACE FUNCTION claude.update_feature(feature_id uuid, changes jsonb, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    updated jsonb;
BEGIN
    IF jsonb_typeof(changes) = 'object' AND changes ? 'parent_feature_id' THEN
        PERFORM claude.lock_links('feature_parents');
    END IF;
    PERFORM claude.begin_call(actor);
    updated := claude.apply_changes('feature', update_feature.feature_id, changes, ARRAY[
        'feature_name', 'feature_type', 'description', 'priority', 'parent_feature_id',
        'planned_by_identity_id', 'implemented_by_identity_id', 'design_doc_path',
        'implementation_notes', 'completion_percentage']);
    PERFORM claude.end_call();
    RETURN claude.envelope(updated);
END
$$;
COMMENT ON FUNCTION claude.update_feature(uuid, jsonb, text) IS
    'Edits non-status fields of a feature from a JSON object; an unknown key or status is an error. Errors: 23514, 23503, P0002.';

CREATE OR REPLACE FUNCTION claude.update_feature_status(
    feature_id uuid,
    new_status text,
    reason text DEFAULT NULL,
    implemented_by_identity_id uuid DEFAULT NULL,
    planned_by_identity_id uuid DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    before claude.features;
    after claude.features;
BEGIN
    SELECT * INTO before FROM claude.features f WHERE f.feature_id = update_feature_status.feature_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', update_feature_status.feature_id);
    END IF;
    IF new_status IS NULL OR new_status = before.status THEN
        PERFORM claude.raise_errors(claude.err('status', COALESCE('the feature is already ' || new_status, 'new_status is required'),
                                               CASE WHEN new_status IS NULL THEN '23514' ELSE '55000' END),
            format('cannot change the status of feature "%s"', before.feature_name));
    END IF;
    PERFORM claude.begin_call(actor, reason);
    UPDATE claude.features AS f
       SET status = new_status,
           blocked_reason = CASE WHEN new_status IN ('blocked', 'on_hold') THEN reason ELSE f.blocked_reason END,
           cancellation_reason = CASE WHEN new_status = 'cancelled' THEN reason ELSE f.cancellation_reason END,
           implemented_by_identity_id = COALESCE(update_feature_status.implemented_by_identity_id, f.implemented_by_identity_id),
           planned_by_identity_id = COALESCE(update_feature_status.planned_by_identity_id, f.planned_by_identity_id)
     WHERE f.feature_id = update_feature_status.feature_id
    RETURNING f.* INTO after;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after), '{}', jsonb_build_object(
        'old_status', before.status, 'new_status', after.status,
        'completion_percentage', after.completion_percentage));
END
$$;
COMMENT ON FUNCTION claude.update_feature_status(uuid, text, text, uuid, uuid, text) IS
    'Moves a feature along its state machine; reason is the blocked/on-hold/cancellation reason or the resume note. Metadata: old_status, new_status, completion_percentage. Errors: 23514, 23503, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.complete_feature(feature_id uuid, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
RETURN claude.update_feature_status(feature_id => complete_feature.feature_id, new_status => 'completed', actor => actor);
COMMENT ON FUNCTION claude.complete_feature(uuid, text) IS
    'Completes a feature if the completion gate passes (every failing check is named in the 55000 error). Errors: P0002, 55000.';

DROP FUNCTION IF EXISTS claude.add_feature(text, text, uuid, text, integer, uuid, uuid, text, text, text[]);
DROP FUNCTION IF EXISTS claude.delete_feature(uuid, boolean, text);
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

CREATE OR REPLACE FUNCTION claude.can_complete_feature(feature_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    failures text[];
BEGIN
    PERFORM 1 FROM claude.features f WHERE f.feature_id = can_complete_feature.feature_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', can_complete_feature.feature_id);
    END IF;
    failures := claude.feature_completion_failures(can_complete_feature.feature_id);
    RETURN jsonb_build_object('can_complete', cardinality(failures) = 0, 'checks', to_jsonb(failures));
END
$$;
COMMENT ON FUNCTION claude.can_complete_feature(uuid) IS
    'The completion gate as data: {"can_complete": bool, "checks": [every failing condition by name]}; never raises for a gate failure. Errors: P0002.';

CREATE OR REPLACE FUNCTION claude.get_feature_completion(feature_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f claude.features;
    failures text[];
BEGIN
    SELECT * INTO f FROM claude.features x WHERE x.feature_id = get_feature_completion.feature_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', get_feature_completion.feature_id);
    END IF;
    failures := claude.feature_completion_failures(f.feature_id);
    RETURN jsonb_build_object(
        'feature_id', f.feature_id,
        'feature_name', f.feature_name,
        'status', f.status,
        'completion_percentage', f.completion_percentage,
        'components', (SELECT jsonb_build_object(
                'total', count(*),
                'done', count(*) FILTER (WHERE c.status IN ('completed', 'tested', 'documented')),
                'deprecated', count(*) FILTER (WHERE c.status = 'deprecated'),
                'remaining', count(*) FILTER (WHERE c.status IN ('planned', 'in_progress')))
            FROM claude.components c WHERE c.feature_id = f.feature_id),
        'tasks', (SELECT jsonb_build_object(
                'total', count(*),
                'completed', count(*) FILTER (WHERE t.status = 'completed'),
                'cancelled', count(*) FILTER (WHERE t.status = 'cancelled'),
                'open', count(*) FILTER (WHERE t.status NOT IN ('completed', 'cancelled')))
            FROM claude.build_tasks t WHERE t.feature_id = f.feature_id),
        'requirements', (SELECT jsonb_build_object(
                'total', count(*),
                'verified', count(*) FILTER (WHERE r.status = 'verified'),
                'must_have', count(*) FILTER (WHERE r.must_have),
                'must_have_verified', count(*) FILTER (WHERE r.must_have AND r.status = 'verified'))
            FROM claude.requirements r WHERE r.feature_id = f.feature_id),
        'child_features', (SELECT jsonb_build_object(
                'total', count(*),
                'finished', count(*) FILTER (WHERE c.status IN ('completed', 'cancelled')))
            FROM claude.features c WHERE c.parent_feature_id = f.feature_id),
        'can_complete', cardinality(failures) = 0,
        'checks', to_jsonb(failures));
END
$$;
COMMENT ON FUNCTION claude.get_feature_completion(uuid) IS
    'Completion details: counts per child kind (components, tasks, requirements, child features), the percentage, and the gate result. Errors: P0002.';

CREATE OR REPLACE FUNCTION claude.get_feature_with_children(feature_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result jsonb;
BEGIN
    SELECT to_jsonb(f) || jsonb_build_object(
        'components', COALESCE((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.created_at, c.component_name)
                                  FROM claude.components c WHERE c.feature_id = f.feature_id), '[]'),
        'tasks', COALESCE((SELECT jsonb_agg(to_jsonb(t) ORDER BY t.created_at, t.task_name)
                             FROM claude.build_tasks t WHERE t.feature_id = f.feature_id), '[]'),
        'requirements', COALESCE((SELECT jsonb_agg(to_jsonb(r) ORDER BY r.created_at, r.requirement_name)
                                    FROM claude.requirements r WHERE r.feature_id = f.feature_id), '[]'))
      INTO result
      FROM claude.features f WHERE f.feature_id = get_feature_with_children.feature_id;
    IF result IS NULL THEN
        PERFORM claude.raise_not_found('feature', get_feature_with_children.feature_id);
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION claude.get_feature_with_children(uuid) IS
    'The feature row with its components, tasks and requirements as arrays. Errors: P0002.';

GRANT EXECUTE ON FUNCTION
    claude.add_feature(text, text, uuid, text, integer, uuid, uuid, text, text),
    claude.update_feature(uuid, jsonb, text),
    claude.update_feature_status(uuid, text, text, uuid, uuid, text),
    claude.complete_feature(uuid, text),
    claude.delete_feature(uuid, text)
    TO buildtracker_writer;
GRANT EXECUTE ON FUNCTION
    claude.can_complete_feature(uuid),
    claude.get_feature_completion(uuid),
    claude.get_feature_with_children(uuid)
    TO buildtracker_reader;

COMMIT;
