-- Completion roll-up (SPEC section 5, deploy/completion_rollup.sql):
-- features.completion_percentage follows the feature's non-deprecated
-- components (completed/tested/documented count as done), else its
-- non-cancelled tasks (completed counts as done), else stays as set by hand;
-- recalculated on insert, status change, move between features and delete,
-- rounded; an unchanged percentage writes nothing.
--
-- Helpers live in pg_temp and vanish with the test transaction:
--   pg_temp.remember(key, id) / pg_temp.id(key)   uuids kept under a key
--   pg_temp.pct(key)            completion_percentage of the feature under key
--   pg_temp.feature_in(status, name)   a new feature walked to status
--   pg_temp.component(feature_key, name)   a new planned component (ready to complete)
--   pg_temp.finish_component(key)      (planned ->) in_progress -> completed
--   pg_temp.task(feature_key, name)    a new todo task on the feature
--   pg_temp.finish_task(key)           todo -> in_progress -> completed
--   pg_temp.feature_updates(key)       number of 'updated' activity rows of the feature
BEGIN;
SELECT plan(56);

-- ------------------------------------------------------------------ helpers
CREATE TEMP TABLE test_ids (k text PRIMARY KEY, id uuid NOT NULL);

CREATE FUNCTION pg_temp.remember(key text, value uuid) RETURNS uuid
LANGUAGE sql AS $$
    INSERT INTO test_ids (k, id) VALUES (key, value)
    ON CONFLICT (k) DO UPDATE SET id = EXCLUDED.id
    RETURNING id
$$;

CREATE FUNCTION pg_temp.id(key text) RETURNS uuid
LANGUAGE sql STABLE AS $$ SELECT id FROM test_ids WHERE k = key $$;

CREATE FUNCTION pg_temp.pct(key text) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT completion_percentage FROM claude.features WHERE feature_id = pg_temp.id(key)
$$;

CREATE FUNCTION pg_temp.feature_updates(key text) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM claude.activity_feed
     WHERE source_type = 'feature' AND source_id = pg_temp.id(key) AND activity_type = 'updated'
$$;

