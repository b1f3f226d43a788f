-- Deploy buildtracker:task_rules to pg
-- requires: task_rules@v1.0.0
-- requires: task_leases
-- Build tasks: the rule trigger for workflow functions and raw DML alike
-- (SPEC section 4); dependency cycles use claude.creates_cycle.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.enforce_task_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
    is_insert boolean := TG_OP = 'INSERT';
    moved boolean := TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status;
    component_feature uuid;
    component_status text;
    feature_status text;
BEGIN
    -- The database, not the caller, owns both timestamps: what
    -- claude.touch_timestamps does on the other tables, done here so a task
    -- write costs one BEFORE trigger call less (lean_triggers drops
    -- bt10_touch_timestamps on build_tasks)
    IF is_insert THEN
        NEW.created_at := now();
    ELSE
        NEW.created_at := OLD.created_at;
    END IF;
    NEW.updated_at := now();

    -- A task given only a component belongs to that component's feature.
    IF NEW.component_id IS NOT NULL THEN
        SELECT c.feature_id, c.status INTO component_feature, component_status
          FROM claude.components c WHERE c.component_id = NEW.component_id;
        IF NEW.feature_id IS NULL THEN
            NEW.feature_id := component_feature;
        ELSIF FOUND AND component_feature <> NEW.feature_id THEN
            errors := errors || claude.err('component_id', 'the component belongs to another feature');
        END IF;
    END IF;

    IF is_insert THEN
        IF NEW.status IS DISTINCT FROM 'todo' THEN
            errors := errors || claude.err('status', format('a new task starts as todo, not %s', NEW.status));
        END IF;
        IF NEW.started_at IS NOT NULL OR NEW.completed_at IS NOT NULL THEN
            errors := errors || claude.err('status', 'started_at and completed_at are set by the database');
        END IF;
    ELSE
        -- A transition that is not listed is refused on its own (55000): what the
        -- target status would need is irrelevant then.
        PERFORM claude.raise_errors(claude.transition_error('build_task', OLD.status, NEW.status),
            format('cannot move task "%s" from %s to %s', NEW.task_name, OLD.status, NEW.status));
        -- checked before the transition below sets them, so a caller can never write them
        IF (NEW.started_at IS DISTINCT FROM OLD.started_at
                          OR NEW.completed_at IS DISTINCT FROM OLD.completed_at) THEN
            errors := errors || claude.err('status', 'started_at and completed_at are set by the database');
        END IF;
    END IF;

    IF (is_insert OR NEW.task_name IS DISTINCT FROM OLD.task_name) AND claude.too_short(NEW.task_name, 5) THEN
        errors := errors || claude.err('task_name', 'task_name must be at least 5 characters');
    END IF;
    IF (is_insert OR NEW.task_description IS DISTINCT FROM OLD.task_description)
       AND claude.too_short(NEW.task_description, 10) THEN
        errors := errors || claude.err('task_description', 'task_description must be at least 10 characters');
    END IF;

    IF is_insert OR NEW.feature_id IS DISTINCT FROM OLD.feature_id THEN
        SELECT f.status INTO feature_status FROM claude.features f WHERE f.feature_id = NEW.feature_id;
        errors := errors || claude.closed_feature_error('feature_id', 'a task', feature_status);
    END IF;

    IF NEW.actual_hours IS NOT NULL AND NEW.status <> 'completed'
       AND (is_insert OR moved OR NEW.actual_hours IS DISTINCT FROM OLD.actual_hours) THEN
        errors := errors || claude.err('actual_hours', 'actual_hours is set only when a task is completed');
    END IF;

    -- release (in_progress -> todo) gives the task back: it clears the assignee
    IF moved AND OLD.status = 'in_progress' AND NEW.status = 'todo' THEN
        NEW.assigned_to_identity_id := NULL;
        NEW.started_at := NULL;
    END IF;
    -- a lease is held only while in_progress (chk_task_lease)
    IF moved AND NEW.status <> 'in_progress' THEN
        NEW.lease_expires_at := NULL;
    END IF;
    -- an in_progress task changes hands through release, or by a take-over:
    -- its lease has expired and the new holder takes a fresh one in the same
    -- UPDATE (claim_next_task); a plain reassignment (update_task) is refused
    IF NOT is_insert AND NEW.assigned_to_identity_id IS DISTINCT FROM OLD.assigned_to_identity_id
       AND OLD.status NOT IN ('todo', 'blocked')
       AND NOT (moved AND OLD.status = 'in_progress' AND NEW.status = 'todo')
       AND NOT (NOT moved AND OLD.status = 'in_progress' AND COALESCE(OLD.lease_expires_at < now(), false)
                AND COALESCE(NEW.lease_expires_at > now(), false)) THEN
        errors := errors || claude.err('assigned_to_identity_id',
            format('a task can be reassigned only in todo or blocked (or taken over with a new lease once its lease has expired: claim_next_task), not %s', OLD.status), '55000');
    END IF;
    IF NEW.assigned_to_identity_id IS NULL AND NEW.status IN ('in_progress', 'review', 'completed')
       AND (is_insert OR moved OR OLD.assigned_to_identity_id IS NOT NULL) THEN
        errors := errors || claude.err('assigned_to_identity_id', format('a task in %s needs an assignee', NEW.status));
    END IF;

    IF NEW.blocked_by_task_id IS NOT NULL AND NEW.blocked_by_task_id <> NEW.task_id
       AND (is_insert OR NEW.blocked_by_task_id IS DISTINCT FROM OLD.blocked_by_task_id)
       AND claude.creates_cycle('task_dependencies', NEW.task_id, NEW.blocked_by_task_id) THEN
        errors := errors || claude.err('blocked_by_task_id', 'blocked_by_task_id would make the task wait on itself (a dependency cycle)');
    END IF;

    IF moved THEN
        CASE
        WHEN NEW.status = 'in_progress' AND OLD.status = 'todo' THEN
            -- every open blocks dependency (claude.task_dependencies, the seed's
            -- blocked_by_task_id included), each item naming its blocker (entity_id)
            errors := errors || claude.open_blockers(NEW.task_id);
            NEW.started_at := now();
        WHEN NEW.status = 'in_progress' AND OLD.status = 'blocked' THEN
            IF claude.current_note() IS NULL THEN
                errors := errors || claude.err('note', 'unblocking a task needs a resolution note');
            END IF;
            errors := errors || claude.open_blockers(NEW.task_id);
            NEW.blocked_reason := NULL;
        WHEN NEW.status = 'todo' AND OLD.status = 'in_progress' THEN
            IF claude.current_note() IS NULL THEN
                errors := errors || claude.err('reason', 'releasing a task needs a reason');
            END IF;
        WHEN NEW.status = 'in_progress' AND OLD.status = 'review' THEN
            IF claude.current_note() IS NULL THEN
                errors := errors || claude.err('note', 'requesting changes needs a note');
            END IF;
        WHEN NEW.status = 'blocked' THEN
            IF claude.too_short(NEW.blocked_reason, 1) THEN
                errors := errors || claude.err('blocked_reason', 'blocking a task needs a reason');
            END IF;
        WHEN NEW.status = 'completed' THEN
            IF NEW.actual_hours IS NULL THEN
                errors := errors || claude.err('actual_hours', 'completing a task needs actual_hours greater than 0');
            END IF;
            IF component_status = 'planned' THEN
                errors := errors || claude.err('component_id', 'the task''s component is still planned', '55000');
            END IF;
            NEW.completed_at := now();
        WHEN NEW.status = 'cancelled' THEN
            IF claude.too_short(NEW.cancellation_reason, 1) THEN
                errors := errors || claude.err('cancellation_reason', 'cancelling a task needs a reason');
            END IF;
        ELSE
            NULL;
        END CASE;
    END IF;

    errors := claude.check_build_tasks_constraints(NEW, OLD) || errors;
    PERFORM claude.raise_errors(errors, CASE
        WHEN is_insert THEN format('cannot add task "%s"', NEW.task_name)
        WHEN moved THEN format('cannot move task "%s" from %s to %s', NEW.task_name, OLD.status, NEW.status)
        ELSE format('cannot update task "%s"', NEW.task_name) END);
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION claude.enforce_task_rules() IS
    'Trigger: every build-task rule of SPEC section 4 (feature from component, initial status, transitions and what each needs, assignee rules, hours only on completion, dependency cycles, database-owned timestamps) plus all table constraints, reported together; also sets created_at and updated_at (the job of claude.touch_timestamps on the other tables).';

CREATE OR REPLACE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.build_tasks
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_task_rules();

COMMIT;
