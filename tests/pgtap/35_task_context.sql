-- get_task_context (SPEC section 11): one task with its feature, project,
-- assignee, dependencies both ways and latest comments; P0002 when missing.
BEGIN;
SELECT plan(8);

SELECT (claude.add_project('Context project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('context-agent')->'data'->>'identity_id') AS a \gset
SELECT (claude.add_feature('Context feature', 'feature', :'p')->'data'->>'feature_id') AS f \gset
SELECT (claude.add_task('Context blocker', 'The task it waits for', 'code', feature_id => :'f')->'data'->>'task_id') AS b \gset
SELECT (claude.add_task('Context task here', 'The task an agent works', 'code', feature_id => :'f')->'data'->>'task_id') AS t \gset
SELECT (claude.add_task('Context follower', 'A task that waits for it', 'code', feature_id => :'f')->'data'->>'task_id') AS w \gset
SELECT claude.add_dependency(:'t', :'b') IS NOT NULL AS d1, claude.add_dependency(:'w', :'t', 'related') IS NOT NULL AS d2 \gset
SELECT claude.complete_task(task_id => :'b', actual_hours => 1) IS NULL AS never FROM (SELECT claude.start_task(:'b', :'a')) s \gset
SELECT claude.add_comment('build_task', :'t', 'First note.') IS NOT NULL AS c1 \gset
SELECT claude.add_comment('build_task', :'t', 'Second note.') IS NOT NULL AS c2 \gset
SELECT claude.start_task(:'t', :'a') IS NOT NULL AS started \gset

SELECT claude.get_task_context(:'t') AS ctx \gset
SELECT is((:'ctx'::jsonb) #>> '{task,task_id}', :'t', 'the task row');
SELECT is((:'ctx'::jsonb) - ARRAY['task', 'depends_on', 'dependents', 'comments'],
          jsonb_build_object('feature_name', 'Context feature', 'project_name', 'Context project',
                             'assignee_name', 'context-agent'),
          'its feature, project and assignee by name');
SELECT is((:'ctx'::jsonb) -> 'depends_on',
          jsonb_build_array(jsonb_build_object('task_id', :'b', 'task_name', 'Context blocker', 'status', 'completed', 'kind', 'blocks')),
          'what it depends on, with status and kind');
SELECT is((:'ctx'::jsonb) #>> '{dependents,0,task_id}', :'w', 'what depends on it');
SELECT is(ARRAY(SELECT c ->> 'body' FROM jsonb_array_elements((:'ctx'::jsonb) -> 'comments') c),
          ARRAY['Second note.', 'First note.'], 'its comments, newest first');
SELECT is(jsonb_array_length(claude.get_task_context(:'t', 1) -> 'comments'), 1, 'max_comments limits the comments');
SELECT throws_ok(format($$SELECT claude.get_task_context(%L)$$, gen_random_uuid()), 'P0002', NULL, 'an unknown task: P0002');
SET LOCAL ROLE buildtracker_reader;
SELECT lives_ok(format($$SELECT claude.get_task_context(%L)$$, :'t'), 'a reader may read it');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
