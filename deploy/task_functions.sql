-- Deploy buildtracker:task_functions to pg
-- requires: component_functions
-- requires: task_leases
-- The build-task functions of SPEC section 6, the ready queue and the
-- many-agent claim; the rule trigger on claude.build_tasks decides what is
-- allowed. Each action locks its row first (SELECT ... FOR UPDATE), so two
-- callers racing for the same task are served one after the other and the
-- second sees the first's result.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.lock_task(task_id uuid, allowed text[], action text)
RETURNS claude.build_tasks
LANGUAGE plpgsql
AS $$
DECLARE
    locked claude.build_tasks;
BEGIN
    SELECT * INTO locked FROM claude.build_tasks t WHERE t.task_id = lock_task.task_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('task', lock_task.task_id);
    END IF;
    PERFORM claude.require_status(format('task "%s"', locked.task_name), locked.status, allowed, action);
    RETURN locked;
END
$$;
COMMENT ON FUNCTION claude.lock_task(uuid, text[], text) IS
    'Locks a task for a workflow action; P0002 when it does not exist, 55000 when its status is not one the action applies to.';

CREATE OR REPLACE FUNCTION claude.refuse_task_action(task_id uuid, allowed text[], action text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    -- raises P0002 (no such task) or 55000 (the action does not apply to its status)
    PERFORM claude.lock_task(refuse_task_action.task_id, allowed, action);
    -- the task was changed back between the update and this check
    RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
        MESSAGE = format('cannot %s task %s: it changed while the call ran', action, task_id),
        HINT = 'Retry the call.';
END
$$;
COMMENT ON FUNCTION claude.refuse_task_action(uuid, text[], text) IS
    'Explains why a task action changed no row: P0002 when the task does not exist, 55000 when its status does not fit, else 40001 (retry).';

CREATE OR REPLACE FUNCTION claude.move_task(task_id uuid, new_status text, allowed text[], action text, actor text, note text)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    after claude.build_tasks;
BEGIN
    PERFORM claude.begin_call(actor, note);
    -- one statement: the row changes only if the action applies to its status
    UPDATE claude.build_tasks AS t SET status = move_task.new_status
     WHERE t.task_id = move_task.task_id AND t.status = ANY (allowed)
    RETURNING t.* INTO after;
    IF NOT FOUND THEN
        PERFORM claude.refuse_task_action(move_task.task_id, allowed, action);
    END IF;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after));
END
$$;
COMMENT ON FUNCTION claude.move_task(uuid, text, text[], text, text, text) IS
    'Shared body of the task actions that only change the status (unblock, submit for review, request changes): one guarded UPDATE, the envelope, or the reason nothing changed.';

CREATE OR REPLACE FUNCTION claude.active_task_count(identity_id uuid)
RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    -- PL/pgSQL keeps this plan for the session; as a SQL function with a
    -- subquery it was parsed and planned again in every transaction
    RETURN (SELECT count(*) FROM claude.build_tasks t
             WHERE t.assigned_to_identity_id = active_task_count.identity_id
               AND t.status IN ('in_progress', 'blocked', 'review'));
END
$$;
COMMENT ON FUNCTION claude.active_task_count(uuid) IS
    'Number of active (in_progress, blocked or review) tasks assigned to an identity.';

-- 1.1 adds the lease (SPEC section 10)
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS claude.start_locked_task(claude.build_tasks, uuid, text);
CREATE OR REPLACE FUNCTION claude.start_locked_task(task claude.build_tasks, identity_id uuid, lease_until timestamptz,
                                                    actor text)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    after claude.build_tasks;
    active bigint;
BEGIN
    PERFORM claude.begin_call(actor);
    -- a todo task starts; an in_progress one whose lease expired changes hands
    UPDATE claude.build_tasks AS t
       SET status = 'in_progress',
           assigned_to_identity_id = COALESCE(start_locked_task.identity_id, t.assigned_to_identity_id),
           lease_expires_at = start_locked_task.lease_until
     WHERE t.task_id = (start_locked_task.task).task_id
    RETURNING t.* INTO after;
    PERFORM claude.end_call();
    active := claude.active_task_count(after.assigned_to_identity_id);
    RETURN claude.envelope(to_jsonb(after),
        CASE WHEN active > 5 THEN ARRAY[format('the assignee now has %s active tasks (more than 5)', active)] ELSE '{}' END,
        jsonb_build_object('active_tasks_count', active));
