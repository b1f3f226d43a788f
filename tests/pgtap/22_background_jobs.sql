-- Background jobs (SPEC section 5, deploy/background_jobs.sql): stale tasks
-- (in_progress longer than 7 days, configurable), blocked tasks whose blocker
-- is done, in_progress features at 100% that pass the completion gate;
-- run_jobs() runs the three, logs each new finding once with its severity and
-- returns a summary; schedule_jobs() without pg_cron.
--
-- Everything runs in one transaction, so now() is fixed and the checks see a
-- stable database apart from what this file changes. A first run_jobs()
-- before the fixture absorbs whatever other data may already be findings;
-- the counts below are relative to it.
--
-- Helpers live in pg_temp and vanish with the test transaction:
--   pg_temp.remember(key, id) / pg_temp.id(key)   uuids kept under a key
--   pg_temp.task(key, feature_key, name)   a new todo task on the feature
--   pg_temp.started(key)        starts the task for identity I
--   pg_temp.age_start(key, age) fakes started_at = now() - age (replica mode)
--   pg_temp.finding_rows(key)   the job rows logged about the entity under key
--   pg_temp.summary(key)        a run_jobs() result kept under key
BEGIN;
SELECT plan(48);

-- ------------------------------------------------------------------ helpers
CREATE TEMP TABLE test_ids (k text PRIMARY KEY, id uuid NOT NULL);
CREATE TEMP TABLE runs (k text PRIMARY KEY, summary jsonb NOT NULL);

CREATE FUNCTION pg_temp.remember(key text, value uuid) RETURNS uuid
LANGUAGE sql AS $$
    INSERT INTO test_ids (k, id) VALUES (key, value)
    ON CONFLICT (k) DO UPDATE SET id = EXCLUDED.id
    RETURNING id
$$;

CREATE FUNCTION pg_temp.id(key text) RETURNS uuid
LANGUAGE sql STABLE AS $$ SELECT id FROM test_ids WHERE k = key $$;

