-- Build-task workflow (SPEC section 4 "Build tasks", section 6 task functions):
-- every transition through the workflow functions and through raw DML,
-- allowed and refused; the side effects; every gate (assignee, blocking task,
-- reasons and notes, hours, component state, finished features, dependency
-- cycles, reassignment); warnings and metadata; the ready queue and
-- claim_next_task; P0002 for a missing task; the ready queue's index.
--
-- Ids: fixture rows have fixed ids (prefix 12...); tasks are created through
-- claude.add_task and found again by their unique names with pg_temp.task().
-- Helpers (pg_temp, gone with the session):
--   pg_temp.outcome(sql)  runs sql in a subtransaction that is ALWAYS rolled
--                         back; returns 'ok' or the SQLSTATE it raised.
--   pg_temp.failure(sql)  same, returns the error as jsonb
--                         {sqlstate, message, detail (parsed JSON), hint}, or
--                         null when sql succeeded.
BEGIN;
SELECT plan(191);

-- ------------------------------------------------------------------ helpers
\ir include/failure.psql
CREATE FUNCTION pg_temp.task(name text) RETURNS uuid LANGUAGE sql STABLE AS $f$
    SELECT t.task_id FROM claude.build_tasks t WHERE t.task_name = name
$f$;
-- add_task with the fixture's defaults; returns the envelope.
CREATE FUNCTION pg_temp.new_task(name text,
                                 feature uuid DEFAULT '12200000-0000-4000-8000-000000000001',
                                 prio integer DEFAULT 5,
                                 blocker text DEFAULT NULL,
                                 assignee uuid DEFAULT NULL,
                                 component uuid DEFAULT NULL,
                                 estimate numeric DEFAULT 2)
RETURNS jsonb LANGUAGE sql AS $f$
    SELECT claude.add_task(task_name => name, task_description => 'Description of ' || name, task_type => 'code',
                           feature_id => feature, component_id => component, priority => prio,
                           estimated_hours => estimate, assigned_to_identity_id => assignee,
                           blocked_by_task_id => pg_temp.task(blocker))
$f$;
-- Envelopes of calls whose result several tests look at.
CREATE TEMP TABLE env (k text PRIMARY KEY, v jsonb NOT NULL);

-- ------------------------------------------------------------------ fixture
INSERT INTO claude.projects (project_id, project_name) VALUES
    ('12000000-0000-4000-8000-000000000001', 'Task workflow project'),
    ('12000000-0000-4000-8000-000000000002', 'Second task workflow project');
INSERT INTO claude.identities (identity_id, identity_name) VALUES
    ('12100000-0000-4000-8000-000000000001', 'tw-agent-one'),
    ('12100000-0000-4000-8000-000000000002', 'tw-agent-two'),
    ('12100000-0000-4000-8000-000000000003', 'tw-busy-agent'),
    ('12100000-0000-4000-8000-000000000004', 'tw-claimer');
INSERT INTO claude.features (feature_id, project_id, feature_name, feature_type, description) VALUES
    ('12200000-0000-4000-8000-000000000001', '12000000-0000-4000-8000-000000000001',
     'Task workflow feature', 'feature', 'The feature most workflow tasks belong to.'),
    ('12200000-0000-4000-8000-000000000002', '12000000-0000-4000-8000-000000000001',
     'Other task workflow feature', 'feature', 'A second feature with its own component.'),
    ('12200000-0000-4000-8000-000000000003', '12000000-0000-4000-8000-000000000001',
     'Cancelled task workflow feature', 'feature', 'A feature that gets cancelled.'),
    ('12200000-0000-4000-8000-000000000004', '12000000-0000-4000-8000-000000000001',
     'Completed task workflow feature', 'feature', 'A feature that gets completed.'),
    ('12200000-0000-4000-8000-000000000005', '12000000-0000-4000-8000-000000000001',
     'Ready queue feature', 'feature', 'The feature the ready-queue tests look at.'),
    ('12200000-0000-4000-8000-000000000006', '12000000-0000-4000-8000-000000000002',
     'Second project feature', 'feature', 'The only feature of the second project.');
INSERT INTO claude.components (component_id, feature_id, component_name, component_type) VALUES
    ('12300000-0000-4000-8000-000000000001', '12200000-0000-4000-8000-000000000001', 'WorkflowService', 'service'),
    ('12300000-0000-4000-8000-000000000002', '12200000-0000-4000-8000-000000000002', 'OtherService', 'service'),
    ('12300000-0000-4000-8000-000000000003', '12200000-0000-4000-8000-000000000005', 'ReadyQueueService', 'service');

DO $$
BEGIN
    PERFORM claude.update_feature_status('12200000-0000-4000-8000-000000000003', 'cancelled', reason => 'Not needed any more');
    PERFORM claude.update_feature_status('12200000-0000-4000-8000-000000000004', 'planned',
                                         planned_by_identity_id => '12100000-0000-4000-8000-000000000001');
    PERFORM claude.update_feature_status('12200000-0000-4000-8000-000000000004', 'in_progress',
                                         implemented_by_identity_id => '12100000-0000-4000-8000-000000000001');
    PERFORM claude.complete_feature('12200000-0000-4000-8000-000000000004');
END
$$;

-- ================================================================== transitions through the functions (45 tests)
-- One task in each of the six statuses, driven there by the functions.
DO $$
DECLARE
    s text;