END
$$;
COMMENT ON FUNCTION claude.start_locked_task(claude.build_tasks, uuid, timestamptz, text) IS
    'Shared body of start_task and claim_next_task: starts an already locked todo task (or takes over an in_progress one whose lease expired) for an identity, holding it until lease_until (null: no lease); warns above 5 active tasks.';

-- 1.1 adds labels, last: positional callers of 1.0 see no change
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS claude.add_task(text, text, text, uuid, uuid, integer, numeric, uuid, uuid, text);
CREATE OR REPLACE FUNCTION claude.add_task(
    task_name text,
    task_description text,
    task_type text,
    component_id uuid DEFAULT NULL,
    feature_id uuid DEFAULT NULL,
    priority integer DEFAULT 5,
    estimated_hours numeric DEFAULT NULL,
    assigned_to_identity_id uuid DEFAULT NULL,
    blocked_by_task_id uuid DEFAULT NULL,
    actor text DEFAULT NULL,
    labels text[] DEFAULT '{}')
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    created claude.build_tasks;
BEGIN
    IF add_task.blocked_by_task_id IS NOT NULL THEN
        PERFORM claude.lock_links('task_dependencies');
    END IF;
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.build_tasks AS t (task_name, task_description, task_type, component_id, feature_id,
                                         priority, estimated_hours, assigned_to_identity_id, blocked_by_task_id, labels)
    VALUES (btrim(add_task.task_name), add_task.task_description, add_task.task_type, add_task.component_id,
            add_task.feature_id, COALESCE(add_task.priority, 5), add_task.estimated_hours,
            add_task.assigned_to_identity_id, add_task.blocked_by_task_id, COALESCE(add_task.labels, '{}'))
    RETURNING t.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created), '{}', jsonb_build_object('is_blocked', EXISTS (
        SELECT 1 FROM claude.build_tasks b
         WHERE b.task_id = created.blocked_by_task_id AND b.status NOT IN ('completed', 'cancelled'))));
END
$$;
COMMENT ON FUNCTION claude.add_task(text, text, text, uuid, uuid, integer, numeric, uuid, uuid, text, text[]) IS
    'Creates a todo task on a feature or component (feature filled from the component), with optional labels. Metadata: is_blocked. Errors: 23514, 23503, 55000.';

