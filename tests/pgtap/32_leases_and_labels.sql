-- SPEC section 10, labels and leases (deploy/labels.sql, deploy/task_leases.sql,
-- deploy/task_functions.sql, deploy/task_rules.sql, deploy/activity_logging.sql,
-- deploy/activity_types.sql, deploy/background_jobs.sql): labels checked on
-- every write (chk_*_labels), the ready queue and the claim filtered by ALL
-- the given labels, the claim's lease and its heartbeat, the lease cleared
-- when a task leaves in_progress, an expired lease reclaimed (and logged),
-- run_jobs' findings typed and at warning, and log_activity refusing the six
-- types only the database writes.
--
-- Everything runs in one transaction, so now() is fixed: a lease is exactly
-- now() + its length, and "expired" is made with a raw UPDATE to
-- now() - 1 minute.
BEGIN;
\ir include/failure.psql
\ir include/ids_and_errors.psql
SELECT plan(86);

SELECT claude.add_project('Leases project') -> 'data' ->> 'project_id' AS p \gset
SELECT claude.add_identity('lease-agent-a') -> 'data' ->> 'identity_id' AS a \gset
SELECT claude.add_identity('lease-agent-b') -> 'data' ->> 'identity_id' AS b \gset
SELECT claude.add_identity('lease-agent-c') -> 'data' ->> 'identity_id' AS c \gset
SELECT claude.add_feature('Labels feature', 'api', :'p') -> 'data' ->> 'feature_id' AS f \gset

-- a new feature of the project (one per scenario, so claims see only its tasks)
CREATE FUNCTION pg_temp.feature(name text) RETURNS uuid LANGUAGE sql AS $$
    SELECT (claude.add_feature(name, 'api', (SELECT project_id FROM claude.projects
                                              WHERE project_name = 'Leases project')) -> 'data' ->> 'feature_id')::uuid
$$;
CREATE FUNCTION pg_temp.task(name text, feature uuid, labels text[] DEFAULT '{}', priority integer DEFAULT 5)
RETURNS uuid LANGUAGE sql AS $$
    SELECT (claude.add_task(name, 'A task of the lease and label tests.', 'code', feature_id => feature,
                            priority => priority, labels => labels) -> 'data' ->> 'task_id')::uuid
$$;
CREATE FUNCTION pg_temp.lease_of(task uuid) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT lease_expires_at FROM claude.build_tasks WHERE task_id = task
$$;
CREATE FUNCTION pg_temp.feed_count(source uuid) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM claude.activity_feed WHERE source_id = source
$$;
-- the lease of a task runs out: a raw UPDATE (now() is fixed in this transaction)
CREATE FUNCTION pg_temp.expire(task uuid) RETURNS void LANGUAGE sql AS $$
    UPDATE claude.build_tasks SET lease_expires_at = now() - interval '1 minute' WHERE task_id = task
$$;

-- ------------------------------------------------------------------ labels accepted (6 tests)
SELECT pg_temp.task('Labelled task', :'f', ARRAY['backend', 'db:pg', 'v1.2', 'x_y-z', '0day']) AS lt \gset
SELECT is((SELECT labels FROM claude.build_tasks WHERE task_id = :'lt'), ARRAY['backend', 'db:pg', 'v1.2', 'x_y-z', '0day'],
          'add_task(labels): lower-case words with : _ . - are kept as given');
SELECT is(claude.add_task('Unlabelled task', 'A task without any label.', 'code', feature_id => :'f') -> 'data' -> 'labels',
          '[]'::jsonb, 'add_task without labels: an empty list');
SELECT is(claude.add_task('Null labels task', 'A task given null labels.', 'code', feature_id => :'f',
                          labels => NULL) -> 'data' -> 'labels',
          '[]'::jsonb, 'add_task(labels => NULL): an empty list');
SELECT is(claude.add_feature('Labelled feature', 'api', :'p', labels => ARRAY['area:api', repeat('x', 50)]) -> 'data' -> 'labels',
          jsonb_build_array('area:api', repeat('x', 50)), 'add_feature(labels), last parameter: a 50-character label is accepted');
