-- Deploy buildtracker:background_jobs to pg
-- requires: generated_functions
-- requires: feed_checkpoints
-- requires: activity_types
-- requires: activity_feed_partitions
-- SPEC section 5 / seed section 4: stale tasks, blocked tasks whose blocker
-- is done, and in_progress features at 100% that pass the gate; and (SPEC
-- section 10) expired leases. run_jobs() runs the checks, logs each finding
-- once with its own activity type, and returns a summary. Callable from
-- cron, pg_cron or the CLI.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.check_stale_tasks(older_than interval DEFAULT interval '7 days')
RETURNS TABLE (task_id uuid, task_name text, assigned_to_identity_id uuid, started_at timestamptz,
               feature_id uuid, project_name text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.task_id, t.task_name, t.assigned_to_identity_id, t.started_at, t.feature_id,
           claude.project_name_of(t.feature_id)
      FROM claude.build_tasks t
     WHERE t.status = 'in_progress'
       AND t.started_at < now() - COALESCE(check_stale_tasks.older_than, interval '7 days')
     ORDER BY t.started_at;
END;
COMMENT ON FUNCTION claude.check_stale_tasks(interval) IS
    'Tasks in_progress for longer than older_than (default 7 days), oldest first.';

CREATE OR REPLACE FUNCTION claude.check_unblocked_tasks()
RETURNS TABLE (task_id uuid, task_name text, blocked_by_task_id uuid, blocker_name text, blocker_status text,
               feature_id uuid, project_name text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.task_id, t.task_name, t.blocked_by_task_id, b.task_name, b.status, t.feature_id,
           claude.project_name_of(t.feature_id)
      FROM claude.build_tasks t
      JOIN claude.build_tasks b ON b.task_id = t.blocked_by_task_id
     WHERE t.status = 'blocked' AND b.status IN ('completed', 'cancelled')
     ORDER BY t.priority, t.created_at;
END;
COMMENT ON FUNCTION claude.check_unblocked_tasks() IS
    'Blocked tasks whose blocking task is now completed or cancelled: someone should unblock them.';

CREATE OR REPLACE FUNCTION claude.check_completion_readiness()
RETURNS TABLE (feature_id uuid, feature_name text, completion_percentage integer, project_name text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT f.feature_id, f.feature_name, f.completion_percentage, p.project_name
      FROM claude.features f JOIN claude.projects p ON p.project_id = f.project_id
     WHERE f.status = 'in_progress' AND f.completion_percentage = 100
       AND cardinality(claude.feature_completion_failures(f.feature_id)) = 0
     ORDER BY f.priority, f.created_at;
END;
COMMENT ON FUNCTION claude.check_completion_readiness() IS
    'in_progress features at 100% that pass the completion gate: someone should complete them.';

CREATE OR REPLACE FUNCTION claude.utc_text(t timestamptz)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
COMMENT ON FUNCTION claude.utc_text(timestamptz) IS
    'A time as ISO 8601 text in UTC, the same under every TimeZone and DateStyle (job finding keys).';

CREATE OR REPLACE FUNCTION claude.finding_logged(finding_key text)
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- rows the jobs wrote (or written before origins were recorded): a caller
    -- cannot pre-empt a finding, log_activity refuses the key
    RETURN EXISTS (SELECT 1 FROM claude.activity_feed a
                    WHERE (a.changes ->> 'job_finding') = finding_logged.finding_key
                      AND a.origin IN ('job', 'unrecorded'));
END
$$;
COMMENT ON FUNCTION claude.finding_logged(text) IS
    'Whether run_jobs already logged this finding (its job_finding key on a row the jobs wrote).';

-- Followers of the feed (claude.follow_feed, in activity_follow) register
-- here, so that writers notify only while somebody follows: a NOTIFY takes a
-- database-wide lock at commit, which serialises writers. A follower that
-- goes away without a word leaves its row: harmless (writers keep notifying
-- until it is forgotten), and run_jobs and every new follower forget it.
-- UNLOGGED: after a crash no session survives, so no row needs to.
CREATE UNLOGGED TABLE claude.feed_followers (
    pid integer PRIMARY KEY,
    since timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE claude.feed_followers IS
    'Sessions following the activity feed (LISTEN on buildtracker_feed, registered by claude.follow_feed): writers notify that channel only while a row exists. Rows of sessions that ended are removed by claude.forget_gone_followers (run_jobs, follow_feed).';
COMMENT ON COLUMN claude.feed_followers.pid IS 'Backend process id of the following session.';
COMMENT ON COLUMN claude.feed_followers.since IS 'When the session started following.';

CREATE OR REPLACE FUNCTION claude.forget_gone_followers()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    forgotten integer;
BEGIN
    DELETE FROM claude.feed_followers f
     WHERE NOT EXISTS (SELECT 1 FROM pg_stat_get_activity(NULL) a WHERE a.pid = f.pid);
    GET DIAGNOSTICS forgotten = ROW_COUNT;
    RETURN forgotten;
END
$$;
COMMENT ON FUNCTION claude.forget_gone_followers() IS
    'Removes the followers of the feed whose session has ended (claude.feed_followers); returns how many.';

CREATE OR REPLACE FUNCTION claude.run_jobs(older_than interval DEFAULT interval '7 days', actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    finding record;
    job_actor text := COALESCE(actor, claude.current_actor());
    stale_found integer := 0;
    stale_logged integer := 0;
    unblocked_found integer := 0;
    unblocked_logged integer := 0;
    ready_found integer := 0;
    ready_logged integer := 0;
    lease_found integer := 0;
    lease_logged integer := 0;
    finding_key text;
    sealed jsonb;
    partitions jsonb;
    lock_wait text := current_setting('lock_timeout');
BEGIN
    -- One run at a time, so two schedulers cannot log the same finding twice.
    PERFORM pg_advisory_xact_lock(hashtextextended('buildtracker.run_jobs', 0));

    FOR finding IN SELECT * FROM claude.check_stale_tasks(older_than) LOOP
        stale_found := stale_found + 1;
        -- a finding is this task stuck since this start: a restart is a new finding
        finding_key := format('stale_task:%s:%s', finding.task_id, claude.utc_text(finding.started_at));
        CONTINUE WHEN claude.finding_logged(finding_key);
        PERFORM claude.append_activity('job', 'build_task', finding.task_id, 'stale',
            format('Stale task: %s', finding.task_name),
            format('In progress since %s (longer than %s)', claude.utc_text(finding.started_at), older_than),
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        stale_logged := stale_logged + 1;
    END LOOP;

    FOR finding IN SELECT * FROM claude.check_unblocked_tasks() LOOP
        unblocked_found := unblocked_found + 1;
        finding_key := format('unblocked_task:%s:%s', finding.task_id, finding.blocked_by_task_id);
        CONTINUE WHEN claude.finding_logged(finding_key);
        PERFORM claude.append_activity('job', 'build_task', finding.task_id, 'blocker_resolved',
            format('Blocker resolved: %s', finding.task_name),
            format('Blocking task "%s" is %s; the task is still blocked and can be resumed', finding.blocker_name, finding.blocker_status),
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        unblocked_logged := unblocked_logged + 1;
    END LOOP;

    FOR finding IN SELECT * FROM claude.check_completion_readiness() LOOP
        ready_found := ready_found + 1;
        -- a finding is this feature at 100% since this moment: reaching 100% again
        -- after falling back is a new finding
        finding_key := format('ready_feature:%s:%s', finding.feature_id, claude.utc_text((
            SELECT max(a.created_at) FROM claude.activity_feed a
             WHERE a.source_type = 'feature' AND a.source_id = finding.feature_id
               AND a.changes #>> '{completion_percentage,new}' = '100')));
        CONTINUE WHEN claude.finding_logged(finding_key);
        PERFORM claude.append_activity('job', 'feature', finding.feature_id, 'ready_to_complete',
            format('Ready to complete: %s', finding.feature_name),
            'At 100% and the completion gate passes; complete it with claude.complete_feature',
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        ready_logged := ready_logged + 1;
    END LOOP;

    -- an expired lease: its holder stopped heartbeating; the next claim takes it over
    FOR finding IN SELECT t.task_id, t.task_name, t.lease_expires_at, i.identity_name,
                          claude.project_name_of(t.feature_id) AS project_name
                     FROM claude.build_tasks t LEFT JOIN claude.identities i ON i.identity_id = t.assigned_to_identity_id
                    WHERE t.status = 'in_progress' AND t.lease_expires_at < now()
                    ORDER BY t.lease_expires_at, t.task_id LOOP
        lease_found := lease_found + 1;
        -- a finding is this lease: a new claim or heartbeat makes a new one
        finding_key := format('lease_expired:%s:%s', finding.task_id, claude.utc_text(finding.lease_expires_at));
        CONTINUE WHEN claude.finding_logged(finding_key);
        PERFORM claude.append_activity('job', 'build_task', finding.task_id, 'lease_expired',
            format('Lease expired: %s', finding.task_name),
            format('Held by %s until %s without a heartbeat; the next claim_next_task may take it over',
                   COALESCE(finding.identity_name, 'nobody'), claude.utc_text(finding.lease_expires_at)),
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        lease_logged := lease_logged + 1;
    END LOOP;

    -- the rows of earlier runs and transactions, now final, get their checkpoint
    sealed := claude.seal_feed(job_actor);
    -- followers that went away without unregistering: writers stop notifying for them
    PERFORM claude.forget_gone_followers();

    -- Last: the feed's months ahead exist before their rows arrive. Attaching
    -- one locks the default partition (ACCESS EXCLUSIVE, until commit), which
    -- every read of the whole feed touches; so it waits at most 2 s for
    -- running reads (queueing the next ones behind it meanwhile), else the
    -- next run tries again. Months are made three ahead: this is rare.
    BEGIN
        PERFORM set_config('lock_timeout', '2s', true);
        partitions := claude.ensure_feed_partitions();
        PERFORM set_config('lock_timeout', lock_wait, true);
    EXCEPTION WHEN lock_not_available THEN
        partitions := jsonb_build_object('skipped', 'lock_not_available');
    END;

    RETURN jsonb_build_object(
        'stale_tasks', jsonb_build_object('found', stale_found, 'logged', stale_logged),
        'unblocked_tasks', jsonb_build_object('found', unblocked_found, 'logged', unblocked_logged),
        'ready_features', jsonb_build_object('found', ready_found, 'logged', ready_logged),
        'expired_leases', jsonb_build_object('found', lease_found, 'logged', lease_logged),
        'sealed', sealed,
        'partitions', partitions,
        'ran_at', now());
END
$$;
COMMENT ON FUNCTION claude.run_jobs(interval, text) IS
    'Runs the four checks and logs each new finding once, at warning, with its own activity type (stale, blocker_resolved, ready_to_complete, lease_expired); seals the feed (seal_feed), forgets followers of the feed whose session ended (forget_gone_followers) and, last, creates the feed''s partitions ahead (ensure_feed_partitions); returns {"stale_tasks": {found, logged}, "unblocked_tasks": …, "ready_features": …, "expired_leases": …, "sealed": {checkpoint_id, row_count, digest}, "partitions": {partitioned, created, rows_moved, maintained_by} (or {skipped} when a lock was not granted within 2 s), "ran_at"}. Finding keys hold times in UTC, so a run under any TimeZone or DateStyle finds the same keys.';

CREATE OR REPLACE FUNCTION claude.schedule_jobs(schedule text DEFAULT '*/15 * * * *')
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE NOTICE 'pg_cron is not installed: schedule SELECT claude.run_jobs() from cron or run `buildtracker jobs run`';
        RETURN false;
    END IF;
    -- built at run time: schema cron exists only where pg_cron is installed
    EXECUTE format('SELECT %I.schedule($1, $2, $3)', 'cron')
       USING 'buildtracker_run_jobs', schedule, 'SELECT claude.run_jobs()';
    RETURN true;
END
$$;
COMMENT ON FUNCTION claude.schedule_jobs(text) IS
    'Where the pg_cron extension exists, schedules claude.run_jobs() (job buildtracker_run_jobs, default every 15 minutes) and returns true; elsewhere says so and returns false.';

GRANT EXECUTE ON FUNCTION claude.check_stale_tasks(interval), claude.check_unblocked_tasks(),
    claude.check_completion_readiness() TO buildtracker_reader;
GRANT EXECUTE ON FUNCTION claude.run_jobs(interval, text) TO buildtracker_writer;

COMMIT;