BEGIN
    FOREACH s IN ARRAY ARRAY['todo', 'in_progress', 'blocked', 'review', 'completed', 'cancelled'] LOOP
        PERFORM pg_temp.new_task('Matrix ' || s, assignee => '12100000-0000-4000-8000-000000000002');
    END LOOP;
    FOREACH s IN ARRAY ARRAY['in_progress', 'blocked', 'review', 'completed'] LOOP
        PERFORM claude.start_task(pg_temp.task('Matrix ' || s));
    END LOOP;
    PERFORM claude.block_task(pg_temp.task('Matrix blocked'), 'Waiting for the database');
    PERFORM claude.submit_task_for_review(pg_temp.task('Matrix review'));
    PERFORM claude.complete_task(pg_temp.task('Matrix completed'), 2);
    PERFORM claude.cancel_task(pg_temp.task('Matrix cancelled'), 'Duplicate of another task');
END
$$;

CREATE TEMP TABLE task_actions (action text, call text, from_statuses text[], to_status text);
INSERT INTO task_actions VALUES
    ('start_task',             $$SELECT claude.start_task(%L, '12100000-0000-4000-8000-000000000002')$$, '{todo}', 'in_progress'),
    ('block_task',             $$SELECT claude.block_task(%L, 'Waiting for a review slot')$$,            '{in_progress}', 'blocked'),
    ('unblock_task',           $$SELECT claude.unblock_task(%L, 'The review slot is free')$$,             '{blocked}', 'in_progress'),
    ('submit_task_for_review', $$SELECT claude.submit_task_for_review(%L)$$,                              '{in_progress}', 'review'),
    ('request_task_changes',   $$SELECT claude.request_task_changes(%L, 'Please rename the helper')$$,    '{review}', 'in_progress'),
    ('complete_task',          $$SELECT claude.complete_task(%L, 1.5, 'Done and tested')$$,               '{in_progress,review}', 'completed'),
    ('cancel_task',            $$SELECT claude.cancel_task(%L, 'No longer needed')$$,                     '{todo,in_progress,blocked,review}', 'cancelled'),
    ('release_task',           $$SELECT claude.release_task(%L, 'Giving it back')$$,                      '{in_progress}', 'todo');

SELECT is(ARRAY(SELECT status FROM claude.build_tasks WHERE task_name LIKE 'Matrix %' ORDER BY created_at, task_name),
          ARRAY['blocked', 'cancelled', 'completed', 'in_progress', 'review', 'todo'],
          'the six matrix tasks are in the six statuses');
SELECT set_eq(
    $$SELECT f, a.to_status FROM task_actions a, unnest(a.from_statuses) AS f$$,
    $$SELECT from_status, to_status FROM claude.status_transitions WHERE entity_type = 'build_task'$$,
    'the eight task functions together make exactly the transitions of claude.status_transitions');
SELECT is((SELECT count(*) FROM claude.status_transitions
            WHERE entity_type = 'build_task' AND from_status IN ('completed', 'cancelled')),
          0::bigint, 'completed and cancelled tasks are terminal: no transition leaves them');

-- 7 functions x 6 statuses = 42 tests: allowed where listed, 55000 otherwise.
SELECT is(pg_temp.outcome(format(a.call, pg_temp.task('Matrix ' || s.status))),
          CASE WHEN s.status = ANY (a.from_statuses) THEN 'ok' ELSE '55000' END,
          format('%s on a %s task: %s', a.action, s.status,
                 CASE WHEN s.status = ANY (a.from_statuses) THEN 'allowed' ELSE 'refused with 55000' END))
  FROM task_actions a
 CROSS JOIN unnest(ARRAY['todo', 'in_progress', 'blocked', 'review', 'completed', 'cancelled'])
            WITH ORDINALITY AS s(status, n)
 ORDER BY a.action, s.n;

-- ================================================================== transitions through raw DML (30 tests)
-- Every from -> to pair, with whatever the target needs supplied; allowed
-- exactly when listed in claude.status_transitions, otherwise 55000.
SET LOCAL buildtracker.note = 'raw matrix note';
SELECT is(pg_temp.outcome(format(
              $$UPDATE claude.build_tasks
                   SET status = %1$L,
                       blocked_reason = CASE WHEN %1$L = 'blocked' THEN 'Raw block reason' ELSE blocked_reason END,
                       cancellation_reason = CASE WHEN %1$L = 'cancelled' THEN 'Raw cancel reason' ELSE cancellation_reason END,
                       actual_hours = CASE WHEN %1$L = 'completed' THEN 3 ELSE actual_hours END
                 WHERE task_id = %2$L$$, t.status, pg_temp.task('Matrix ' || f.status))),
          CASE WHEN EXISTS (SELECT 1 FROM claude.status_transitions x
                             WHERE x.entity_type = 'build_task' AND x.from_status = f.status AND x.to_status = t.status)
               THEN 'ok' ELSE '55000' END,
          format('raw UPDATE of a task from %s to %s: %s', f.status, t.status,
                 CASE WHEN EXISTS (SELECT 1 FROM claude.status_transitions x
                                    WHERE x.entity_type = 'build_task' AND x.from_status = f.status AND x.to_status = t.status)
                      THEN 'allowed' ELSE 'refused with 55000' END))
  FROM unnest(ARRAY['todo', 'in_progress', 'blocked', 'review', 'completed', 'cancelled']) WITH ORDINALITY AS f(status, n)
 CROSS JOIN unnest(ARRAY['todo', 'in_progress', 'blocked', 'review', 'completed', 'cancelled']) WITH ORDINALITY AS t(status, m)
 WHERE f.status <> t.status
 ORDER BY f.n, t.m;
SET LOCAL buildtracker.note = '';