SELECT is(claude.update_task(:'lt', '{"labels": ["frontend", "ui"]}') -> 'data' -> 'labels', '["frontend", "ui"]'::jsonb,
          'update_task accepts labels');
SELECT is(claude.update_feature(:'f', '{"labels": ["team:core"]}') -> 'data' -> 'labels', '["team:core"]'::jsonb,
          'update_feature accepts labels');

-- ------------------------------------------------------------------ labels refused (15 tests)
SELECT throws_ok(format($$SELECT claude.add_task('Bad labels', 'A task with a bad label.', 'code', feature_id => %L,
                                                  labels => ARRAY['Backend'])$$, :'f'),
                 '23514', NULL, 'add_task: an upper-case label is refused');
SELECT throws_ok(format($$SELECT claude.add_task('Bad labels', 'A task with a bad label.', 'code', feature_id => %L,
                                                  labels => ARRAY['has space'])$$, :'f'),
                 '23514', NULL, 'add_task: a label with a blank is refused');
SELECT throws_ok(format($$SELECT claude.add_task('Bad labels', 'A task with a bad label.', 'code', feature_id => %L,
                                                  labels => ARRAY['semi;colon'])$$, :'f'),
                 '23514', NULL, 'add_task: a label with another character is refused');
SELECT throws_ok(format($$SELECT claude.add_task('Bad labels', 'A task with a bad label.', 'code', feature_id => %L,
                                                  labels => ARRAY['-lead'])$$, :'f'),
                 '23514', NULL, 'add_task: a label must start with a letter or digit');
SELECT throws_ok(format($$SELECT claude.add_task('Bad labels', 'A task with a bad label.', 'code', feature_id => %L,
                                                  labels => ARRAY[repeat('a', 51)])$$, :'f'),
                 '23514', NULL, 'add_task: a label over 50 characters is refused');
SELECT throws_ok(format($$SELECT claude.add_task('Bad labels', 'A task with a bad label.', 'code', feature_id => %L,
                                                  labels => ARRAY['dup', 'dup'])$$, :'f'),
                 '23514', NULL, 'add_task: a label given twice is refused');
SELECT throws_ok(format($$SELECT claude.add_task('Bad labels', 'A task with a bad label.', 'code', feature_id => %L,
                                                  labels => ARRAY[''])$$, :'f'),
                 '23514', NULL, 'add_task: an empty label is refused');
SELECT throws_ok(format($$SELECT claude.add_task('Bad labels', 'A task with a bad label.', 'code', feature_id => %L,
                                                  labels => ARRAY['ok', NULL])$$, :'f'),
                 '23514', NULL, 'add_task: a null label is refused');
SELECT is(pg_temp.failure(format($$SELECT claude.add_task('Bad labels', 'A task with bad labels.', 'code', feature_id => %L,
                                                           labels => ARRAY['Up', 'up', 'up'])$$, :'f')) -> 'detail' -> 'errors',
          jsonb_build_array(jsonb_build_object('code', '23514', 'field', 'labels', 'message',
              'labels must each be 1-50 characters of a-z, 0-9, colon, underscore, dot or hyphen, starting with a letter or digit, and none may repeat')),
          'the refusal names the field labels and the rule (chk_task_labels)');
SELECT throws_ok(format($$SELECT claude.add_feature('Bad feature', 'api', %L, labels => ARRAY['UPPER'])$$, :'p'),
                 '23514', NULL, 'add_feature: an upper-case label is refused');
SELECT throws_ok(format($$SELECT claude.add_feature('Bad feature', 'api', %L, labels => ARRAY['a', 'a'])$$, :'p'),
                 '23514', NULL, 'add_feature: a label given twice is refused');
SELECT throws_ok(format($$SELECT claude.update_task(%L, '{"labels": ["ok", "not ok"]}')$$, :'lt'),
                 '23514', NULL, 'update_task: a label with a blank is refused');
