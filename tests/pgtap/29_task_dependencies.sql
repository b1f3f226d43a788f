-- SPEC section 10, dependencies (deploy/task_dependencies.sql): typed edges,
-- readiness over every blocks edge, start and unblock refused while a blocker
-- is open (each item naming it), auto-unblock, and the seed's
-- blocked_by_task_id as a blocks edge.
BEGIN;
\ir include/failure.psql
SELECT plan(29);

SELECT claude.add_project('Deps project') -> 'data' ->> 'project_id' AS p \gset
SELECT claude.add_project('Other deps project') -> 'data' ->> 'project_id' AS p2 \gset
SELECT claude.add_identity('deps-dev') -> 'data' ->> 'identity_id' AS dev \gset
SELECT claude.add_feature('Deps feature', 'api', :'p') -> 'data' ->> 'feature_id' AS f \gset
SELECT claude.add_feature('Other feature', 'api', :'p2') -> 'data' ->> 'feature_id' AS f2 \gset
CREATE FUNCTION pg_temp.task(name text, feature uuid) RETURNS uuid LANGUAGE sql AS $$
    SELECT (claude.add_task(name, 'A task of the dependency tests.', 'code', feature_id => feature,
                            assigned_to_identity_id => (SELECT identity_id FROM claude.identities
                                                         WHERE identity_name = 'deps-dev')) -> 'data' ->> 'task_id')::uuid
$$;
SELECT pg_temp.task('Schema', :'f') AS schema_t, pg_temp.task('API layer', :'f') AS api_t,
       pg_temp.task('Docs pages', :'f') AS docs_t, pg_temp.task('UI screens', :'f') AS ui_t,
       pg_temp.task('Elsewhere', :'f2') AS other_t \gset

-- ------------------------------------------------------------------ edges (7 tests)
SELECT is(claude.add_dependency(:'ui_t', :'api_t') -> 'data' ->> 'kind', 'blocks', 'add_dependency: blocks by default');
SELECT lives_ok(format($$SELECT claude.add_dependency(%L, %L, 'blocks')$$, :'ui_t', :'schema_t'), 'a second blocker');
SELECT lives_ok(format($$SELECT claude.add_dependency(%L, %L, 'related')$$, :'ui_t', :'docs_t'), 'a related edge');
SELECT is(ARRAY(SELECT e->>'kind' || ':' || (e->>'task_name')
                  FROM jsonb_array_elements(claude.get_task_dependencies(:'ui_t') -> 'depends_on') e ORDER BY 1),
          ARRAY['blocks:API layer', 'blocks:Schema', 'related:Docs pages'],
          'get_task_dependencies lists what it depends on, with the kinds');
SELECT is(jsonb_path_query_array(claude.get_task_dependencies(:'api_t') -> 'dependents', '$[*].task_name'),
          '["UI screens"]'::jsonb, 'and what depends on a task');
SELECT throws_ok(format($$SELECT claude.add_dependency(%L, %L)$$, :'ui_t', :'other_t'), '23514', NULL,
                 'both tasks must be in one project');
SELECT throws_ok(format($$SELECT claude.add_dependency(%L, %L, 'waits')$$, :'docs_t', :'schema_t'), '23514', NULL,
                 'an unknown kind is refused');

-- ------------------------------------------------------------------ cycles (3 tests)
SELECT claude.add_dependency(:'api_t', :'schema_t') IS NOT NULL AS chained \gset
SELECT is(pg_temp.failure(format($$SELECT claude.add_dependency(%L, %L)$$, :'schema_t', :'ui_t')) -> 'detail' -> 'errors' -> 0,
          jsonb_build_object('code', '23514', 'field', 'depends_on_task_id', 'entity_id', :'ui_t',
                             'message', 'the task would wait on itself: Schema -> UI screens -> Schema'),
          'a blocks edge closing a cycle is refused, naming the cycle');
SELECT lives_ok(format($$SELECT claude.add_dependency(%L, %L, 'related')$$, :'schema_t', :'ui_t'),
                'a related edge may point back: only blocks edges are ordered');
SELECT throws_ok(format($$SELECT claude.add_dependency(%L, %L)$$, :'docs_t', :'docs_t'), '23514', NULL,
                 'a task cannot depend on itself');

-- ------------------------------------------------------------------ readiness and start (5 tests)
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => :'f') ORDER BY task_name),
          ARRAY['Docs pages', 'Schema'], 'ready: todo tasks whose blocks dependencies are all done');
SELECT is(pg_temp.failure(format($$SELECT claude.start_task(%L, %L)$$, :'ui_t', :'dev')) -> 'detail' -> 'errors',
          jsonb_build_array(
              jsonb_build_object('code', '55000', 'field', 'depends_on_task_id', 'entity_id', :'api_t',
                                 'message', 'blocking task "API layer" is todo, not completed or cancelled'),
              jsonb_build_object('code', '55000', 'field', 'depends_on_task_id', 'entity_id', :'schema_t',
                                 'message', 'blocking task "Schema" is todo, not completed or cancelled')),
          'start_task is refused while any blocker is open, one item per blocker with its id');