-- ================================================================== raw DML gates (9 tests)
SELECT pg_temp.new_task('Raw unassigned task') IS NOT NULL AS created \gset
SELECT throws_ok($$UPDATE claude.build_tasks SET status = 'in_progress' WHERE task_name = 'Raw unassigned task'$$,
                 '23514', NULL, 'raw UPDATE to in_progress without an assignee is refused with 23514');
SELECT throws_ok($$UPDATE claude.build_tasks SET status = 'cancelled' WHERE task_name = 'Raw unassigned task'$$,
                 '23514', NULL, 'raw UPDATE to cancelled without a cancellation_reason is refused with 23514');
SELECT throws_ok($$UPDATE claude.build_tasks SET actual_hours = 2 WHERE task_name = 'Raw unassigned task'$$,
                 '23514', NULL, 'raw UPDATE of actual_hours on a todo task is refused with 23514');
SELECT throws_ok($$UPDATE claude.build_tasks SET actual_hours = 2 WHERE task_name = 'Matrix in_progress'$$,
                 '23514', NULL, 'raw UPDATE of actual_hours on an in_progress task is refused with 23514');
SELECT throws_ok($$UPDATE claude.build_tasks SET status = 'completed', actual_hours = 2,
                           assigned_to_identity_id = '12100000-0000-4000-8000-000000000001'
                     WHERE task_name = 'Raw unassigned task'$$,
                 '55000', NULL, 'raw UPDATE from todo straight to completed is refused with 55000');

SELECT pg_temp.new_task('Raw blocked task', assignee => '12100000-0000-4000-8000-000000000001') IS NOT NULL AS created \gset
DO $$
BEGIN
    PERFORM claude.start_task(pg_temp.task('Raw blocked task'));
    PERFORM claude.block_task(pg_temp.task('Raw blocked task'), 'Waiting for the network team');
END
$$;
SELECT throws_ok($$UPDATE claude.build_tasks SET status = 'in_progress' WHERE task_name = 'Raw blocked task'$$,
                 '23514', NULL, 'raw unblock (blocked -> in_progress) without buildtracker.note is refused with 23514');
SET LOCAL buildtracker.note = 'fixed';
SELECT lives_ok($$UPDATE claude.build_tasks SET status = 'in_progress' WHERE task_name = 'Raw blocked task'$$,
                'raw unblock works with SET LOCAL buildtracker.note = ''fixed''');
SET LOCAL buildtracker.note = '';
SELECT is(status || '/' || COALESCE(blocked_reason, '(cleared)'), 'in_progress/(cleared)',
          'the raw unblock moved the task to in_progress and cleared blocked_reason')
  FROM claude.build_tasks WHERE task_name = 'Raw blocked task';
SELECT throws_ok($$UPDATE claude.build_tasks SET started_at = now() - interval '1 day' WHERE task_name = 'Raw blocked task'$$,
                 '23514', NULL, 'raw UPDATE of started_at is refused with 23514 (the database sets it)');

-- ================================================================== a task's life and its side effects (21 tests)
INSERT INTO env SELECT 'add', pg_temp.new_task('Life cycle task', estimate => 3);
SELECT is(v->'data'->>'status', 'todo', 'add_task creates a todo task') FROM env WHERE k = 'add';
SELECT is(v->'metadata'->'is_blocked', 'false'::jsonb, 'add_task metadata is_blocked is false without a blocking task')
  FROM env WHERE k = 'add';
SELECT is(v->'data'->>'started_at', NULL, 'a todo task has no started_at') FROM env WHERE k = 'add';

INSERT INTO env SELECT 'start', claude.start_task(pg_temp.task('Life cycle task'), '12100000-0000-4000-8000-000000000001');
SELECT is(v->'data'->>'status', 'in_progress', 'start_task moves the task to in_progress') FROM env WHERE k = 'start';
SELECT is(v->'data'->>'assigned_to_identity_id', '12100000-0000-4000-8000-000000000001',
          'start_task assigns the task to the identity') FROM env WHERE k = 'start';
SELECT is((v->'data'->>'started_at')::timestamptz, now(), 'start_task sets started_at') FROM env WHERE k = 'start';
SELECT is((v->'metadata'->>'active_tasks_count')::bigint,
          (SELECT count(*) FROM claude.build_tasks
            WHERE assigned_to_identity_id = '12100000-0000-4000-8000-000000000001'
              AND status IN ('in_progress', 'blocked', 'review')),
          'start_task metadata active_tasks_count counts the assignee''s in_progress, blocked and review tasks')
  FROM env WHERE k = 'start';

INSERT INTO env SELECT 'block', claude.block_task(pg_temp.task('Life cycle task'), 'Waiting for credentials');
SELECT is(v->'data'->>'status', 'blocked', 'block_task moves the task to blocked') FROM env WHERE k = 'block';
SELECT is(v->'data'->>'blocked_reason', 'Waiting for credentials', 'block_task stores blocked_reason') FROM env WHERE k = 'block';

INSERT INTO env SELECT 'unblock', claude.unblock_task(pg_temp.task('Life cycle task'), 'Credentials arrived');
SELECT is(v->'data'->>'status', 'in_progress', 'unblock_task moves the task back to in_progress') FROM env WHERE k = 'unblock';
SELECT is(v->'data'->>'blocked_reason', NULL, 'unblock_task clears blocked_reason') FROM env WHERE k = 'unblock';
SELECT is(v->'data'->>'started_at', (SELECT v->'data'->>'started_at' FROM env WHERE k = 'start'),
          'unblock_task keeps the original started_at') FROM env WHERE k = 'unblock';