SELECT throws_ok(format($$SELECT claude.update_task(%L, '{"labels": ["same", "same"]}')$$, :'lt'),
                 '23514', NULL, 'update_task: a label given twice is refused');
SELECT throws_ok(format($$SELECT claude.update_feature(%L, jsonb_build_object('labels', jsonb_build_array(repeat('b', 51))))$$, :'f'),
                 '23514', NULL, 'update_feature: a label over 50 characters is refused');
SELECT throws_ok(format($$SELECT claude.update_feature(%L, '{"labels": ["Mixed"]}')$$, :'f'),
                 '23514', NULL, 'update_feature: an upper-case label is refused');

-- ------------------------------------------------------------------ ready queue by labels (5 tests)
SELECT pg_temp.feature('Ready labels feature') AS fr \gset
SELECT pg_temp.task('API endpoint', :'fr', ARRAY['backend', 'api'], 1) AS t_api,
       pg_temp.task('DB migration', :'fr', ARRAY['backend', 'db'], 2) AS t_db,
       pg_temp.task('UI screen', :'fr', ARRAY['frontend'], 3) AS t_ui,
       pg_temp.task('Plain chore', :'fr', '{}', 4) AS t_plain \gset
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => :'fr', labels => ARRAY['backend'])),
          ARRAY['API endpoint', 'DB migration'], 'get_ready_tasks(labels): the tasks carrying the label, by priority');
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => :'fr', labels => ARRAY['db', 'backend'])),
          ARRAY['DB migration'], 'several labels: only the tasks carrying all of them');
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => :'fr', labels => ARRAY['backend', 'frontend'])),
          ARRAY[]::text[], 'no task carries both backend and frontend');
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => :'fr', labels => NULL)),
          ARRAY['API endpoint', 'DB migration', 'UI screen', 'Plain chore'], 'labels => NULL: no label filter');
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => :'fr', labels => '{}')),
          ARRAY['API endpoint', 'DB migration', 'UI screen', 'Plain chore'], 'labels => {}: no label filter');

-- ------------------------------------------------------------------ claim with labels and a lease (8 tests)
SELECT pg_temp.keep('claim ui', claude.claim_next_task(:'a', feature_id => :'fr', labels => ARRAY['frontend'])) IS NOT NULL AS k \gset
SELECT is(pg_temp.got('claim ui') -> 'data' ->> 'task_id', :'t_ui',
          'claim_next_task(labels): the best task carrying the labels, not the best task overall');
SELECT is((pg_temp.got('claim ui') -> 'data' ->> 'lease_expires_at')::timestamptz, now() + interval '30 minutes',
          'the claim holds the task for 30 minutes by default (lease_expires_at = now() + lease)');
SELECT is(pg_temp.lease_of(:'t_ui'), now() + interval '30 minutes', 'the lease is stored on the task');
SELECT is(claude.claim_next_task(:'a', feature_id => :'fr', labels => ARRAY['nothing-here']) -> 'data', 'null'::jsonb,
          'no task carries the label: data is null');