SELECT claude.start_task(:'schema_t', :'dev') IS NOT NULL AS s1 \gset
SELECT claude.complete_task(:'schema_t', 1) -> 'metadata' -> 'unblocked_tasks' AS freed \gset
SELECT is(jsonb_path_query_array(:'freed'::jsonb, '$[*].task_name'), '["API layer"]'::jsonb,
          'completing Schema frees API (UI still waits on API)');
SELECT is(ARRAY(SELECT task_name FROM claude.get_ready_tasks(feature_id => :'f') ORDER BY task_name),
          ARRAY['API layer', 'Docs pages'], 'API is ready now; UI is not');
SELECT throws_ok(format($$SELECT claude.start_task(%L, %L)$$, :'ui_t', :'dev'), '55000', NULL,
                 'UI still cannot start');

-- ------------------------------------------------------------------ auto-unblock (6 tests)
SELECT claude.start_task(:'api_t', :'dev') IS NOT NULL AS s2 \gset
SELECT claude.remove_dependency(:'ui_t', :'api_t') IS NOT NULL AS removed \gset
SELECT claude.start_task(:'ui_t', :'dev') IS NOT NULL AS s3 \gset
SELECT claude.block_task(:'ui_t', 'waiting for the API', blocked_by_task_id => :'api_t') IS NOT NULL AS b1 \gset
SELECT is((SELECT kind FROM claude.task_dependencies WHERE task_id = :'ui_t' AND depends_on_task_id = :'api_t'), 'blocks',
          'block_task with blocked_by_task_id adds a blocks edge');
SELECT throws_ok(format($$SELECT claude.unblock_task(%L, 'trying early')$$, :'ui_t'), '55000', NULL,
                 'unblock_task is refused while the blocker is open');
SELECT pg_temp.task('Waits by reason', :'f') AS reason_t \gset
SELECT claude.start_task(:'reason_t', :'dev') IS NOT NULL AS s4 \gset
SELECT claude.block_task(:'reason_t', 'waiting for a decision') IS NOT NULL AS b2 \gset
SELECT claude.complete_task(:'api_t', 2) IS NOT NULL AS api_done \gset
SELECT is((SELECT status FROM claude.build_tasks WHERE task_id = :'ui_t'), 'in_progress',
          'completing the blocker resumes the blocked task in the same transaction');
SELECT alike((SELECT summary FROM claude.activity_feed WHERE source_id = :'ui_t' AND activity_type = 'unblocked'
            ORDER BY created_at DESC LIMIT 1), '%Reason: blocking task "API layer" is completed',
          'the resumption is logged, naming the blocker');
SELECT is((SELECT status FROM claude.build_tasks WHERE task_id = :'reason_t'), 'blocked',
          'a task blocked with only a reason stays blocked');
SELECT is((SELECT count(*) FROM claude.task_dependencies WHERE task_id = :'ui_t' AND depends_on_task_id = :'api_t')::int, 1,
          'the edge stays after the blocker is done');

-- ------------------------------------------------------------------ blocked_by_task_id (5 tests)
SELECT claude.add_task('Follow-up', 'Depends on Docs through the seed column.', 'code', feature_id => :'f',
                       blocked_by_task_id => :'docs_t') -> 'data' ->> 'task_id' AS follow \gset
SELECT is((SELECT kind FROM claude.task_dependencies WHERE task_id = :'follow' AND depends_on_task_id = :'docs_t'), 'blocks',
          'add_task(blocked_by_task_id) adds a blocks edge');
SELECT claude.update_task(:'follow', jsonb_build_object('blocked_by_task_id', :'ui_t')) IS NOT NULL AS moved \gset
SELECT is(ARRAY(SELECT depends_on_task_id FROM claude.task_dependencies WHERE task_id = :'follow'), ARRAY[:'ui_t'::uuid],
          'update_task moves the edge with the column');
SELECT claude.add_dependency(:'follow', :'ui_t', 'related') IS NOT NULL AS loosened \gset
SELECT is((SELECT blocked_by_task_id FROM claude.build_tasks WHERE task_id = :'follow'), NULL,
          'an edge that stops blocking (kind related) clears the column that named it');
SELECT claude.update_task(:'follow', jsonb_build_object('blocked_by_task_id', :'ui_t')) IS NOT NULL AS tightened \gset
SELECT is((SELECT kind FROM claude.task_dependencies WHERE task_id = :'follow' AND depends_on_task_id = :'ui_t'), 'blocks',
          'setting the column again makes the edge a blocks edge again');
SELECT claude.remove_dependency(:'follow', :'ui_t') IS NOT NULL AS gone \gset
SELECT is((SELECT blocked_by_task_id FROM claude.build_tasks WHERE task_id = :'follow'), NULL,
          'remove_dependency clears the column that named the edge');

-- ------------------------------------------------------------------ errors and grants (3 tests)
SELECT throws_ok(format($$SELECT claude.remove_dependency(%L, %L)$$, :'follow', :'ui_t'), 'P0002', NULL,
                 'removing an edge that is not there: P0002');
SET LOCAL ROLE buildtracker_reader;
SELECT lives_ok(format($$SELECT claude.get_task_dependencies(%L)$$, :'ui_t'), 'a reader reads dependencies');
SELECT throws_ok(format($$SELECT claude.add_dependency(%L, %L)$$, :'docs_t', :'ui_t'), '42501', NULL,
                 'a reader may not add one');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