INSERT INTO env SELECT 'review', claude.submit_task_for_review(pg_temp.task('Life cycle task'));
SELECT is(v->'data'->>'status', 'review', 'submit_task_for_review moves the task to review') FROM env WHERE k = 'review';
INSERT INTO env SELECT 'changes', claude.request_task_changes(pg_temp.task('Life cycle task'), 'Add error handling');
SELECT is(v->'data'->>'status', 'in_progress', 'request_task_changes moves the task back to in_progress') FROM env WHERE k = 'changes';
DO $$ BEGIN PERFORM claude.submit_task_for_review(pg_temp.task('Life cycle task')); END $$;

INSERT INTO env SELECT 'complete', claude.complete_task(pg_temp.task('Life cycle task'), 1, 'Merged after review');
SELECT is(v->'data'->>'status', 'completed', 'complete_task completes a task in review') FROM env WHERE k = 'complete';
SELECT ok((v->'data'->>'completed_at')::timestamptz >= (v->'data'->>'started_at')::timestamptz,
          'complete_task sets completed_at, not before started_at') FROM env WHERE k = 'complete';
SELECT is(v->'data'->>'completion_notes', 'Merged after review', 'complete_task stores completion_notes') FROM env WHERE k = 'complete';
SELECT is((v->'data'->>'actual_hours')::numeric, 1.00, 'complete_task stores actual_hours') FROM env WHERE k = 'complete';
SELECT is(v->'metadata'->'estimate_accuracy', '0.33'::jsonb,
          'complete_task metadata estimate_accuracy = actual / estimated, rounded to 2 places (1 / 3)') FROM env WHERE k = 'complete';

SELECT pg_temp.new_task('Cancelled life task') IS NOT NULL AS created \gset
INSERT INTO env SELECT 'cancel', claude.cancel_task(pg_temp.task('Cancelled life task'), 'Superseded by the redesign');
SELECT is(v->'data'->>'status', 'cancelled', 'cancel_task cancels a todo task') FROM env WHERE k = 'cancel';
SELECT is(v->'data'->>'cancellation_reason', 'Superseded by the redesign', 'cancel_task stores cancellation_reason')
  FROM env WHERE k = 'cancel';

-- ================================================================== action gates (14 tests)
SELECT pg_temp.new_task('Unassigned task') IS NOT NULL AS created \gset
SELECT throws_ok($$SELECT claude.start_task(pg_temp.task('Unassigned task'))$$, '23514', NULL,
                 'start_task without an assignee (none given, none set) is refused with 23514');
SELECT throws_ok($$SELECT claude.start_task(pg_temp.task('Unassigned task'), '12100000-0000-4000-8000-0000000000ff')$$,
                 '23503', NULL, 'start_task with an unknown identity is refused with 23503');

SELECT pg_temp.new_task('Gate task', assignee => '12100000-0000-4000-8000-000000000002') IS NOT NULL AS created \gset
DO $$ BEGIN PERFORM claude.start_task(pg_temp.task('Gate task')); END $$;
SELECT throws_ok($$SELECT claude.block_task(pg_temp.task('Gate task'), NULL)$$, '23514', NULL,
                 'block_task without a reason is refused with 23514');
SELECT throws_ok($$SELECT claude.block_task(pg_temp.task('Gate task'), '   ')$$, '23514', NULL,
                 'block_task with a blank reason is refused with 23514');
SELECT throws_ok($$SELECT claude.complete_task(pg_temp.task('Gate task'), NULL)$$, '23514', NULL,
                 'complete_task without actual_hours is refused with 23514');
SELECT throws_ok($$SELECT claude.complete_task(pg_temp.task('Gate task'), 0)$$, '23514', NULL,
                 'complete_task with actual_hours 0 is refused with 23514');
SELECT throws_ok($$SELECT claude.cancel_task(pg_temp.task('Gate task'), NULL)$$, '23514', NULL,
                 'cancel_task without a reason is refused with 23514');
SELECT throws_ok($$SELECT claude.cancel_task(pg_temp.task('Gate task'), '')$$, '23514', NULL,
                 'cancel_task with an empty reason is refused with 23514');
DO $$ BEGIN PERFORM claude.block_task(pg_temp.task('Gate task'), 'Waiting for the vendor'); END $$;
SELECT throws_ok($$SELECT claude.unblock_task(pg_temp.task('Gate task'), NULL)$$, '23514', NULL,
                 'unblock_task without a note is refused with 23514');
SELECT throws_ok($$SELECT claude.unblock_task(pg_temp.task('Gate task'), ' ')$$, '23514', NULL,
                 'unblock_task with a blank note is refused with 23514');
DO $$
BEGIN
    PERFORM claude.unblock_task(pg_temp.task('Gate task'), 'The vendor answered');
    PERFORM claude.submit_task_for_review(pg_temp.task('Gate task'));
END
$$;
SELECT throws_ok($$SELECT claude.request_task_changes(pg_temp.task('Gate task'), NULL)$$, '23514', NULL,
                 'request_task_changes without a note is refused with 23514');
SELECT is((SELECT status FROM claude.build_tasks WHERE task_name = 'Gate task'), 'review',
          'the refused calls left the task where it was');

-- The task's component must not be planned any more.
SELECT pg_temp.new_task('Component task', feature => NULL, component => '12300000-0000-4000-8000-000000000001',
                        assignee => '12100000-0000-4000-8000-000000000002') IS NOT NULL AS created \gset
DO $$ BEGIN PERFORM claude.start_task(pg_temp.task('Component task')); END $$;
SELECT throws_ok($$SELECT claude.complete_task(pg_temp.task('Component task'), 2)$$, '55000', NULL,
                 'complete_task while the task''s component is still planned is refused with 55000');
