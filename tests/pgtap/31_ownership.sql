-- SPEC section 10, ownership (first part): release_task gives work back;
-- start_task does not take another identity's task unless reassign;
-- claim_next_task skips tasks assigned to others.
BEGIN;
\ir include/failure.psql
SELECT plan(10);

SELECT claude.add_project('Ownership project') -> 'data' ->> 'project_id' AS p \gset
SELECT claude.add_identity('agent-a') -> 'data' ->> 'identity_id' AS a \gset
SELECT claude.add_identity('agent-b') -> 'data' ->> 'identity_id' AS b \gset
SELECT claude.add_feature('Ownership feature', 'api', :'p') -> 'data' ->> 'feature_id' AS f \gset
SELECT claude.add_task('Task of agent b', 'Assigned to b from the start.', 'code', feature_id => :'f',
                       priority => 1, assigned_to_identity_id => :'b') -> 'data' ->> 'task_id' AS tb \gset
SELECT claude.add_task('Unassigned task', 'Anyone may claim it.', 'code', feature_id => :'f',
                       priority => 2) -> 'data' ->> 'task_id' AS tu \gset

-- claim skips another's task (tb has the higher priority)
SELECT is(claude.claim_next_task(:'a', feature_id => :'f') -> 'data' ->> 'task_id', :'tu',
          'claim_next_task skips a task assigned to another identity');
SELECT is(claude.claim_next_task(:'a', feature_id => :'f') -> 'data', 'null'::jsonb,
          'and finds nothing else for agent a');
SELECT is(claude.claim_next_task(:'b', feature_id => :'f') -> 'data' ->> 'task_id', :'tb',
          'agent b claims its own task');

-- release gives work back
SELECT throws_ok(format($$SELECT claude.release_task(%L, NULL)$$, :'tu'), '23514', NULL,
                 'release_task needs a reason');
SELECT is((claude.release_task(:'tu', 'Agent a is out of time')) -> 'data' -> 'assigned_to_identity_id', 'null'::jsonb,
          'release_task: the task is unassigned');
SELECT is((SELECT jsonb_build_object('status', status, 'started_at', started_at) FROM claude.build_tasks WHERE task_id = :'tu'),
          '{"status": "todo", "started_at": null}'::jsonb, 'todo again, without started_at');
SELECT ok(:'tu' IN (SELECT task_id::text FROM claude.get_ready_tasks(feature_id => :'f')), 'and ready again');
SELECT throws_ok(format($$SELECT claude.release_task(%L, 'again')$$, :'tu'), '55000', NULL,
                 'only an in_progress task can be released');

-- start does not take another identity's task silently
SELECT claude.release_task(:'tb', 'b hands it over') IS NOT NULL AS released \gset
SELECT claude.update_task(:'tb', jsonb_build_object('assigned_to_identity_id', :'b')) IS NOT NULL AS reassigned \gset
SELECT is(pg_temp.failure(format($$SELECT claude.start_task(%L, %L)$$, :'tb', :'a')) -> 'detail' -> 'errors' -> 0 ->> 'entity_id', :'b',
          'start_task refuses another identity''s task, naming the assignee (entity_id)');
SELECT is((claude.start_task(:'tb', :'a', reassign => true)) -> 'data' ->> 'assigned_to_identity_id', :'a',
          'with reassign => true it takes it over');

SELECT * FROM finish();
ROLLBACK;