CREATE FUNCTION pg_temp.run(key text, older_than interval DEFAULT interval '7 days', actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql AS $$
    INSERT INTO runs (k, summary) VALUES (key, claude.run_jobs(older_than => older_than, actor => actor))
    RETURNING summary
$$;

CREATE FUNCTION pg_temp.summary(key text) RETURNS jsonb
LANGUAGE sql STABLE AS $$ SELECT summary FROM runs WHERE k = key $$;

-- found of run key minus found of the baseline run, and logged of run key
CREATE FUNCTION pg_temp.counts(key text, job text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'found', (pg_temp.summary(key)->job->>'found')::int - (pg_temp.summary('baseline')->job->>'found')::int,
        'logged', (pg_temp.summary(key)->job->>'logged')::int)
$$;

CREATE FUNCTION pg_temp.feature_in(key text, status text, name text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    f uuid;
BEGIN
    f := (claude.add_feature(feature_name => name, feature_type => 'feature', project_id => pg_temp.id('P'),
            description => 'A description long enough to plan the feature with.',
            planned_by_identity_id => pg_temp.id('I'))->'data'->>'feature_id')::uuid;
    PERFORM pg_temp.remember(key, f);
    IF status = 'not_started' THEN RETURN f; END IF;
    PERFORM claude.update_feature_status(f, 'planned');
    IF status = 'planned' THEN RETURN f; END IF;
    PERFORM claude.update_feature_status(f, 'in_progress', implemented_by_identity_id => pg_temp.id('I'));
    RETURN f;
END
$$;

CREATE FUNCTION pg_temp.done_component(feature_key text, name text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    c uuid;
BEGIN
    c := (claude.add_component(feature_id => pg_temp.id(feature_key), component_name => name,
            component_type => 'service')->'data'->>'component_id')::uuid;
    PERFORM claude.update_component_status(c, 'in_progress');
    PERFORM claude.complete_component(c, actual_functions => ARRAY['run'], has_tests => true);
    RETURN c;
END
$$;

CREATE FUNCTION pg_temp.task(key text, feature_key text, name text) RETURNS uuid
LANGUAGE sql AS $$
    SELECT pg_temp.remember(key, (claude.add_task(task_name => name,
        task_description => 'Work item for the job tests', task_type => 'code',
        feature_id => pg_temp.id(feature_key), estimated_hours => 4)->'data'->>'task_id')::uuid)
$$;

CREATE FUNCTION pg_temp.started(key text) RETURNS uuid
LANGUAGE sql AS $$
    SELECT (claude.start_task(pg_temp.id(key), identity_id => pg_temp.id('I'))->'data'->>'task_id')::uuid
$$;

CREATE FUNCTION pg_temp.finding_rows(key text) RETURNS SETOF claude.activity_feed
LANGUAGE sql STABLE AS $$
    SELECT * FROM claude.activity_feed
     WHERE source_id = pg_temp.id(key) AND changes ? 'job_finding'
     ORDER BY created_at
$$;

-- ------------------------------------------------------------------ baseline and fixture
SELECT pg_temp.run('baseline') IS NOT NULL AS done \gset

DO $$
BEGIN
    PERFORM pg_temp.remember('P', (claude.add_project('Jobs project')->'data'->>'project_id')::uuid);
    PERFORM pg_temp.remember('I', (claude.add_identity('jobs-agent')->'data'->>'identity_id')::uuid);
    PERFORM pg_temp.feature_in('FT', 'in_progress', 'Feature with task findings');

    -- stale candidates
    PERFORM pg_temp.task('stale10', 'FT', 'Task started ten days ago');
    PERFORM pg_temp.started('stale10');
    PERFORM pg_temp.task('fresh', 'FT', 'Task started just now');
    PERFORM pg_temp.started('fresh');
    PERFORM pg_temp.task('stale3', 'FT', 'Task started three days ago');
    PERFORM pg_temp.started('stale3');
    PERFORM pg_temp.task('old blocked', 'FT', 'Blocked task started long ago');
    PERFORM pg_temp.started('old blocked');
    PERFORM claude.block_task(pg_temp.id('old blocked'), reason => 'waiting for a vendor');

    -- unblocked candidates: blocked on a task that gets completed / cancelled / stays open
    PERFORM pg_temp.task('blocker done', 'FT', 'Blocker that gets completed');
    PERFORM pg_temp.task('blocker cancelled', 'FT', 'Blocker that gets cancelled');
    PERFORM pg_temp.task('blocker open', 'FT', 'Blocker that stays open');
    PERFORM pg_temp.task('waits on done', 'FT', 'Waits on the completed blocker');
    PERFORM pg_temp.task('waits on cancelled', 'FT', 'Waits on the cancelled blocker');
    PERFORM pg_temp.task('waits on open', 'FT', 'Waits on the open blocker');
    PERFORM pg_temp.task('waits on nothing', 'FT', 'Blocked without a blocking task');
    PERFORM pg_temp.started('waits on done');
    PERFORM pg_temp.started('waits on cancelled');
    PERFORM pg_temp.started('waits on open');
    PERFORM pg_temp.started('waits on nothing');
    PERFORM claude.block_task(pg_temp.id('waits on done'), reason => 'needs the API',
                              blocked_by_task_id => pg_temp.id('blocker done'));
    PERFORM claude.block_task(pg_temp.id('waits on cancelled'), reason => 'needs the schema',
                              blocked_by_task_id => pg_temp.id('blocker cancelled'));
    PERFORM claude.block_task(pg_temp.id('waits on open'), reason => 'needs the design',
                              blocked_by_task_id => pg_temp.id('blocker open'));
    PERFORM claude.block_task(pg_temp.id('waits on nothing'), reason => 'needs a decision');
    PERFORM pg_temp.started('blocker done');
    -- blocked tasks whose blocker is done: auto-unblock (deploy/task_dependencies.sql)
    -- resumes them at once now, so the state the job looks for is made with
    -- it off, as a database from before it may hold it
    ALTER TABLE claude.build_tasks DISABLE TRIGGER bt40_auto_unblock;
    PERFORM claude.complete_task(pg_temp.id('blocker done'), actual_hours => 4);
    PERFORM claude.cancel_task(pg_temp.id('blocker cancelled'), reason => 'not needed after all');
    ALTER TABLE claude.build_tasks ENABLE TRIGGER bt40_auto_unblock;
    PERFORM pg_temp.started('blocker open');

    -- readiness candidates
    PERFORM pg_temp.feature_in('ready', 'in_progress', 'Feature ready to complete');
    PERFORM pg_temp.done_component('ready', 'Finished component');
    PERFORM pg_temp.feature_in('gate fails', 'in_progress', 'Feature at 100 failing the gate');
    PERFORM pg_temp.done_component('gate fails', 'Finished component');
    PERFORM claude.add_requirement(feature_id => pg_temp.id('gate fails'), requirement_name => 'Unverified must-have',
        requirement_type => 'functional', description => 'A must-have requirement that is not verified yet.',
        acceptance_criteria => ARRAY['it must be verified'], must_have => true,
        created_by_identity_id => pg_temp.id('I'));
    PERFORM pg_temp.feature_in('half', 'in_progress', 'Feature half done');
    PERFORM pg_temp.done_component('half', 'Finished component');
    PERFORM claude.add_component(feature_id => pg_temp.id('half'), component_name => 'Open component',
                                 component_type => 'service');
    PERFORM pg_temp.feature_in('manual', 'in_progress', 'Feature at 100 by hand');
    PERFORM claude.update_feature(pg_temp.id('manual'), '{"completion_percentage": 100}');
    PERFORM pg_temp.feature_in('planned 100', 'planned', 'Planned feature at 100');
    PERFORM claude.update_feature(pg_temp.id('planned 100'), '{"completion_percentage": 100}');
END
$$;

-- fake old start times; the rule, activity and roll-up triggers do not fire in replica mode
SET LOCAL session_replication_role = replica;
UPDATE claude.build_tasks SET started_at = now() - interval '10 days' WHERE task_id = pg_temp.id('stale10');
UPDATE claude.build_tasks SET started_at = now() - interval '3 days' WHERE task_id = pg_temp.id('stale3');
UPDATE claude.build_tasks SET started_at = now() - interval '20 days' WHERE task_id = pg_temp.id('old blocked');
RESET session_replication_role;

-- ------------------------------------------------------------------ check_stale_tasks (8 tests)
SELECT is(current_setting('session_replication_role'), 'origin', 'replica mode is off again');
SELECT ok(pg_temp.id('stale10') IN (SELECT task_id FROM claude.check_stale_tasks()),
          'a task in_progress since 10 days is stale (default 7 days)');
SELECT ok(pg_temp.id('fresh') NOT IN (SELECT task_id FROM claude.check_stale_tasks()),
          'a task started just now is not stale');
SELECT ok(pg_temp.id('stale3') NOT IN (SELECT task_id FROM claude.check_stale_tasks()),
          'a task in_progress since 3 days is not stale by default');
SELECT ok(pg_temp.id('old blocked') NOT IN (SELECT task_id FROM claude.check_stale_tasks(interval '1 day')),
          'a blocked task is not stale work, however old its start');
SELECT is((SELECT jsonb_build_object('task_name', task_name, 'assigned_to_identity_id', assigned_to_identity_id,
                                     'started_at', started_at, 'feature_id', feature_id, 'project_name', project_name)
             FROM claude.check_stale_tasks() WHERE task_id = pg_temp.id('stale10')),
          jsonb_build_object('task_name', 'Task started ten days ago', 'assigned_to_identity_id', pg_temp.id('I'),
                             'started_at', now() - interval '10 days', 'feature_id', pg_temp.id('FT'),
                             'project_name', 'Jobs project'),
          'a stale row names the task, assignee, start, feature and project');
SELECT is(ARRAY(SELECT task_id FROM claude.check_stale_tasks(interval '2 days')
                 WHERE task_id IN (pg_temp.id('stale10'), pg_temp.id('stale3'), pg_temp.id('fresh'))),
          ARRAY[pg_temp.id('stale10'), pg_temp.id('stale3')],
          'a custom older_than (2 days) also finds the 3-day task, oldest first, still not the fresh one');
SELECT ok(pg_temp.id('stale10') NOT IN (SELECT task_id FROM claude.check_stale_tasks(interval '30 days')),
          'with older_than 30 days the 10-day task is not stale');

-- ------------------------------------------------------------------ check_unblocked_tasks (5 tests)
SELECT is((SELECT jsonb_build_object('blocked_by_task_id', blocked_by_task_id, 'blocker_name', blocker_name,
                                     'blocker_status', blocker_status, 'project_name', project_name)
             FROM claude.check_unblocked_tasks() WHERE task_id = pg_temp.id('waits on done')),
          jsonb_build_object('blocked_by_task_id', pg_temp.id('blocker done'), 'blocker_name', 'Blocker that gets completed',
                             'blocker_status', 'completed', 'project_name', 'Jobs project'),
          'a blocked task whose blocker is completed is found, with the blocker and project');
SELECT is((SELECT blocker_status FROM claude.check_unblocked_tasks() WHERE task_id = pg_temp.id('waits on cancelled')),
          'cancelled', 'a blocked task whose blocker is cancelled is found');
SELECT ok(pg_temp.id('waits on open') NOT IN (SELECT task_id FROM claude.check_unblocked_tasks()),
          'a blocked task whose blocker is still open is not found');
SELECT ok(pg_temp.id('waits on nothing') NOT IN (SELECT task_id FROM claude.check_unblocked_tasks()),
          'a blocked task without a blocking task is not found');
SELECT ok(pg_temp.id('blocker done') NOT IN (SELECT task_id FROM claude.check_unblocked_tasks()),
          'the completed blocker itself is not found');

-- ------------------------------------------------------------------ check_completion_readiness (6 tests)
SELECT is((SELECT jsonb_build_object('feature_name', feature_name, 'completion_percentage', completion_percentage,
                                     'project_name', project_name)
             FROM claude.check_completion_readiness() WHERE feature_id = pg_temp.id('ready')),
          '{"feature_name": "Feature ready to complete", "completion_percentage": 100, "project_name": "Jobs project"}'::jsonb,
          'an in_progress feature at 100% that passes the gate is found');
SELECT is((SELECT completion_percentage FROM claude.features WHERE feature_id = pg_temp.id('gate fails')), 100,
          'the feature with an unverified must-have requirement is at 100%');
SELECT ok(pg_temp.id('gate fails') NOT IN (SELECT feature_id FROM claude.check_completion_readiness()),
          'but it fails the gate, so it is not found');
SELECT ok(pg_temp.id('half') NOT IN (SELECT feature_id FROM claude.check_completion_readiness()),
          'a feature at 50% is not found');
SELECT ok(pg_temp.id('manual') IN (SELECT feature_id FROM claude.check_completion_readiness()),
          'an in_progress feature at 100% by hand, with nothing open, is found');
SELECT ok(pg_temp.id('planned 100') NOT IN (SELECT feature_id FROM claude.check_completion_readiness()),
          'a planned feature at 100% is not found (only in_progress ones are)');

-- ------------------------------------------------------------------ run_jobs (21 tests)
SELECT pg_temp.run('first') IS NOT NULL AS done \gset
SELECT ok(pg_temp.summary('first') ?& ARRAY['stale_tasks', 'unblocked_tasks', 'ready_features', 'ran_at'],
          'the summary has stale_tasks, unblocked_tasks, ready_features and ran_at');
SELECT is(pg_temp.counts('first', 'stale_tasks'), '{"found": 1, "logged": 1}'::jsonb,
          'first run: one stale task found and logged');
SELECT is(pg_temp.counts('first', 'unblocked_tasks'), '{"found": 2, "logged": 2}'::jsonb,
          'first run: two unblocked tasks found and logged');
SELECT is(pg_temp.counts('first', 'ready_features'), '{"found": 2, "logged": 2}'::jsonb,
          'first run: two ready features found and logged');
SELECT is((SELECT jsonb_build_object('source_type', source_type, 'severity', severity, 'project_name', project_name,
                                     'actor', actor, 'title', title)
             FROM pg_temp.finding_rows('stale10')),
          jsonb_build_object('source_type', 'build_task', 'severity', 'warning', 'project_name', 'Jobs project',
            'actor', claude.current_actor(), 'title', 'Stale task: Task started ten days ago'),
          'the stale task is logged as a warning about the task, with project and the session''s actor');
SELECT is((SELECT jsonb_build_object('source_type', source_type, 'severity', severity, 'project_name', project_name)
             FROM pg_temp.finding_rows('waits on done')),
          '{"source_type": "build_task", "severity": "warning", "project_name": "Jobs project"}'::jsonb,
          'the task whose blocker completed is logged as a warning (good news is never an error)');
SELECT is((SELECT severity FROM pg_temp.finding_rows('waits on cancelled')), 'warning',
          'the task whose blocker was cancelled is logged as a warning');
SELECT is((SELECT jsonb_build_object('source_type', source_type, 'severity', severity, 'project_name', project_name)
             FROM pg_temp.finding_rows('ready')),
          '{"source_type": "feature", "severity": "warning", "project_name": "Jobs project"}'::jsonb,
          'the ready feature is logged as a warning about the feature');
SELECT is((SELECT severity FROM pg_temp.finding_rows('manual')), 'warning', 'the feature at 100% by hand is logged too');
SELECT is((SELECT count(*) FROM claude.activity_feed
            WHERE changes ? 'job_finding'
              AND source_id IN (pg_temp.id('fresh'), pg_temp.id('stale3'), pg_temp.id('old blocked'),
                                pg_temp.id('waits on open'), pg_temp.id('waits on nothing'),
                                pg_temp.id('gate fails'), pg_temp.id('half'), pg_temp.id('planned 100'))),
          0::bigint, 'nothing is logged about the entities that are not findings');

SELECT pg_temp.run('second') IS NOT NULL AS done \gset
SELECT is(pg_temp.counts('second', 'stale_tasks'), '{"found": 1, "logged": 0}'::jsonb,
          'second run: the stale task is found again but not logged again');
SELECT is(pg_temp.counts('second', 'unblocked_tasks'), '{"found": 2, "logged": 0}'::jsonb,
          'second run: the unblocked tasks are found again but not logged again');
SELECT is(pg_temp.counts('second', 'ready_features'), '{"found": 2, "logged": 0}'::jsonb,
          'second run: the ready features are found again but not logged again');
SELECT is((SELECT count(*) FROM claude.activity_feed
            WHERE changes ? 'job_finding'
              AND source_id IN (pg_temp.id('stale10'), pg_temp.id('waits on done'), pg_temp.id('waits on cancelled'),
                                pg_temp.id('ready'), pg_temp.id('manual'))),
          5::bigint, 'each finding has exactly one row after two runs');

-- completing a blocker now resumes its waiting task at once (auto-unblock):
-- the job has nothing new to report
SELECT claude.complete_task(pg_temp.id('blocker open'), actual_hours => 2) IS NOT NULL AS done \gset
SELECT pg_temp.run('third', actor => 'nightly-cron') IS NOT NULL AS done \gset
SELECT is(pg_temp.counts('third', 'unblocked_tasks'), '{"found": 2, "logged": 0}'::jsonb,
          'third run: the task waiting on the completed blocker was resumed, not found');
SELECT is((SELECT status FROM claude.build_tasks WHERE task_id = pg_temp.id('waits on open')), 'in_progress',
          'it is in progress again, resumed in the transaction that completed its blocker');

-- run_jobs passes older_than to the stale check
SELECT pg_temp.run('fourth', older_than => interval '2 days') IS NOT NULL AS done \gset
SELECT is(pg_temp.counts('fourth', 'stale_tasks') - 'found', '{"logged": 1}'::jsonb,
          'run_jobs(older_than => 2 days) logs the 3-day task as a new stale finding');
SELECT is((SELECT count(*) FROM pg_temp.finding_rows('stale10')), 1::bigint,
          'and does not log the 10-day task again');

-- resolved findings drop out
DO $$
BEGIN
    PERFORM claude.unblock_task(pg_temp.id('waits on done'), note => 'the API is there');
    PERFORM claude.complete_feature(pg_temp.id('ready'));
END
$$;
SELECT ok(pg_temp.id('waits on done') NOT IN (SELECT task_id FROM claude.check_unblocked_tasks()),
          'once unblocked, the task is no longer found');
SELECT ok(pg_temp.id('ready') NOT IN (SELECT feature_id FROM claude.check_completion_readiness()),
          'once completed, the feature is no longer found');
SELECT pg_temp.run('fifth') IS NOT NULL AS done \gset
SELECT is(pg_temp.counts('fifth', 'ready_features'), '{"found": 1, "logged": 0}'::jsonb,
          'the next run finds one ready feature fewer and logs nothing');

-- ------------------------------------------------------------------ grants and scheduling (8 tests)
SELECT ok(has_function_privilege('buildtracker_writer', 'claude.run_jobs(interval, text)', 'EXECUTE'),
          'buildtracker_writer may execute run_jobs');
SELECT ok(NOT has_function_privilege('buildtracker_reader', 'claude.run_jobs(interval, text)', 'EXECUTE'),
          'buildtracker_reader may not execute run_jobs');
SELECT ok(has_function_privilege('buildtracker_reader', 'claude.check_stale_tasks(interval)', 'EXECUTE')
          AND has_function_privilege('buildtracker_reader', 'claude.check_unblocked_tasks()', 'EXECUTE')
          AND has_function_privilege('buildtracker_reader', 'claude.check_completion_readiness()', 'EXECUTE'),
          'buildtracker_reader may execute the three checks');
SET LOCAL ROLE buildtracker_writer;
SELECT lives_ok($$SELECT claude.run_jobs()$$, 'as buildtracker_writer, run_jobs works');
RESET ROLE;
SET LOCAL ROLE buildtracker_reader;
SELECT throws_ok($$SELECT claude.run_jobs()$$, '42501', NULL, 'as buildtracker_reader, run_jobs is refused with 42501');
SELECT lives_ok($$SELECT * FROM claude.check_stale_tasks()$$, 'as buildtracker_reader, check_stale_tasks works');
RESET ROLE;
SELECT is((SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'), 0::bigint,
          'pg_cron is not installed on the test server');
SET LOCAL client_min_messages = warning;
SELECT is(claude.schedule_jobs(), false, 'schedule_jobs() returns false when pg_cron is absent');
RESET client_min_messages;

SELECT * FROM finish();
ROLLBACK;