DO $$ BEGIN PERFORM claude.update_component_status('12300000-0000-4000-8000-000000000001', 'in_progress'); END $$;
SELECT lives_ok($$SELECT claude.complete_task(pg_temp.task('Component task'), 2)$$,
                'complete_task works once the component is in_progress');

-- ================================================================== blocking tasks (10 tests)
INSERT INTO env SELECT 'add blocker', pg_temp.new_task('Blocker one');
INSERT INTO env SELECT 'add waiter', pg_temp.new_task('Waiter one', blocker => 'Blocker one',
                                                      assignee => '12100000-0000-4000-8000-000000000002');
SELECT is(v->'metadata'->'is_blocked', 'true'::jsonb, 'add_task metadata is_blocked is true when the blocking task is todo')
  FROM env WHERE k = 'add waiter';
SELECT is(v->'data'->>'blocked_by_task_id', pg_temp.task('Blocker one')::text, 'add_task stores blocked_by_task_id')
  FROM env WHERE k = 'add waiter';
SELECT throws_ok($$SELECT claude.start_task(pg_temp.task('Waiter one'))$$, '55000', NULL,
                 'start_task while the blocking task is todo is refused with 55000');
DO $$ BEGIN PERFORM claude.start_task(pg_temp.task('Blocker one'), '12100000-0000-4000-8000-000000000001'); END $$;
SELECT throws_ok($$SELECT claude.start_task(pg_temp.task('Waiter one'))$$, '55000', NULL,
                 'start_task while the blocking task is in_progress is refused with 55000');
INSERT INTO env SELECT 'complete blocker', claude.complete_task(pg_temp.task('Blocker one'), 2);
SELECT is(v->'metadata'->'unblocked_tasks',
          jsonb_build_array(jsonb_build_object('task_id', pg_temp.task('Waiter one'), 'task_name', 'Waiter one', 'status', 'todo')),
          'complete_task metadata unblocked_tasks lists the tasks that waited on it')
  FROM env WHERE k = 'complete blocker';
SELECT is(v->'metadata'->'unblocked_tasks', '[]'::jsonb, 'complete_task metadata unblocked_tasks is empty when nothing waited')
  FROM env WHERE k = 'complete';
SELECT lives_ok($$SELECT claude.start_task(pg_temp.task('Waiter one'))$$,
                'start_task works once the blocking task is completed');

INSERT INTO env SELECT 'add after done', pg_temp.new_task('Waiter on done', blocker => 'Blocker one');
SELECT is(v->'metadata'->'is_blocked', 'false'::jsonb, 'add_task metadata is_blocked is false when the blocking task is completed')
  FROM env WHERE k = 'add after done';
SELECT pg_temp.new_task('Blocker two') IS NOT NULL AS created \gset
SELECT pg_temp.new_task('Waiter two', blocker => 'Blocker two', assignee => '12100000-0000-4000-8000-000000000002') IS NOT NULL AS created \gset
DO $$ BEGIN PERFORM claude.cancel_task(pg_temp.task('Blocker two'), 'Dropped from scope'); END $$;
SELECT lives_ok($$SELECT claude.start_task(pg_temp.task('Waiter two'))$$,
                'start_task works once the blocking task is cancelled');
SELECT is(status, 'in_progress', 'the task waiting on a cancelled task started')
  FROM claude.build_tasks WHERE task_name = 'Waiter two';

-- ================================================================== add_task rules (9 tests)
INSERT INTO env SELECT 'add by component',
    claude.add_task(task_name => 'Component only task', task_description => 'Only the component is given',
                    task_type => 'test', component_id => '12300000-0000-4000-8000-000000000002');
SELECT is(v->'data'->>'feature_id', '12200000-0000-4000-8000-000000000002',
          'add_task with only component_id fills feature_id from the component') FROM env WHERE k = 'add by component';
SELECT throws_ok($$SELECT claude.add_task(task_name => 'Mismatched task', task_description => 'Component of another feature',
                                          task_type => 'code', feature_id => '12200000-0000-4000-8000-000000000001',
                                          component_id => '12300000-0000-4000-8000-000000000002')$$,
                 '23514', NULL, 'add_task with a component of another feature is refused with 23514');
SELECT is(pg_temp.failure($$SELECT claude.add_task(task_name => 'abc', task_description => 'too short',
                                                   task_type => 'code', feature_id => '12200000-0000-4000-8000-000000000001')$$)->>'sqlstate',
          '23514', 'add_task with task_name < 5 and task_description < 10 is refused with 23514');
SELECT is(ARRAY(SELECT e->>'field'
                  FROM jsonb_array_elements(pg_temp.failure($$SELECT claude.add_task(task_name => 'abc', task_description => 'too short',
                          task_type => 'code', feature_id => '12200000-0000-4000-8000-000000000001')$$)->'detail'->'errors') AS e
                 ORDER BY 1),
          ARRAY['task_description', 'task_name'],
          'DETAIL lists both task_name and task_description');
SELECT throws_ok($$SELECT pg_temp.new_task('Task on a completed feature', feature => '12200000-0000-4000-8000-000000000004')$$,
                 '55000', NULL, 'add_task to a completed feature is refused with 55000');
SELECT throws_ok($$SELECT pg_temp.new_task('Task on a cancelled feature', feature => '12200000-0000-4000-8000-000000000003')$$,
                 '55000', NULL, 'add_task to a cancelled feature is refused with 55000');
SELECT throws_ok($$SELECT pg_temp.new_task('Task on a missing feature', feature => '12200000-0000-4000-8000-0000000000ff')$$,
                 '23503', NULL, 'add_task to a missing feature is refused with 23503');