CREATE FUNCTION pg_temp.feature_in(status text, name text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    f uuid;
BEGIN
    f := (claude.add_feature(feature_name => name, feature_type => 'feature', project_id => pg_temp.id('P'),
            description => 'A description long enough to plan the feature with.',
            planned_by_identity_id => pg_temp.id('I'))->'data'->>'feature_id')::uuid;
    IF status = 'not_started' THEN RETURN f; END IF;
    PERFORM claude.update_feature_status(f, 'planned');
    IF status = 'planned' THEN RETURN f; END IF;
    PERFORM claude.update_feature_status(f, 'in_progress', implemented_by_identity_id => pg_temp.id('I'));
    RETURN f;
END
$$;

CREATE FUNCTION pg_temp.component(feature_key text, name text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    c uuid;
BEGIN
    c := (claude.add_component(feature_id => pg_temp.id(feature_key), component_name => name,
            component_type => 'service', planned_functions => ARRAY['run'])->'data'->>'component_id')::uuid;
    PERFORM claude.update_component(c, '{"has_tests": true, "test_coverage_percentage": 90,
        "has_documentation": true, "doc_path": "docs/service.md"}');
    RETURN pg_temp.remember(name, c);
END
$$;

CREATE FUNCTION pg_temp.finish_component(key text) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status FROM claude.components WHERE component_id = pg_temp.id(key)) = 'planned' THEN
        PERFORM claude.update_component_status(pg_temp.id(key), 'in_progress');
    END IF;
    RETURN claude.complete_component(pg_temp.id(key), actual_functions => ARRAY['run']);
END
$$;

CREATE FUNCTION pg_temp.task(feature_key text, name text) RETURNS uuid
LANGUAGE sql AS $$
    SELECT pg_temp.remember(name, (claude.add_task(task_name => name,
        task_description => 'Work item for the roll-up tests', task_type => 'code',
        feature_id => pg_temp.id(feature_key), estimated_hours => 2)->'data'->>'task_id')::uuid)
$$;

CREATE FUNCTION pg_temp.finish_task(key text) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM claude.start_task(pg_temp.id(key), identity_id => pg_temp.id('I'));
    RETURN claude.complete_task(pg_temp.id(key), actual_hours => 2);
END
$$;

-- ------------------------------------------------------------------ fixture
DO $$
BEGIN
    PERFORM pg_temp.remember('P', (claude.add_project('Roll-up project')->'data'->>'project_id')::uuid);
    PERFORM pg_temp.remember('I', (claude.add_identity('rollup-agent')->'data'->>'identity_id')::uuid);
    PERFORM pg_temp.remember('F1', pg_temp.feature_in('in_progress', 'Component roll-up feature'));
    PERFORM pg_temp.remember('F2', pg_temp.feature_in('in_progress', 'Second component feature'));
    PERFORM pg_temp.remember('F3', pg_temp.feature_in('in_progress', 'Task roll-up feature'));
    PERFORM pg_temp.remember('F4', pg_temp.feature_in('in_progress', 'Second task feature'));
    PERFORM pg_temp.remember('F5', pg_temp.feature_in('not_started', 'Manual percentage feature'));
    PERFORM pg_temp.remember('F6', pg_temp.feature_in('in_progress', 'Components win feature'));
END
$$;

-- ------------------------------------------------------------------ components (24 tests)
SELECT is(pg_temp.pct('F1'), 0, 'a new feature starts at 0%');

SELECT (pg_temp.component('F1', 'Component c1')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 0, 'insert of a planned component: 0 of 1 done -> 0%');

SELECT (claude.update_component_status(pg_temp.id('Component c1'), 'in_progress')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 0, 'planned -> in_progress does not count as done: still 0%');

SELECT (pg_temp.finish_component('Component c1')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 100, 'status change to completed: 1 of 1 done -> 100%');

SELECT (pg_temp.component('F1', 'Component c2')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 50, 'insert of a second component recomputes: 1 of 2 -> 50%');

SELECT (pg_temp.component('F1', 'Component c3')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 33, 'rounding: 1 of 3 done -> 33%');

CREATE TEMP TABLE kept AS SELECT pg_temp.finish_component('Component c2') AS envelope;
SELECT is(pg_temp.pct('F1'), 67, 'rounding: 2 of 3 done -> 67%');
SELECT is((SELECT envelope->'metadata'->>'feature_completion_percentage' FROM kept), '67',
          'complete_component metadata feature_completion_percentage holds the new value (67)');
SELECT is((SELECT envelope->'metadata'->>'feature_ready_to_complete' FROM kept), 'false',
          'complete_component metadata feature_ready_to_complete is false while c3 is planned');

SELECT (claude.update_component_status(pg_temp.id('Component c3'), 'deprecated', reason => 'not needed')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 100, 'a deprecated component is left out: 2 of 2 non-deprecated done -> 100%');

SELECT (pg_temp.component('F1', 'Component c4')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 67, 'another planned component: 2 of 3 non-deprecated done -> 67%');

-- tested and documented count as done; moving between done states changes nothing
SELECT (claude.update_component_status(pg_temp.id('Component c1'), 'tested')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 67, 'completed -> tested: still done, 67%');
SELECT (claude.update_component_status(pg_temp.id('Component c1'), 'documented')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 67, 'tested -> documented: still done, 67%');
SELECT (claude.update_component_status(pg_temp.id('Component c1'), 'deprecated', reason => 'superseded')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 50, 'deprecating a done component removes it from the count: 1 of 2 -> 50%');

-- move between features: both are recomputed
SELECT (pg_temp.component('F2', 'Component c5')) IS NOT NULL AS done \gset
SELECT (pg_temp.finish_component('Component c5')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F2'), 100, 'second feature: 1 of 1 done -> 100%');
SELECT (claude.update_component(pg_temp.id('Component c4'), jsonb_build_object('feature_id', pg_temp.id('F2')))) IS NOT NULL AS done \gset
SELECT is((SELECT feature_id FROM claude.components WHERE component_id = pg_temp.id('Component c4')), pg_temp.id('F2'),
          'update_component {"feature_id": ...} moved the component');
SELECT is(pg_temp.pct('F1'), 100, 'move: the old feature is recomputed (1 of 1 done -> 100%)');
SELECT is(pg_temp.pct('F2'), 50, 'move: the new feature is recomputed (1 of 2 done -> 50%)');

-- delete
DELETE FROM claude.components WHERE component_id = pg_temp.id('Component c4');
SELECT is(pg_temp.pct('F2'), 100, 'delete of the planned component: 1 of 1 done -> 100%');
DELETE FROM claude.components WHERE component_id = pg_temp.id('Component c2');
SELECT is(pg_temp.pct('F1'), 100, 'delete leaving only deprecated components (and no tasks): the value stays (100%)');
SELECT (pg_temp.component('F1', 'Component c6')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F1'), 0, 'a new component after that: 0 of 1 -> 0%');

-- raw DML goes through the same triggers
UPDATE claude.components SET status = 'in_progress' WHERE component_id = pg_temp.id('Component c6');
UPDATE claude.components SET status = 'completed', actual_functions = ARRAY['run']
 WHERE component_id = pg_temp.id('Component c6');
SELECT is(pg_temp.pct('F1'), 100, 'a raw UPDATE of the status rolls up too (100%)');
INSERT INTO claude.components (feature_id, component_name, component_type)
VALUES (pg_temp.id('F1'), 'Raw component', 'service');
SELECT is(pg_temp.pct('F1'), 50, 'a raw INSERT rolls up too (1 of 2 -> 50%)');
DELETE FROM claude.components WHERE feature_id = pg_temp.id('F1') AND component_name = 'Raw component';
SELECT is(pg_temp.pct('F1'), 100, 'a raw DELETE rolls up too (100%)');

-- ------------------------------------------------------------------ tasks only (17 tests)
SELECT (pg_temp.task('F3', 'Task t1')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 0, 'tasks only, insert: 0 of 1 completed -> 0%');
SELECT (claude.start_task(pg_temp.id('Task t1'), identity_id => pg_temp.id('I'))) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 0, 'todo -> in_progress is not completed: 0%');
SELECT (claude.complete_task(pg_temp.id('Task t1'), actual_hours => 2)) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 100, 'status change to completed: 1 of 1 -> 100%');
SELECT (pg_temp.task('F3', 'Task t2')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 50, 'insert of a second task recomputes: 1 of 2 -> 50%');
SELECT (pg_temp.task('F3', 'Task t3')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 33, 'tasks rounding: 1 of 3 -> 33%');
SELECT (pg_temp.finish_task('Task t2')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 67, 'tasks rounding: 2 of 3 -> 67%');
SELECT (claude.cancel_task(pg_temp.id('Task t3'), reason => 'out of scope')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 100, 'a cancelled task is left out: 2 of 2 -> 100%');
SELECT (pg_temp.task('F3', 'Task t4')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 67, 'another todo task: 2 of 3 non-cancelled -> 67%');
SELECT (claude.start_task(pg_temp.id('Task t4'), identity_id => pg_temp.id('I'))) IS NOT NULL AS done \gset
SELECT (claude.submit_task_for_review(pg_temp.id('Task t4'))) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 67, 'in_progress -> review is not completed: 67%');
SELECT (claude.request_task_changes(pg_temp.id('Task t4'), note => 'needs another pass')) IS NOT NULL AS done \gset
SELECT (claude.block_task(pg_temp.id('Task t4'), reason => 'waiting for a decision')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F3'), 67, 'blocked is not completed: 67%');

-- move via update_task {"feature_id": ...}
SELECT (pg_temp.task('F4', 'Task t5')) IS NOT NULL AS done \gset
SELECT (pg_temp.finish_task('Task t5')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F4'), 100, 'second task feature: 1 of 1 -> 100%');
SELECT (claude.update_task(pg_temp.id('Task t4'), jsonb_build_object('feature_id', pg_temp.id('F4')))) IS NOT NULL AS done \gset
SELECT is((SELECT feature_id FROM claude.build_tasks WHERE task_id = pg_temp.id('Task t4')), pg_temp.id('F4'),
          'update_task {"feature_id": ...} moved the task');
SELECT is(pg_temp.pct('F3'), 100, 'task move: the old feature is recomputed (2 of 2 -> 100%)');
SELECT is(pg_temp.pct('F4'), 50, 'task move: the new feature is recomputed (1 of 2 -> 50%)');

-- delete
DELETE FROM claude.build_tasks WHERE task_id = pg_temp.id('Task t5');
SELECT is(pg_temp.pct('F4'), 0, 'delete of the completed task: 0 of 1 -> 0%');
SELECT (claude.cancel_task(pg_temp.id('Task t4'), reason => 'no longer needed')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F4'), 0, 'only cancelled tasks left (neither kind counts): the value stays (0%)');
SELECT (pg_temp.task('F4', 'Task t6')) IS NOT NULL AS done \gset
SELECT (pg_temp.finish_task('Task t6')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F4'), 100, 'a completed task beside a cancelled one: 1 of 1 non-cancelled -> 100%');

-- ------------------------------------------------------------------ manual value (6 tests)
SELECT (claude.update_feature(pg_temp.id('F5'), '{"completion_percentage": 40}')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F5'), 40, 'without components or tasks, update_feature sets the percentage by hand (40)');
SELECT (claude.update_feature(pg_temp.id('F5'), '{"description": "A different description, still long enough."}')) IS NOT NULL AS done \gset
SELECT (claude.update_feature_status(pg_temp.id('F5'), 'planned')) IS NOT NULL AS done \gset
SELECT (claude.update_feature_status(pg_temp.id('F5'), 'in_progress', implemented_by_identity_id => pg_temp.id('I'))) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F5'), 40, 'the manual value stays through other edits and status changes');
SELECT (claude.add_requirement(feature_id => pg_temp.id('F5'), requirement_name => 'Manual requirement',
    requirement_type => 'functional', description => 'Requirements do not take part in the roll-up.',
    acceptance_criteria => ARRAY['it must stay at forty'], created_by_identity_id => pg_temp.id('I'))) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F5'), 40, 'a requirement does not touch the percentage');
SELECT (pg_temp.component('F5', 'Manual component')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F5'), 0, 'once a component exists, it rules: 0 of 1 -> 0%');
SELECT (pg_temp.finish_component('Manual component')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F5'), 100, 'and its completion gives 100%');
DELETE FROM claude.components WHERE component_id = pg_temp.id('Manual component');
SELECT is(pg_temp.pct('F5'), 100, 'after the only component is deleted, the last value stays (100%)');

-- ------------------------------------------------------------------ components win over tasks (5 tests)
SELECT (pg_temp.task('F6', 'Task w1')) IS NOT NULL AS done \gset
SELECT (pg_temp.task('F6', 'Task w2')) IS NOT NULL AS done \gset
SELECT (pg_temp.finish_task('Task w1')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F6'), 50, 'tasks only: 1 of 2 completed -> 50%');
SELECT (pg_temp.component('F6', 'Component w1')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F6'), 0, 'a component appears: components win (0 of 1 -> 0%), the tasks no longer count');
SELECT (pg_temp.finish_task('Task w2')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F6'), 0, 'completing the last task changes nothing while a component is open');
SELECT (pg_temp.finish_component('Component w1')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F6'), 100, 'completing the component: 1 of 1 -> 100%');
SELECT (pg_temp.task('F6', 'Task w3')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F6'), 100, 'a new open task does not lower a component-based percentage');

-- ------------------------------------------------------------------ no-op writes nothing (4 tests)
CREATE TEMP TABLE updates_before AS SELECT pg_temp.feature_updates('F6') AS n;
SELECT (pg_temp.component('F6', 'Component w2')) IS NOT NULL AS done \gset
SELECT is(pg_temp.feature_updates('F6'), (SELECT n + 1 FROM updates_before),
          'a roll-up that changes the percentage (100 -> 50) writes one feature ''updated'' row');
SELECT is((SELECT changes FROM claude.activity_feed
            WHERE source_type = 'feature' AND source_id = pg_temp.id('F6') AND activity_type = 'updated'
            ORDER BY created_at DESC LIMIT 1),
          '{"completion_percentage": {"old": 100, "new": 50}}'::jsonb,
          'that row records completion_percentage old 100, new 50');
TRUNCATE updates_before;
INSERT INTO updates_before SELECT pg_temp.feature_updates('F6');
SELECT (claude.update_component_status(pg_temp.id('Component w2'), 'in_progress')) IS NOT NULL AS done \gset
SELECT (pg_temp.finish_task('Task w3')) IS NOT NULL AS done \gset
SELECT (claude.update_component(pg_temp.id('Component w2'), '{"lines_of_code": 120}')) IS NOT NULL AS done \gset
SELECT is(pg_temp.pct('F6'), 50, 'a status change, a task completion and an edit that do not move the percentage: still 50%');
SELECT is(pg_temp.feature_updates('F6'), (SELECT n FROM updates_before),
          'an unchanged percentage writes no ''updated'' activity row for the feature');

SELECT * FROM finish();
ROLLBACK;
