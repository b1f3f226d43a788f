-- Revert buildtracker:background_jobs from pg
-- Back to @v1.0.0.
-- requires: generated_functions
-- SPEC section 5 / seed section 4: stale tasks, blocked tasks whose blocker
-- is done, and in_progress features at 100% that pass the gate. Each check
-- is a function returning rows; run_jobs() runs all three, logs each finding
-- once, and returns a summary. Callable from cron, pg_cron or the CLI.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

-- added by the rework
DROP FUNCTION claude.forget_gone_followers();
DROP TABLE claude.feed_followers;

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
    finding_key text;
BEGIN
    -- One run at a time, so two schedulers cannot log the same finding twice.
    PERFORM pg_advisory_xact_lock(hashtextextended('buildtracker.run_jobs', 0));

    FOR finding IN SELECT * FROM claude.check_stale_tasks(older_than) LOOP
        stale_found := stale_found + 1;
        -- a finding is this task stuck since this start: a restart is a new finding
        finding_key := format('stale_task:%s:%s', finding.task_id, finding.started_at);
        CONTINUE WHEN EXISTS (SELECT 1 FROM claude.activity_feed a
                               WHERE a.changes ? 'job_finding' AND a.changes ->> 'job_finding' = finding_key);
        PERFORM claude.log_activity('build_task', finding.task_id, 'status_changed',
            format('Stale task: %s', finding.task_name),
            format('In progress since %s (longer than %s)', finding.started_at, older_than),
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        stale_logged := stale_logged + 1;
    END LOOP;

    FOR finding IN SELECT * FROM claude.check_unblocked_tasks() LOOP
        unblocked_found := unblocked_found + 1;
        finding_key := format('unblocked_task:%s:%s', finding.task_id, finding.blocked_by_task_id);
        CONTINUE WHEN EXISTS (SELECT 1 FROM claude.activity_feed a
                               WHERE a.changes ? 'job_finding' AND a.changes ->> 'job_finding' = finding_key);
        PERFORM claude.log_activity('build_task', finding.task_id, 'unblocked',
            format('Blocker resolved: %s', finding.task_name),
            format('Blocking task "%s" is %s; the task is still blocked and can be resumed', finding.blocker_name, finding.blocker_status),
            job_actor, finding.project_name, 'error', jsonb_build_object('job_finding', finding_key));
        unblocked_logged := unblocked_logged + 1;
    END LOOP;

    FOR finding IN SELECT * FROM claude.check_completion_readiness() LOOP
        ready_found := ready_found + 1;
        -- a finding is this feature at 100% since this moment: reaching 100% again
        -- after falling back is a new finding
        finding_key := format('ready_feature:%s:%s', finding.feature_id, (
            SELECT max(a.created_at) FROM claude.activity_feed a
             WHERE a.source_type = 'feature' AND a.source_id = finding.feature_id
               AND a.changes #>> '{completion_percentage,new}' = '100'));
        CONTINUE WHEN EXISTS (SELECT 1 FROM claude.activity_feed a
                               WHERE a.changes ? 'job_finding' AND a.changes ->> 'job_finding' = finding_key);
        PERFORM claude.log_activity('feature', finding.feature_id, 'status_changed',
            format('Ready to complete: %s', finding.feature_name),
            'At 100% and the completion gate passes; complete it with claude.complete_feature',
            job_actor, finding.project_name, 'error', jsonb_build_object('job_finding', finding_key));
        ready_logged := ready_logged + 1;
    END LOOP;

    RETURN jsonb_build_object(
        'stale_tasks', jsonb_build_object('found', stale_found, 'logged', stale_logged),
        'unblocked_tasks', jsonb_build_object('found', unblocked_found, 'logged', unblocked_logged),
        'ready_features', jsonb_build_object('found', ready_found, 'logged', ready_logged),
        'ran_at', now());
END
$$;
COMMENT ON FUNCTION claude.run_jobs(interval, text) IS
    'Runs the three checks and logs each new finding once (stale tasks as warning; resolved blockers and ready features as error: they need a person); returns {"stale_tasks": {found, logged}, "unblocked_tasks": …, "ready_features": …, "ran_at"}.';

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

DROP FUNCTION claude.finding_logged(text);
DROP FUNCTION claude.utc_text(timestamptz);

COMMIT;
