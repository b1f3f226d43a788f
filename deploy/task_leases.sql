-- Deploy buildtracker:task_leases to pg
-- requires: labels
-- SPEC section 10, leases: a claimed task is held for a while
-- (lease_expires_at); the holder extends it with heartbeat_task, and once it
-- has expired the next claim_next_task may take the task over ("reclaimed").
-- A crashed agent's task goes back to work in minutes, not after the 7-day
-- stale check.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

ALTER TABLE claude.build_tasks ADD COLUMN lease_expires_at timestamptz;
COMMENT ON COLUMN claude.build_tasks.lease_expires_at IS
    'Until when the assignee holds the task (claim_next_task, heartbeat_task); null unless in_progress, and null for a task started without a lease. Past it, another claim may take the task over.';
-- A new column holds only nulls. ADD COLUMN already holds the table's lock in
-- this transaction, so validating here blocks nothing more.
ALTER TABLE claude.build_tasks ADD CONSTRAINT chk_task_lease CHECK (lease_expires_at IS NULL OR status = 'in_progress') NOT VALID;
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE claude.build_tasks VALIDATE CONSTRAINT chk_task_lease;
COMMENT ON CONSTRAINT chk_task_lease ON claude.build_tasks IS 'only an in_progress task holds a lease (lease_expires_at)';

-- the claim's "whose lease has expired" scan
CREATE INDEX idx_tasks_lease ON claude.build_tasks (lease_expires_at) WHERE status = 'in_progress' AND lease_expires_at IS NOT NULL;
COMMENT ON INDEX claude.idx_tasks_lease IS 'In-progress tasks by lease end: expired leases for claim_next_task and run_jobs.';

CREATE FUNCTION claude.lease_length(lease interval)
RETURNS interval
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- from 1 second (tests, demos, very short steps) to 1 day (longer is no
    -- lease at all)
    IF lease IS NULL OR lease < interval '1 second' OR lease > interval '1 day' THEN
        PERFORM claude.raise_errors(claude.err('lease', format('lease must be from 1 second to 1 day, not %s', COALESCE(lease::text, 'null'))),
                                    'invalid lease');
    END IF;
    RETURN lease;
END
$$;
COMMENT ON FUNCTION claude.lease_length(interval) IS
    'Checks a requested lease length (1 second to 1 day) and returns it; 23514 otherwise.';

CREATE FUNCTION claude.heartbeat_task(task_id uuid, identity_id uuid, lease interval DEFAULT interval '30 minutes',
                                      actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    length interval := claude.lease_length(heartbeat_task.lease);
    -- a heartbeat applies where a release does: while the task is held (in_progress)
    locked claude.build_tasks := claude.lock_task(heartbeat_task.task_id,
                                                  claude.action_from_statuses('build_task', 'release'), 'heartbeat');
    after claude.build_tasks;
BEGIN
    -- only the holder extends its lease; an expired lease may already be someone else's
    IF locked.assigned_to_identity_id IS DISTINCT FROM heartbeat_task.identity_id THEN
        PERFORM claude.raise_errors(jsonb_set(claude.err('identity_id',
            format('task "%s" is held by %s, not by the caller', locked.task_name,
                   COALESCE((SELECT i.identity_name FROM claude.identities i
                              WHERE i.identity_id = locked.assigned_to_identity_id), 'nobody')),
            '55000'), '{0,entity_id}', COALESCE(to_jsonb(locked.assigned_to_identity_id), 'null')),
            format('cannot heartbeat task "%s"', locked.task_name));
    END IF;
    PERFORM claude.begin_call(actor);
    UPDATE claude.build_tasks AS t SET lease_expires_at = now() + length
     WHERE t.task_id = heartbeat_task.task_id
    RETURNING t.* INTO after;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after), '{}', jsonb_build_object('lease_expires_at', after.lease_expires_at));
END
$$;
COMMENT ON FUNCTION claude.heartbeat_task(uuid, uuid, interval, text) IS
    'Extends the lease of an in_progress task held by identity_id to now() + lease (1 second to 1 day, default 30 minutes); not logged in the feed (a lease is not history). Metadata: lease_expires_at. Errors: 23514, P0002, 55000 (not in progress, or held by another identity).';

GRANT EXECUTE ON FUNCTION claude.heartbeat_task(uuid, uuid, interval, text) TO buildtracker_writer;

DO $$ BEGIN PERFORM claude.rebuild_generated(); END $$;

COMMIT;