SELECT throws_ok($$SELECT claude.add_task(task_name => 'Missing blocker task', task_description => 'Waits on a task that is not there',
                                          task_type => 'code', feature_id => '12200000-0000-4000-8000-000000000001',
                                          blocked_by_task_id => '12400000-0000-4000-8000-0000000000ff')$$,
                 '23503', NULL, 'add_task with an unknown blocking task is refused with 23503');
SELECT is((SELECT count(*) FROM claude.build_tasks WHERE task_name IN ('Mismatched task', 'abc', 'Task on a completed feature',
                                                                        'Task on a cancelled feature', 'Missing blocker task')),
          0::bigint, 'the refused add_task calls wrote nothing');

-- ================================================================== dependency cycles (7 tests)
-- X -> Y means "X is blocked by Y". Chain: cycle B -> cycle A, cycle C -> cycle B.
SELECT pg_temp.new_task('Cycle A', assignee => '12100000-0000-4000-8000-000000000002') IS NOT NULL AS created \gset
SELECT pg_temp.new_task('Cycle B', blocker => 'Cycle A') IS NOT NULL AS created \gset
SELECT pg_temp.new_task('Cycle C', blocker => 'Cycle B') IS NOT NULL AS created \gset
SELECT throws_ok($$SELECT claude.update_task(pg_temp.task('Cycle A'), jsonb_build_object('blocked_by_task_id', pg_temp.task('Cycle A')))$$,
                 '23514', NULL, 'a task blocked by itself (update_task) is refused with 23514');
SELECT throws_ok($$SELECT claude.update_task(pg_temp.task('Cycle A'), jsonb_build_object('blocked_by_task_id', pg_temp.task('Cycle B')))$$,
                 '23514', NULL, 'update_task closing the cycle A -> B -> A is refused with 23514');
SELECT throws_ok($$SELECT claude.update_task(pg_temp.task('Cycle A'), jsonb_build_object('blocked_by_task_id', pg_temp.task('Cycle C')))$$,
                 '23514', NULL, 'update_task closing the cycle A -> C -> B -> A is refused with 23514');
DO $$ BEGIN PERFORM claude.start_task(pg_temp.task('Cycle A')); END $$;
SELECT throws_ok($$SELECT claude.block_task(pg_temp.task('Cycle A'), 'Waiting on B', pg_temp.task('Cycle B'))$$,
                 '23514', NULL, 'block_task closing the cycle A -> B -> A is refused with 23514');
SELECT throws_ok($$SELECT claude.block_task(pg_temp.task('Cycle A'), 'Waiting on C', pg_temp.task('Cycle C'))$$,
                 '23514', NULL, 'block_task closing the cycle A -> C -> B -> A is refused with 23514');
SELECT throws_ok($$SELECT claude.block_task(pg_temp.task('Cycle A'), 'Waiting on myself', pg_temp.task('Cycle A'))$$,
                 '23514', NULL, 'block_task naming the task itself as blocker is refused with 23514');
SELECT lives_ok($$SELECT claude.update_task(pg_temp.task('Cycle C'), jsonb_build_object('blocked_by_task_id', pg_temp.task('Cycle A')))$$,
                'a link that closes no cycle (C -> A) is accepted');

-- ================================================================== reassignment (6 tests)
SELECT pg_temp.new_task('Reassign task', assignee => '12100000-0000-4000-8000-000000000001') IS NOT NULL AS created \gset
SELECT is(claude.update_task(pg_temp.task('Reassign task'),
                             '{"assigned_to_identity_id": "12100000-0000-4000-8000-000000000002"}')->'data'->>'assigned_to_identity_id',
          '12100000-0000-4000-8000-000000000002', 'update_task reassigns a todo task');
DO $$ BEGIN PERFORM claude.start_task(pg_temp.task('Reassign task')); END $$;
SELECT throws_ok($$SELECT claude.update_task(pg_temp.task('Reassign task'), '{"assigned_to_identity_id": "12100000-0000-4000-8000-000000000001"}')$$,
                 '55000', NULL, 'update_task reassigning an in_progress task is refused with 55000');
SELECT throws_ok($$SELECT claude.update_task(pg_temp.task('Reassign task'), '{"assigned_to_identity_id": null}')$$,
                 '23514', NULL, 'update_task unassigning an in_progress task is refused (23514: an in_progress task needs an assignee)');
DO $$ BEGIN PERFORM claude.block_task(pg_temp.task('Reassign task'), 'Owner is on leave'); END $$;
SELECT is(claude.update_task(pg_temp.task('Reassign task'),
                             '{"assigned_to_identity_id": "12100000-0000-4000-8000-000000000001"}')->'data'->>'assigned_to_identity_id',
          '12100000-0000-4000-8000-000000000001', 'update_task reassigns a blocked task');
SELECT throws_ok($$SELECT claude.update_task(pg_temp.task('Reassign task'), '{"assigned_to_identity_id": "12100000-0000-4000-8000-0000000000ff"}')$$,
                 '23503', NULL, 'update_task assigning an unknown identity is refused with 23503');
SELECT throws_ok($$SELECT claude.update_task(pg_temp.task('Reassign task'), '{"status": "todo"}')$$,
                 '23514', NULL, 'update_task refuses a status change with 23514');

-- ================================================================== warnings and metadata (9 tests)
DO $$
DECLARE
    i integer;
BEGIN
    FOR i IN 1..6 LOOP
        PERFORM pg_temp.new_task('Busy task ' || i);
    END LOOP;
    FOR i IN 1..4 LOOP
        PERFORM claude.start_task(pg_temp.task('Busy task ' || i), '12100000-0000-4000-8000-000000000003');
    END LOOP;