SELECT is(claude.claim_next_task(:'b', feature_id => :'fr', labels => ARRAY['db', 'backend'], lease => interval '2 hours')
              #>> '{data,task_id}', :'t_db', 'a claim with two labels takes the task carrying both');
SELECT is(pg_temp.lease_of(:'t_db'), now() + interval '2 hours', 'a claim with lease => 2 hours holds it for 2 hours');
SELECT throws_ok(format($$SELECT claude.claim_next_task(%L, feature_id => %L, lease => interval '999 milliseconds')$$, :'c', :'fr'),
                 '23514', NULL, 'a lease under 1 second is refused');
SELECT throws_ok(format($$SELECT claude.claim_next_task(%L, feature_id => %L, lease => interval '1 day 1 second')$$, :'c', :'fr'),
                 '23514', NULL, 'a lease over 1 day is refused');

-- ------------------------------------------------------------------ heartbeat (12 tests)
SELECT pg_temp.feed_count(:'t_ui') AS feed_before \gset
SELECT pg_temp.keep('beat', claude.heartbeat_task(:'t_ui', :'a', interval '1 hour')) IS NOT NULL AS k \gset
SELECT is(pg_temp.lease_of(:'t_ui'), now() + interval '1 hour', 'heartbeat_task extends the lease to now() + lease');
SELECT is((pg_temp.got('beat') -> 'metadata' ->> 'lease_expires_at')::timestamptz, now() + interval '1 hour',
          'and reports it in metadata.lease_expires_at');
SELECT is(pg_temp.feed_count(:'t_ui'), :'feed_before'::bigint, 'a heartbeat writes no feed row (a lease is not history)');
SELECT lives_ok(format($$SELECT claude.heartbeat_task(%L, %L, interval '1 day')$$, :'t_ui', :'a'), 'a lease of 1 day is accepted');
SELECT lives_ok(format($$SELECT claude.heartbeat_task(%L, %L, interval '1 second')$$, :'t_ui', :'a'), 'a lease of 1 second is accepted');
SELECT throws_ok(format($$SELECT claude.heartbeat_task(%L, %L, NULL)$$, :'t_ui', :'a'), '23514', NULL,
                 'heartbeat_task: a null lease is refused');
SELECT throws_ok(format($$SELECT claude.heartbeat_task(%L, %L, interval '0')$$, :'t_ui', :'a'), '23514', NULL,
                 'heartbeat_task: a lease of 0 is refused');
SELECT throws_ok(format($$SELECT claude.heartbeat_task(%L, %L)$$, :'t_ui', :'b'), '55000', NULL,
                 'heartbeat_task by another identity is refused');
SELECT is((pg_temp.failure(format($$SELECT claude.heartbeat_task(%L, %L)$$, :'t_ui', :'b')) -> 'detail' -> 'errors' -> 0)
              - 'message',
          jsonb_build_object('code', '55000', 'field', 'identity_id', 'entity_id', :'a'),
          'the refusal names the holder (entity_id)');
SELECT throws_ok(format($$SELECT claude.heartbeat_task(%L, %L)$$, :'t_plain', :'a'), '55000', NULL,
                 'heartbeat_task on a task that is not in_progress is refused');
SELECT throws_ok(format($$SELECT claude.heartbeat_task(%L, %L)$$, gen_random_uuid(), :'a'), 'P0002', NULL,
                 'heartbeat_task on an unknown task: P0002');
SELECT is(pg_temp.lease_of(:'t_ui'), now() + interval '1 second', 'the refused calls left the lease as the last heartbeat set it');

-- ------------------------------------------------------------------ the lease ends with in_progress (7 tests)
SELECT claude.release_task(:'t_ui', 'handing it back') -> 'data' -> 'lease_expires_at' AS released_lease \gset
SELECT is(:'released_lease'::jsonb, 'null'::jsonb, 'release_task clears the lease');
SELECT is((SELECT title FROM claude.activity_feed WHERE source_id = :'t_ui' AND changes #>> '{status,new}' = 'todo'),
          'Task released: ' || (SELECT task_name FROM claude.build_tasks WHERE task_id = :'t_ui'),
          'the feed calls a release a release');
SELECT claude.block_task(:'t_db', 'waiting for the DBA') -> 'data' -> 'lease_expires_at' AS blocked_lease \gset
SELECT is(:'blocked_lease'::jsonb, 'null'::jsonb, 'block_task clears the lease');
SELECT is(claude.unblock_task(:'t_db', 'the DBA answered') -> 'data' -> 'lease_expires_at', 'null'::jsonb,
          'unblock_task does not bring a lease back');
SELECT claude.claim_next_task(:'c', feature_id => :'fr', labels => ARRAY['api']) #>> '{data,task_id}' AS claimed_api \gset
SELECT is(pg_temp.lease_of(:'t_api'), now() + interval '30 minutes', 'the api task is claimed with a lease');
SELECT is(claude.complete_task(:'t_api', 1.5) -> 'data' -> 'lease_expires_at', 'null'::jsonb, 'complete_task clears the lease');
SET LOCAL ROLE buildtracker_owner;
SELECT throws_ok(format($$UPDATE claude.build_tasks SET lease_expires_at = now() + interval '1 hour' WHERE task_id = %L$$, :'t_plain'),
                 '23514', NULL, 'even the owner cannot give a todo task a lease by a raw UPDATE (chk_task_lease)');
SELECT is(pg_temp.failure(format($$UPDATE claude.build_tasks SET lease_expires_at = now() + interval '1 hour' WHERE task_id = %L$$,
                                 :'t_plain')) -> 'detail' -> 'errors' -> 0 ->> 'field',
          'lease_expires_at', 'the refusal names lease_expires_at');
RESET ROLE;

-- ------------------------------------------------------------------ reclaim (11 tests)
SELECT pg_temp.feature('Reclaim feature') AS frc \gset
SELECT pg_temp.task('Abandoned work', :'frc', ARRAY['reclaim'], 1) AS tr,
       pg_temp.task('Fresh todo work', :'frc', ARRAY['reclaim'], 2) AS tf \gset
SELECT claude.claim_next_task(:'a', feature_id => :'frc') #>> '{data,task_id}' = :'tr' AS a_claimed \gset
SET LOCAL ROLE buildtracker_owner;
SELECT pg_temp.expire(:'tr');
RESET ROLE;
SELECT pg_temp.keep('reclaim', claude.claim_next_task(:'b', feature_id => :'frc', labels => ARRAY['reclaim'])) IS NOT NULL AS k \gset
SELECT is(pg_temp.got('reclaim') -> 'data' ->> 'task_id', :'tr',
          'an in_progress task whose lease expired is taken over by the next claim (before a ready task of lower priority)');
SELECT is(pg_temp.got('reclaim') #>> '{data,assigned_to_identity_id}', :'b', 'it now belongs to the claimer');
SELECT is((pg_temp.got('reclaim') -> 'metadata') - 'active_tasks_count',
          jsonb_build_object('claimed', true, 'reclaimed', true, 'reclaimed_from_identity_id', :'a'),
          'metadata: claimed, reclaimed, reclaimed_from_identity_id = the previous holder');
SELECT is(pg_temp.lease_of(:'tr'), now() + interval '30 minutes', 'the new holder gets a fresh lease');
SELECT is((SELECT jsonb_build_object('severity', severity, 'assigned', changes -> 'assigned_to_identity_id',
                                     'lease_logged', changes ? 'lease_expires_at')
             FROM claude.activity_feed WHERE source_id = :'tr' AND activity_type = 'reclaimed'),
          jsonb_build_object('severity', 'warning', 'assigned', jsonb_build_object('old', :'a', 'new', :'b'),
                             'lease_logged', false),
          'the takeover is logged: activity reclaimed, severity warning, the assignee old and new');
SELECT is(claude.claim_next_task(:'c', feature_id => :'frc') #>> '{data,task_id}', :'tf',
          'a live lease is not reclaimed: the next claimer gets the ready task instead');
SELECT is(claude.claim_next_task(:'a', feature_id => :'frc') -> 'data', 'null'::jsonb,
          'with every lease live, nothing is claimable');
SELECT is((SELECT assigned_to_identity_id FROM claude.build_tasks WHERE task_id = :'tr'), :'b'::uuid,
          'the reclaimed task stays with its new holder');
SET LOCAL ROLE buildtracker_owner;
SELECT pg_temp.expire(:'tr');
RESET ROLE;
SELECT pg_temp.keep('renewed', claude.claim_next_task(:'b', feature_id => :'frc')) IS NOT NULL AS k \gset
SELECT is(pg_temp.got('renewed') -> 'data' ->> 'task_id', :'tr', 'a holder whose own lease ran out claims the task back');
SELECT is((pg_temp.got('renewed') -> 'metadata') - 'active_tasks_count',
          jsonb_build_object('claimed', true, 'reclaimed', true, 'reclaimed_from_identity_id', NULL),
          'metadata: reclaimed (no new start), taken from nobody else');
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE source_id = :'tf' AND activity_type = 'reclaimed'), 0::bigint,
          'a plain claim is not logged as reclaimed');

-- ------------------------------------------------------------------ reassigning in_progress (6 tests)
SELECT throws_ok(format($$SELECT claude.update_task(%L, jsonb_build_object('assigned_to_identity_id', %L))$$, :'tr', :'c'),
                 '55000', NULL, 'update_task cannot reassign an in_progress task whose lease is live');
SELECT pg_temp.task('Started without lease', :'frc', '{}', 9) AS tn \gset
SELECT is(claude.start_task(:'tn', :'a') -> 'data' -> 'lease_expires_at', 'null'::jsonb, 'start_task takes no lease');
SELECT throws_ok(format($$SELECT claude.update_task(%L, jsonb_build_object('assigned_to_identity_id', %L))$$, :'tn', :'b'),
                 '55000', NULL, 'update_task cannot reassign an in_progress task that holds no lease');
SET LOCAL ROLE buildtracker_owner;
SELECT pg_temp.expire(:'tf');
RESET ROLE;
SELECT throws_ok(format($$SELECT claude.update_task(%L, jsonb_build_object('assigned_to_identity_id', %L))$$, :'tf', :'a'),
                 '55000', NULL, 'an expired lease is no licence to reassign: update_task is still refused');
SET LOCAL ROLE buildtracker_owner;
UPDATE claude.build_tasks SET assigned_to_identity_id = :'a', lease_expires_at = now() + interval '5 minutes'
 WHERE task_id = :'tf';
RESET ROLE;
SELECT is((SELECT activity_type || '/' || severity FROM claude.activity_feed
            WHERE source_id = :'tf' AND changes #>> '{assigned_to_identity_id,new}' = :'a'),
          'reclaimed/warning', 'a take-over with a fresh lease (as claim_next_task does it) is logged as reclaimed');
SELECT is(pg_temp.lease_of(:'tf'), now() + interval '5 minutes', 'the new holder holds the new lease');

-- ------------------------------------------------------------------ run_jobs findings (8 tests)
SELECT claude.run_jobs() IS NOT NULL AS baseline \gset
SELECT pg_temp.feature('Jobs feature') AS fj \gset
SELECT pg_temp.task('Lease runs out', :'fj', '{}', 1) AS tl \gset
SELECT claude.claim_next_task(:'c', feature_id => :'fj') IS NOT NULL AS claimed \gset
SET LOCAL ROLE buildtracker_owner;
SELECT pg_temp.expire(:'tl');
RESET ROLE;
-- stale: in_progress for 10 days (faked in replica mode, where no trigger fires)
SELECT pg_temp.task('Stale work', :'fj') AS ts \gset
SELECT claude.start_task(:'ts', :'a') IS NOT NULL AS started \gset
SET LOCAL session_replication_role = replica;
UPDATE claude.build_tasks SET started_at = now() - interval '10 days' WHERE task_id = :'ts';
RESET session_replication_role;
-- blocker resolved: completed with auto-unblock off, as a database from before it may hold it
SELECT pg_temp.task('The blocker', :'fj') AS tblocker, pg_temp.task('The waiter', :'fj') AS twaiter \gset
SELECT claude.start_task(:'twaiter', :'a') IS NOT NULL AS w1 \gset
SELECT claude.block_task(:'twaiter', 'needs the blocker', blocked_by_task_id => :'tblocker') IS NOT NULL AS w2 \gset
SELECT claude.start_task(:'tblocker', :'b') IS NOT NULL AS b1 \gset
ALTER TABLE claude.build_tasks DISABLE TRIGGER bt40_auto_unblock;
SELECT claude.complete_task(:'tblocker', 2) IS NOT NULL AS b2 \gset
ALTER TABLE claude.build_tasks ENABLE TRIGGER bt40_auto_unblock;
-- ready to complete: an in_progress feature at 100% with nothing open
SELECT claude.add_feature('Feature at 100', 'api', :'p', description => 'A feature finished by hand, nothing open.',
                          planned_by_identity_id => :'a') -> 'data' ->> 'feature_id' AS fready \gset
SELECT claude.update_feature_status(:'fready', 'planned') IS NOT NULL AS s1 \gset
SELECT claude.update_feature_status(:'fready', 'in_progress', implemented_by_identity_id => :'a') IS NOT NULL AS s2 \gset
SELECT claude.update_feature(:'fready', '{"completion_percentage": 100}') IS NOT NULL AS s3 \gset

SELECT pg_temp.keep('run1', claude.run_jobs()) IS NOT NULL AS k \gset
SELECT is((SELECT activity_type || '/' || severity || '/' || origin FROM claude.activity_feed
            WHERE source_id = :'tl' AND changes ? 'job_finding'),
          'lease_expired/warning/job', 'run_jobs logs an expired lease as lease_expired, at warning');
SELECT ok((pg_temp.got('run1') #>> '{expired_leases,logged}')::int >= 1, 'the summary counts it in expired_leases.logged');
SELECT pg_temp.keep('run2', claude.run_jobs()) IS NOT NULL AS k \gset
SELECT is(pg_temp.got('run2') #> '{expired_leases,logged}', '0'::jsonb, 'a second run logs no expired lease again');
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE source_id = :'tl' AND activity_type = 'lease_expired'), 1::bigint,
          'the expired lease has exactly one finding row after two runs');
SELECT is((SELECT activity_type || '/' || severity FROM claude.activity_feed WHERE source_id = :'ts' AND changes ? 'job_finding'),
          'stale/warning', 'a stale task is logged as stale, at warning');
SELECT is((SELECT activity_type || '/' || severity FROM claude.activity_feed WHERE source_id = :'twaiter' AND changes ? 'job_finding'),
          'blocker_resolved/warning', 'a blocked task whose blocker is done is logged as blocker_resolved, at warning');
SELECT is((SELECT activity_type || '/' || severity FROM claude.activity_feed WHERE source_id = :'fready' AND changes ? 'job_finding'),
          'ready_to_complete/warning', 'a feature ready to complete is logged as ready_to_complete, at warning');
SELECT is((SELECT count(*) FROM claude.activity_feed
            WHERE changes ? 'job_finding' AND (severity = 'error' OR activity_type NOT IN ('stale', 'blocker_resolved', 'ready_to_complete', 'lease_expired'))),
          0::bigint, 'no finding is logged as an error or under a seed activity type');

-- ------------------------------------------------------------------ log_activity keeps the database's types (7 tests)
SELECT throws_ok(format($$SELECT claude.log_activity('build_task', %L, 'commented', 'I commented')$$, :'tl'), '23514', NULL,
                 'log_activity refuses activity type commented');
SELECT throws_ok(format($$SELECT claude.log_activity('build_task', %L, 'reclaimed', 'I reclaimed')$$, :'tl'), '23514', NULL,
                 'log_activity refuses activity type reclaimed');
SELECT throws_ok(format($$SELECT claude.log_activity('build_task', %L, 'stale', 'It is stale')$$, :'tl'), '23514', NULL,
                 'log_activity refuses activity type stale');
SELECT throws_ok(format($$SELECT claude.log_activity('build_task', %L, 'blocker_resolved', 'It is free')$$, :'tl'), '23514', NULL,
                 'log_activity refuses activity type blocker_resolved');
SELECT throws_ok(format($$SELECT claude.log_activity('feature', %L, 'ready_to_complete', 'It is ready')$$, :'fready'), '23514', NULL,
                 'log_activity refuses activity type ready_to_complete');
SELECT throws_ok(format($$SELECT claude.log_activity('build_task', %L, 'lease_expired', 'It expired')$$, :'tl'), '23514', NULL,
                 'log_activity refuses activity type lease_expired');
SELECT lives_ok(format($$SELECT claude.log_activity('build_task', %L, 'updated', 'An application event')$$, :'tl'),
                'log_activity still takes the seed''s types');

SELECT * FROM finish();
ROLLBACK;