CREATE OR REPLACE FUNCTION claude.update_task(task_id uuid, changes jsonb, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    updated jsonb;
    editable text[] := ARRAY[
            'task_name', 'task_description', 'task_type', 'priority', 'estimated_hours',
            'assigned_to_identity_id', 'component_id', 'feature_id', 'blocked_by_task_id', 'labels'];
BEGIN
    -- bad keys are refused before the link lock (SPEC section 12: bounded work)
    PERFORM claude.refuse_bad_changes('build_task', update_task.task_id, changes, editable);
    IF jsonb_typeof(changes) = 'object' AND changes ? 'blocked_by_task_id' THEN
        PERFORM claude.lock_links('task_dependencies');
    END IF;
    PERFORM claude.begin_call(actor);
    updated := claude.apply_changes('build_task', update_task.task_id, changes, editable);
    PERFORM claude.end_call();
    RETURN claude.envelope(updated);
END
$$;
COMMENT ON FUNCTION claude.update_task(uuid, jsonb, text) IS
    'Edits non-status fields of a task (reassigning only in todo or blocked); an unknown key or status is an error. Errors: 23514, 23503, P0002, 55000.';

-- 1.1 adds reassign (SPEC section 10): the old signature goes; callers by
-- name see no change (reassign defaults to false)
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS claude.start_task(uuid, uuid, text);
CREATE OR REPLACE FUNCTION claude.start_task(task_id uuid, identity_id uuid DEFAULT NULL, reassign boolean DEFAULT false,
                                             actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    locked claude.build_tasks := claude.lock_task(start_task.task_id, claude.action_from_statuses('build_task', 'start'), 'start');
BEGIN
    -- another identity's task is not taken silently: only on purpose
    IF start_task.identity_id IS NOT NULL AND locked.assigned_to_identity_id IS NOT NULL
       AND locked.assigned_to_identity_id <> start_task.identity_id AND NOT COALESCE(start_task.reassign, false) THEN
        PERFORM claude.raise_errors(jsonb_set(claude.err('assigned_to_identity_id',
            format('task "%s" is assigned to %s; pass reassign => true to take it over', locked.task_name,
                   (SELECT i.identity_name FROM claude.identities i WHERE i.identity_id = locked.assigned_to_identity_id)),
            '55000'), '{0,entity_id}', to_jsonb(locked.assigned_to_identity_id)),
            format('cannot start task "%s"', locked.task_name));
    END IF;
    RETURN claude.start_locked_task(locked, start_task.identity_id, NULL, actor);
END
$$;
COMMENT ON FUNCTION claude.start_task(uuid, uuid, boolean, text) IS
    'Starts a todo task (ready: every blocks dependency done) for identity_id, or for its assignee; a task assigned to another identity only with reassign => true. Metadata: active_tasks_count; warns above 5 active tasks. Errors: 23514, 23503, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.block_task(task_id uuid, reason text, blocked_by_task_id uuid DEFAULT NULL, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    allowed text[] := claude.action_from_statuses('build_task', 'block');
    after claude.build_tasks;
BEGIN
    IF block_task.blocked_by_task_id IS NOT NULL THEN
        PERFORM claude.lock_links('task_dependencies');
    END IF;
    PERFORM claude.begin_call(actor, reason);
    -- one statement: the row changes only if the action applies to its status
    UPDATE claude.build_tasks AS t
       SET status = 'blocked', blocked_reason = block_task.reason,
           blocked_by_task_id = COALESCE(block_task.blocked_by_task_id, t.blocked_by_task_id)
     WHERE t.task_id = block_task.task_id
       AND t.status = ANY (allowed)
    RETURNING t.* INTO after;
    IF NOT FOUND THEN
        PERFORM claude.refuse_task_action(block_task.task_id, allowed, 'block');
    END IF;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after));
END
$$;
COMMENT ON FUNCTION claude.block_task(uuid, text, uuid, text) IS
    'Blocks an in_progress task with a reason, optionally naming the blocking task (never a cycle). Errors: 23514, 23503, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.unblock_task(task_id uuid, note text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN claude.move_task(unblock_task.task_id, 'in_progress', claude.action_from_statuses('build_task', 'unblock'), 'unblock', actor, note);
END
$$;
COMMENT ON FUNCTION claude.unblock_task(uuid, text, text) IS
    'Resumes a blocked task; needs a resolution note; clears blocked_reason. Errors: 23514, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.release_task(task_id uuid, reason text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN claude.move_task(release_task.task_id, 'todo', claude.action_from_statuses('build_task', 'release'), 'release',
                            actor, reason);
END
$$;
COMMENT ON FUNCTION claude.release_task(uuid, text, text) IS
    'Gives an in_progress task back: todo again, without assignee or started_at, logged with the reason; the ready queue offers it again. Errors: 23514, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.submit_task_for_review(task_id uuid, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN claude.move_task(submit_task_for_review.task_id, 'review', claude.action_from_statuses('build_task', 'submit'), 'submit for review', actor, NULL);
END
$$;
COMMENT ON FUNCTION claude.submit_task_for_review(uuid, text) IS
    'Moves an in_progress task to review. Errors: P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.request_task_changes(task_id uuid, note text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN claude.move_task(request_task_changes.task_id, 'in_progress', claude.action_from_statuses('build_task', 'request_changes'), 'request changes on', actor, note);
END
$$;
COMMENT ON FUNCTION claude.request_task_changes(uuid, text, text) IS
    'Sends a task in review back to in_progress; needs a note saying what to change. Errors: 23514, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.complete_task(
    task_id uuid,
    actual_hours numeric,
    completion_notes text DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    allowed text[] := claude.action_from_statuses('build_task', 'complete');
    -- the column's type, converted here: an out-of-range value is refused
    -- (22003) whatever the task, not only when a plan happens to fold the
    -- conversion before finding no row
    hours numeric(8,2) := complete_task.actual_hours;
    after claude.build_tasks;
    accuracy numeric;