END
$$;
INSERT INTO env SELECT 'busy 5', claude.start_task(pg_temp.task('Busy task 5'), '12100000-0000-4000-8000-000000000003');
INSERT INTO env SELECT 'busy 6', claude.start_task(pg_temp.task('Busy task 6'), '12100000-0000-4000-8000-000000000003');
SELECT is(v->'metadata'->'active_tasks_count', '5'::jsonb, 'start_task metadata active_tasks_count is 5 for the fifth active task')
  FROM env WHERE k = 'busy 5';
SELECT is(v->'validation'->'warnings', '[]'::jsonb, 'no warning with exactly 5 active tasks') FROM env WHERE k = 'busy 5';
SELECT is(v->'metadata'->'active_tasks_count', '6'::jsonb, 'start_task metadata active_tasks_count is 6 for the sixth active task')
  FROM env WHERE k = 'busy 6';
SELECT is(v->'validation'->'warnings', '["the assignee now has 6 active tasks (more than 5)"]'::jsonb,
          'start_task warns when the assignee then has more than 5 active tasks') FROM env WHERE k = 'busy 6';

INSERT INTO env SELECT 'over estimate', claude.complete_task(pg_temp.task('Busy task 1'), 5);
INSERT INTO env SELECT 'twice estimate', claude.complete_task(pg_temp.task('Busy task 2'), 4);
SELECT is(v->'validation'->'warnings', '["actual hours 5.00 are more than twice the estimate of 2.00"]'::jsonb,
          'complete_task warns when actual_hours > 2 x estimated_hours') FROM env WHERE k = 'over estimate';
SELECT is(v->'metadata'->'estimate_accuracy', '2.50'::jsonb, 'estimate_accuracy is 5 / 2 = 2.50') FROM env WHERE k = 'over estimate';
SELECT is(v->'validation'->'warnings', '[]'::jsonb, 'no warning when actual_hours is exactly twice the estimate')
  FROM env WHERE k = 'twice estimate';
SELECT is(v->'metadata'->'estimate_accuracy', '2.00'::jsonb, 'estimate_accuracy is 4 / 2 = 2.00') FROM env WHERE k = 'twice estimate';
SELECT is(v->'validation'->'warnings', '[]'::jsonb, 'no warning on a plain start') FROM env WHERE k = 'start';

-- ================================================================== ready queue and claim_next_task (17 tests)
-- Ready-queue feature: what is ready, in which order (priority, then age).
DO $$
BEGIN
    PERFORM pg_temp.new_task('Ready p7', feature => NULL, component => '12300000-0000-4000-8000-000000000003', prio => 7);
    PERFORM pg_temp.new_task('Ready p5 newer', feature => NULL, component => '12300000-0000-4000-8000-000000000003', prio => 5);
    PERFORM pg_temp.new_task('Ready p5 older', feature => '12200000-0000-4000-8000-000000000005', prio => 5);
    PERFORM pg_temp.new_task('Ready p2', feature => '12200000-0000-4000-8000-000000000005', prio => 2);
    PERFORM pg_temp.new_task('Done blocker', feature => '12200000-0000-4000-8000-000000000005', prio => 1,
                             assignee => '12100000-0000-4000-8000-000000000001');
    PERFORM pg_temp.new_task('Cancelled blocker', feature => '12200000-0000-4000-8000-000000000005', prio => 1);
    PERFORM pg_temp.new_task('Running blocker', feature => '12200000-0000-4000-8000-000000000005', prio => 1,
                             assignee => '12100000-0000-4000-8000-000000000001');
    PERFORM pg_temp.new_task('Waits on done', feature => '12200000-0000-4000-8000-000000000005', prio => 1, blocker => 'Done blocker');
    PERFORM pg_temp.new_task('Waits on cancelled', feature => '12200000-0000-4000-8000-000000000005', prio => 3, blocker => 'Cancelled blocker');
    PERFORM pg_temp.new_task('Waits on todo', feature => '12200000-0000-4000-8000-000000000005', prio => 1, blocker => 'Ready p7');
    PERFORM pg_temp.new_task('Waits on running', feature => '12200000-0000-4000-8000-000000000005', prio => 1, blocker => 'Running blocker');
    PERFORM claude.start_task(pg_temp.task('Done blocker'));
    PERFORM claude.complete_task(pg_temp.task('Done blocker'), 1);
    PERFORM claude.cancel_task(pg_temp.task('Cancelled blocker'), 'Not needed');
    PERFORM claude.start_task(pg_temp.task('Running blocker'));
    PERFORM pg_temp.new_task('Other project task', feature => '12200000-0000-4000-8000-000000000006', prio => 9);
END
$$;
-- All rows of one transaction share now(): age two rows behind the trigger's
-- back (ordinary triggers do not fire in replica mode).
SET LOCAL session_replication_role = replica;
UPDATE claude.build_tasks SET created_at = now() - interval '2 days' WHERE task_name = 'Ready p5 older';
UPDATE claude.build_tasks SET created_at = now() - interval '1 day' WHERE task_name = 'Ready p5 newer';
RESET session_replication_role;

SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => '12200000-0000-4000-8000-000000000005')),
          ARRAY['Waits on done', 'Ready p2', 'Waits on cancelled', 'Ready p5 older', 'Ready p5 newer', 'Ready p7'],
          'get_ready_tasks: todo tasks whose blocker is absent, completed or cancelled, by priority then age');
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => '12200000-0000-4000-8000-000000000005', max_rows => 2)),
          ARRAY['Waits on done', 'Ready p2'], 'get_ready_tasks max_rows limits the rows, keeping the order');
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(component_id => '12300000-0000-4000-8000-000000000003')),
          ARRAY['Ready p5 newer', 'Ready p7'], 'get_ready_tasks filters by component_id');
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(project_id => '12000000-0000-4000-8000-000000000002')),
          ARRAY['Other project task'], 'get_ready_tasks filters by project_id');
SELECT is((SELECT count(*) FROM claude.get_ready_tasks(max_rows => 1000) r
            WHERE r.status <> 'todo'
               OR EXISTS (SELECT 1 FROM claude.build_tasks b
                           WHERE b.task_id = r.blocked_by_task_id AND b.status NOT IN ('completed', 'cancelled'))),
          0::bigint, 'get_ready_tasks never returns a task that is not todo or waits on an unfinished task');
SELECT set_eq($$SELECT task_id FROM claude.get_ready_tasks(max_rows => 1000)$$,
              $$SELECT t.task_id FROM claude.build_tasks t
                 WHERE t.status = 'todo'
                   AND NOT EXISTS (SELECT 1 FROM claude.build_tasks b
                                    WHERE b.task_id = t.blocked_by_task_id AND b.status NOT IN ('completed', 'cancelled'))$$,
              'get_ready_tasks without filters returns every ready task');

-- The ready queue's query uses the partial index idx_tasks_ready.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    line text;
    result text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || query LOOP
        result := result || line || E'\n';
    END LOOP;
    RETURN result;
END
$f$;
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.plan_of($$
    SELECT t.* FROM claude.build_tasks t
     WHERE t.status = 'todo'
       AND (t.blocked_by_task_id IS NULL
            OR EXISTS (SELECT 1 FROM claude.build_tasks b
                        WHERE b.task_id = t.blocked_by_task_id AND b.status IN ('completed', 'cancelled')))
     ORDER BY t.priority, t.created_at, t.task_id
     LIMIT 50$$), 'idx_tasks_ready',
    'the ready-queue query of get_ready_tasks is planned with the index idx_tasks_ready');
RESET enable_seqscan;

-- claim_next_task
INSERT INTO env SELECT 'claim', claude.claim_next_task('12100000-0000-4000-8000-000000000004',
                                                       feature_id => '12200000-0000-4000-8000-000000000005');
SELECT is(v->'data'->>'task_name', 'Waits on done', 'claim_next_task picks the highest-priority ready task')
  FROM env WHERE k = 'claim';
SELECT is(v->'data'->>'status' || ' by ' || (v->'data'->>'assigned_to_identity_id'),
          'in_progress by 12100000-0000-4000-8000-000000000004',
          'claim_next_task starts the task for the identity') FROM env WHERE k = 'claim';
SELECT is(v->'metadata'->'claimed', 'true'::jsonb, 'claim_next_task metadata claimed is true when it claimed a task')
  FROM env WHERE k = 'claim';
SELECT is((SELECT status || '/' || started_at::text FROM claude.build_tasks WHERE task_name = 'Waits on done'),
          'in_progress/' || now()::text, 'the claimed task is in_progress in the table, with started_at set');
INSERT INTO env SELECT 'claim project', claude.claim_next_task('12100000-0000-4000-8000-000000000004',
                                                               project_id => '12000000-0000-4000-8000-000000000002');
SELECT is(v->'data'->>'task_name', 'Other project task', 'claim_next_task filters by project_id') FROM env WHERE k = 'claim project';
INSERT INTO env SELECT 'claim none', claude.claim_next_task('12100000-0000-4000-8000-000000000004',
                                                            project_id => '12000000-0000-4000-8000-000000000002');
SELECT is(v->'data', 'null'::jsonb, 'claim_next_task returns data null when nothing is ready') FROM env WHERE k = 'claim none';
SELECT is(v->'metadata'->'claimed', 'false'::jsonb, 'claim_next_task metadata claimed is false when nothing is ready')
  FROM env WHERE k = 'claim none';
SELECT is(v->'success', 'true'::jsonb, 'claim_next_task with nothing ready is still a success') FROM env WHERE k = 'claim none';
SELECT throws_ok($$SELECT claude.claim_next_task('12100000-0000-4000-8000-0000000000ff')$$, '23503', NULL,
                 'claim_next_task with an unknown identity is refused with 23503');
SELECT throws_ok($$SELECT claude.claim_next_task(NULL)$$, '23514', NULL,
                 'claim_next_task without an identity is refused with 23514');

-- ================================================================== missing task (8 tests)
SELECT throws_ok(format(c, '12400000-0000-4000-8000-0000000000ff'), 'P0002', NULL,
                 format('%s on a missing task id raises P0002', f))
  FROM (VALUES
      ('update_task',            $$SELECT claude.update_task(%L, '{"priority": 3}')$$),
      ('start_task',             $$SELECT claude.start_task(%L, '12100000-0000-4000-8000-000000000001')$$),
      ('block_task',             $$SELECT claude.block_task(%L, 'Some reason')$$),
      ('unblock_task',           $$SELECT claude.unblock_task(%L, 'Some note')$$),
      ('submit_task_for_review', $$SELECT claude.submit_task_for_review(%L)$$),
      ('request_task_changes',   $$SELECT claude.request_task_changes(%L, 'Some note')$$),
      ('complete_task',          $$SELECT claude.complete_task(%L, 2)$$),
      ('cancel_task',            $$SELECT claude.cancel_task(%L, 'Some reason')$$)
  ) AS v(f, c);

SELECT * FROM finish();
ROLLBACK;
