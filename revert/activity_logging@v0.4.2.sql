-- Revert buildtracker:activity_logging from pg
-- Back to the @v0.4.1 trigger, which finds the changed fields with a query.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.log_entity_activity()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source_type text := CASE TG_TABLE_NAME WHEN 'features' THEN 'feature' WHEN 'components' THEN 'component'
                                           WHEN 'build_tasks' THEN 'build_task' ELSE 'requirement' END;
    label text := replace(initcap(replace(source_type, '_', ' ')), 'Build Task', 'Task');
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    row_data jsonb := COALESCE(new_row, old_row);
    entity_id uuid := (row_data ->> CASE source_type WHEN 'build_task' THEN 'task_id' ELSE source_type || '_id' END)::uuid;
    entity_name text := row_data ->> CASE source_type WHEN 'build_task' THEN 'task_name' ELSE source_type || '_name' END;
    old_status text := old_row ->> 'status';
    new_status text := new_row ->> 'status';
    diff jsonb;
    kind text;
    severity text := 'info';
    title text;
    summary text;
    reason text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        kind := 'created';
        title := format('%s created: %s', label, entity_name);
        summary := format('New %s %s', COALESCE(row_data ->> (source_type || '_type'), row_data ->> 'task_type'), replace(source_type, '_', ' '));
    ELSIF TG_OP = 'DELETE' THEN
        kind := 'deleted';
        title := format('%s deleted: %s', label, entity_name);
        summary := format('Deleted while %s', old_status);
        diff := jsonb_build_object('deleted', old_row);
    ELSE
        SELECT jsonb_object_agg(n.key, jsonb_build_object('old', old_row -> n.key, 'new', n.value))
          INTO diff
          FROM jsonb_each(new_row) AS n
         WHERE n.key <> 'updated_at' AND n.value IS DISTINCT FROM old_row -> n.key;
        IF diff IS NULL THEN
            RETURN NULL;  -- nothing but updated_at changed
        END IF;
        IF new_status IS DISTINCT FROM old_status THEN
            kind := CASE
                WHEN new_status = 'completed' THEN 'completed'
                WHEN new_status = 'verified' THEN 'verified'
                WHEN new_status = 'cancelled' THEN 'cancelled'
                WHEN new_status = 'blocked' THEN 'blocked'
                WHEN new_status = 'in_progress' AND old_status = 'blocked' THEN 'unblocked'
                WHEN new_status = 'in_progress' AND old_status IN ('todo', 'planned') THEN 'started'
                ELSE 'status_changed' END;
            severity := CASE WHEN kind IN ('completed', 'verified') THEN 'success'
                             WHEN kind IN ('blocked', 'cancelled') THEN 'warning' ELSE 'info' END;
            reason := COALESCE(claude.current_note(),
                               CASE WHEN new_status IN ('blocked', 'on_hold') THEN new_row ->> 'blocked_reason'
                                    WHEN new_status = 'cancelled' THEN new_row ->> 'cancellation_reason' END);
            title := format('%s %s: %s', label, replace(CASE kind WHEN 'status_changed' THEN new_status ELSE kind END, '_', ' '), entity_name);
            summary := format('Status %s -> %s', old_status, new_status) || COALESCE('. Reason: ' || reason, '');
        ELSIF diff ? 'assigned_to_identity_id' THEN
            kind := 'assigned';
            title := format('%s assigned: %s', label, entity_name);
            summary := 'Assignee changed; fields changed: ' || (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(diff) AS k);
        ELSE
            kind := 'updated';
            title := format('%s updated: %s', label, entity_name);
            summary := 'Fields changed: ' || (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(diff) AS k)
                       || COALESCE('. Note: ' || claude.current_note(), '');
        END IF;
    END IF;

    INSERT INTO claude.activity_feed AS a (source_type, source_id, actor, activity_type, title, summary,
                                           project_name, severity, changes)
    VALUES (source_type, entity_id, claude.current_actor(), kind, left(title, 255), summary,
            CASE WHEN source_type = 'feature'
                 THEN (SELECT p.project_name FROM claude.projects p WHERE p.project_id = (row_data ->> 'project_id')::uuid)
                 ELSE claude.project_name_of((row_data ->> 'feature_id')::uuid) END,
            severity, diff);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.log_entity_activity() IS
    'Trigger: writes one activity row per insert, status change (most specific type), other update (with the changed fields, old and new) and delete (with the last state) of a feature, component, task or requirement.';

DROP FUNCTION claude.row_changes(claude.features, claude.features);
DROP FUNCTION claude.row_changes(claude.components, claude.components);
DROP FUNCTION claude.row_changes(claude.build_tasks, claude.build_tasks);
DROP FUNCTION claude.row_changes(claude.requirements, claude.requirements);
DROP FUNCTION claude.build_row_changes();

COMMIT;