BEGIN
    PERFORM claude.begin_call(actor, completion_notes);
    -- one statement: the row changes only if the action applies to its status
    UPDATE claude.build_tasks AS t
       SET status = 'completed', actual_hours = hours,
           completion_notes = COALESCE(complete_task.completion_notes, t.completion_notes)
     WHERE t.task_id = complete_task.task_id
       AND t.status = ANY (allowed)
    RETURNING t.* INTO after;
    IF NOT FOUND THEN
        PERFORM claude.refuse_task_action(complete_task.task_id, allowed, 'complete');
    END IF;
    PERFORM claude.end_call();
    accuracy := round(after.actual_hours / NULLIF(after.estimated_hours, 0), 2);
    RETURN claude.envelope(to_jsonb(after),
        CASE WHEN after.actual_hours > 2 * after.estimated_hours
             THEN ARRAY[format('actual hours %s are more than twice the estimate of %s', after.actual_hours, after.estimated_hours)]
             ELSE '{}' END,
        jsonb_build_object(
            'estimate_accuracy', accuracy,
            -- the tasks that waited on it (blocks edges): todo ones now ready,
            -- blocked ones resumed by claude.auto_unblock, or still waiting on others
            'unblocked_tasks', COALESCE((SELECT jsonb_agg(jsonb_build_object('task_id', w.task_id, 'task_name', w.task_name,
                                                                             'status', w.status) ORDER BY w.priority, w.created_at)
                                           FROM claude.task_dependencies d JOIN claude.build_tasks w ON w.task_id = d.task_id
                                          WHERE d.depends_on_task_id = after.task_id AND d.kind = 'blocks'
                                            AND w.status IN ('todo', 'blocked', 'in_progress')
                                            AND claude.open_blockers(w.task_id) = '[]'::jsonb), '[]')));
END
$$;
COMMENT ON FUNCTION claude.complete_task(uuid, numeric, text, text) IS
    'Completes an in_progress or review task with actual_hours > 0; warns when over twice the estimate. Metadata: estimate_accuracy (actual/estimated), unblocked_tasks (tasks that were waiting on it). Errors: 23514, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.cancel_task(task_id uuid, reason text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    allowed text[] := claude.action_from_statuses('build_task', 'cancel');
    after claude.build_tasks;
BEGIN
    PERFORM claude.begin_call(actor, reason);
    -- one statement: the row changes only if the action applies to its status
    UPDATE claude.build_tasks AS t SET status = 'cancelled', cancellation_reason = cancel_task.reason
     WHERE t.task_id = cancel_task.task_id
       AND t.status = ANY (allowed)
    RETURNING t.* INTO after;
    IF NOT FOUND THEN
        PERFORM claude.refuse_task_action(cancel_task.task_id, allowed, 'cancel');
    END IF;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after));
END
$$;
COMMENT ON FUNCTION claude.cancel_task(uuid, text, text) IS
    'Cancels an unfinished task with a reason. Errors: 23514, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.task_filters(feature_id uuid, component_id uuid, project_id uuid, labels text[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    filters text := '';
BEGIN
    -- only the filters that are set: each call is planned for its own filters
    -- ($1 feature, $2 component, $3 project, $5 labels; the caller binds the
    -- values and keeps $4 for its own use)
    IF feature_id IS NOT NULL THEN filters := filters || ' AND t.feature_id = $1'; END IF;
    IF component_id IS NOT NULL THEN filters := filters || ' AND t.component_id = $2'; END IF;
    IF project_id IS NOT NULL THEN
        filters := filters || ' AND t.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = $3)';
    END IF;
    -- carrying every given label (index idx_tasks_labels)
    IF cardinality(labels) > 0 THEN filters := filters || ' AND t.labels @> $5'; END IF;
    RETURN filters;
END
$$;
COMMENT ON FUNCTION claude.task_filters(uuid, uuid, uuid, text[]) IS
    'The optional filters of the ready queue and the claim as SQL text (" AND ..."), only those set, bound as $1-$3 and $5 (labels: tasks carrying all of them).';

CREATE OR REPLACE FUNCTION claude.expired_lease_exists(feature_id uuid, project_id uuid, labels text[])
RETURNS boolean
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    found boolean;
BEGIN
    -- an index probe (idx_tasks_lease) within the claim's own filters
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM claude.build_tasks t
                             WHERE t.status = ''in_progress'' AND t.lease_expires_at < now()'
            || claude.task_filters(feature_id, NULL, project_id, labels) || ')'
       INTO found
      USING feature_id, NULL::uuid, project_id, NULL::uuid, labels;
    RETURN found;
END
$$;
COMMENT ON FUNCTION claude.expired_lease_exists(uuid, uuid, text[]) IS
    'Whether claim_next_task with these filters could take over an in_progress task whose lease has expired (so it compares priorities only then).';

-- 1.1 adds labels
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS claude.ready_tasks_query(uuid, uuid, uuid);
CREATE OR REPLACE FUNCTION claude.ready_tasks_query(feature_id uuid, component_id uuid, project_id uuid, labels text[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    -- ready: todo, and every blocks dependency (claude.task_dependencies, the
    -- seed's blocked_by_task_id among them) completed or cancelled
    RETURN 'SELECT t.* FROM claude.build_tasks t
             WHERE t.status = ''todo''
               AND NOT EXISTS (SELECT 1 FROM claude.task_dependencies d
                                 JOIN claude.build_tasks b ON b.task_id = d.depends_on_task_id
                                WHERE d.task_id = t.task_id AND d.kind = ''blocks''
                                  AND b.status NOT IN (''completed'', ''cancelled''))'
        || claude.task_filters(feature_id, component_id, project_id, labels);
END
$$;
COMMENT ON FUNCTION claude.ready_tasks_query(uuid, uuid, uuid, text[]) IS
    'The ready queue as SQL text without its ORDER BY, for get_ready_tasks and claim_next_task: todo tasks whose blocks dependencies are all completed or cancelled; only the given filters (claude.task_filters).';

-- t.* is expanded when the query runs, so a column added later is returned too.
-- 1.1 adds labels
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS claude.get_ready_tasks(uuid, uuid, uuid, integer);
CREATE OR REPLACE FUNCTION claude.get_ready_tasks(
    feature_id uuid DEFAULT NULL,
    component_id uuid DEFAULT NULL,
    project_id uuid DEFAULT NULL,
    max_rows integer DEFAULT 50,
    labels text[] DEFAULT NULL)
RETURNS SETOF claude.build_tasks
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY EXECUTE claude.ready_tasks_query(feature_id, component_id, project_id, labels)
                         || ' ORDER BY t.priority, t.created_at, t.task_id LIMIT $4'
      USING feature_id, component_id, project_id, LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000), labels;
END
$$;
COMMENT ON FUNCTION claude.get_ready_tasks(uuid, uuid, uuid, integer, text[]) IS
    'todo tasks whose blocks dependencies (claude.task_dependencies) are all completed or cancelled, by priority then age (index idx_tasks_ready); labels keeps only tasks carrying all of them; max_rows 0-1000, default 50.';

-- 1.1 adds labels and the lease (SPEC section 10)
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS claude.claim_next_task(uuid, uuid, uuid, text);
CREATE OR REPLACE FUNCTION claude.claim_next_task(
    identity_id uuid,
    project_id uuid DEFAULT NULL,
    feature_id uuid DEFAULT NULL,
    labels text[] DEFAULT NULL,
    lease interval DEFAULT interval '30 minutes',
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    length interval := claude.lease_length(claim_next_task.lease);
    ready text;
    best_ready integer;
    picked claude.build_tasks;
    expired claude.build_tasks;
BEGIN
    IF identity_id IS NULL THEN
        PERFORM claude.raise_errors(claude.err('identity_id', 'identity_id is required to claim a task'), 'cannot claim a task');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM claude.identities i WHERE i.identity_id = claim_next_task.identity_id) THEN
        PERFORM claude.raise_errors(claude.err('identity_id', 'identity_id does not name an existing identity', '23503'),
                                    'cannot claim a task');
    END IF;
    -- a task assigned to someone else is theirs: claim only unassigned ones or our own
    ready := claude.ready_tasks_query(claim_next_task.feature_id, NULL, claim_next_task.project_id, claim_next_task.labels)
             || ' AND (t.assigned_to_identity_id IS NULL OR t.assigned_to_identity_id = $4)'
             || ' ORDER BY t.priority, t.created_at, t.task_id LIMIT 1';
    -- An in_progress task whose lease has expired is abandoned work, taken
    -- over when it comes first by priority (before a ready task of equal
    -- priority: it was started earlier). Only when there is one (an index
    -- probe), the best ready priority is read without a lock, so a claim
    -- never holds a ready task it passes over.
    IF claude.expired_lease_exists(claim_next_task.feature_id, claim_next_task.project_id, claim_next_task.labels) THEN
        EXECUTE 'SELECT r.priority FROM (' || ready || ') r'
           INTO best_ready
          USING claim_next_task.feature_id, NULL::uuid, claim_next_task.project_id, claim_next_task.identity_id,
                claim_next_task.labels;
        EXECUTE 'SELECT t.* FROM claude.build_tasks t
                  WHERE t.status = ''in_progress'' AND t.lease_expires_at < now()'
                || claude.task_filters(claim_next_task.feature_id, NULL, claim_next_task.project_id, claim_next_task.labels)
                || ' AND ($4::integer IS NULL OR t.priority <= $4)'
                || ' ORDER BY t.priority, t.lease_expires_at, t.task_id LIMIT 1 FOR UPDATE OF t SKIP LOCKED'
           INTO expired
          USING claim_next_task.feature_id, NULL::uuid, claim_next_task.project_id, best_ready,
                claim_next_task.labels;
    END IF;
    IF expired.task_id IS NOT NULL THEN
        -- logged as reclaimed (claude.log_entity_activity), naming the previous assignee
        RETURN jsonb_set(jsonb_set(jsonb_set(claude.start_locked_task(expired, claim_next_task.identity_id, now() + length, actor),
                                             '{metadata,claimed}', 'true'),
                                   '{metadata,reclaimed}', 'true'),
                         -- the claimer's own expired lease renewed: nothing taken from anyone
                         '{metadata,reclaimed_from_identity_id}',
                         CASE WHEN expired.assigned_to_identity_id IS DISTINCT FROM claim_next_task.identity_id
                              THEN COALESCE(to_jsonb(expired.assigned_to_identity_id), 'null') ELSE 'null' END);
    END IF;
    -- SKIP LOCKED: concurrent claimers pass over each other's picks, so no
    -- task is handed out twice and nobody waits.
    EXECUTE ready || ' FOR UPDATE OF t SKIP LOCKED'
       INTO picked
      USING claim_next_task.feature_id, NULL::uuid, claim_next_task.project_id, claim_next_task.identity_id,
            claim_next_task.labels;
    IF picked.task_id IS NULL THEN
        RETURN claude.envelope(NULL, '{}', jsonb_build_object('claimed', false));
    END IF;
    RETURN jsonb_set(jsonb_set(jsonb_set(claude.start_locked_task(picked, claim_next_task.identity_id, now() + length, actor),
                                         '{metadata,claimed}', 'true'),
                               '{metadata,reclaimed}', 'false'),
                     '{metadata,reclaimed_from_identity_id}', 'null');
END
$$;
COMMENT ON FUNCTION claude.claim_next_task(uuid, uuid, uuid, text[], interval, text) IS
    'Atomically picks the highest-priority ready task (optionally of a project or feature, carrying all the given labels) that is unassigned or assigned to identity_id, or an in_progress task whose lease has expired (logged as reclaimed), and starts it for identity_id holding it for lease (1 second to 1 day, default 30 minutes); safe for many agents at once. data is null when nothing is claimable. Metadata: claimed, reclaimed (an expired lease taken over, even the claimer''s own), reclaimed_from_identity_id (the previous holder when another identity), active_tasks_count. Errors: 23514, 23503.';

GRANT EXECUTE ON FUNCTION
    claude.add_task(text, text, text, uuid, uuid, integer, numeric, uuid, uuid, text, text[]),
    claude.update_task(uuid, jsonb, text),
    claude.start_task(uuid, uuid, boolean, text),
    claude.release_task(uuid, text, text),
    claude.block_task(uuid, text, uuid, text),
    claude.unblock_task(uuid, text, text),
    claude.submit_task_for_review(uuid, text),
    claude.request_task_changes(uuid, text, text),
    claude.complete_task(uuid, numeric, text, text),
    claude.cancel_task(uuid, text, text),
    claude.claim_next_task(uuid, uuid, uuid, text[], interval, text)
    TO buildtracker_writer;
GRANT EXECUTE ON FUNCTION claude.get_ready_tasks(uuid, uuid, uuid, integer, text[]) TO buildtracker_reader;

COMMIT;
