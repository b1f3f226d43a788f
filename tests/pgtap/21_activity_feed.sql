-- Activity feed (SPEC section 5, deploy/activity_logging.sql): one row per
-- insert, status change (most specific type), other update, reassignment and
-- delete of a feature, component, task or requirement, with title (<= 255),
-- summary (reason or note), project name, severity and actor; cascade
-- deletes; log_activity(); get_activity() filters and paging; the
-- append-only guard; prune_activity(); grants; the project index.
--
-- Helpers live in pg_temp and vanish with the test transaction:
--   pg_temp.remember(key, id) / pg_temp.id(key)   uuids kept under a key
--   pg_temp.act(key, sql)       runs sql; returns how many activity rows it
--                               wrote (count after - count before) and keeps
--                               those rows in temp table acts under key
--   pg_temp.got(key, fields, source_type)  the chosen fields of the row kept
--                               under key (of that source_type, when given)
--   pg_temp.err(sql)            NULL, or the error sql raised as
--                               {"sqlstate", "message", "detail"}
--   pg_temp.plan_of(sql)        the EXPLAIN text of sql
--   pg_temp.labels(ids)         ids of get_activity rows as the labels r1..r6, rx of
--                               the query fixture, in the order returned
--   pg_temp.at(key)             created_at of the activity row under key
BEGIN;
SELECT plan(160);

-- ------------------------------------------------------------------ helpers
CREATE TEMP TABLE test_ids (k text PRIMARY KEY, id uuid NOT NULL);
CREATE TEMP TABLE acts AS SELECT ''::text AS k, a.* FROM claude.activity_feed a WHERE false;

CREATE FUNCTION pg_temp.remember(key text, value uuid) RETURNS uuid
LANGUAGE sql AS $$
    INSERT INTO test_ids (k, id) VALUES (key, value)
    ON CONFLICT (k) DO UPDATE SET id = EXCLUDED.id
    RETURNING id
$$;

CREATE FUNCTION pg_temp.id(key text) RETURNS uuid
LANGUAGE sql STABLE AS $$ SELECT id FROM test_ids WHERE k = key $$;

CREATE FUNCTION pg_temp.act(key text, sql text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    before_count bigint;
    after_count bigint;
    started timestamptz;
BEGIN
    SELECT count(*) INTO before_count FROM claude.activity_feed;
    started := clock_timestamp();
    EXECUTE sql;
    SELECT count(*) INTO after_count FROM claude.activity_feed;
    DELETE FROM acts WHERE k = key;
    INSERT INTO acts SELECT key, a.* FROM claude.activity_feed a WHERE a.created_at >= started;
    RETURN after_count - before_count;
END
$$;

CREATE FUNCTION pg_temp.got(key text, fields text[], source text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_object_agg(f, to_jsonb(a) -> f)
      FROM acts a, unnest(fields) AS f
     WHERE a.k = key AND (source IS NULL OR a.source_type = source)
$$;

CREATE FUNCTION pg_temp.err(sql text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    state text;
    msg text;
    detail text;
    parsed jsonb;
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    BEGIN
        parsed := detail::jsonb;
    EXCEPTION WHEN OTHERS THEN
        parsed := to_jsonb(detail);
    END;
    RETURN jsonb_build_object('sqlstate', state, 'message', msg, 'detail', parsed);
END
$$;

CREATE FUNCTION pg_temp.plan_of(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    result text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || sql LOOP
        result := result || line || E'\n';
    END LOOP;
    RETURN result;
END
$$;

CREATE FUNCTION pg_temp.add_feature(key text, name text, project text DEFAULT 'P') RETURNS uuid
LANGUAGE sql AS $$
    SELECT pg_temp.remember(key, (claude.add_feature(feature_name => name, feature_type => 'feature',
        project_id => pg_temp.id(project), description => 'A description long enough to plan the feature.',
        planned_by_identity_id => pg_temp.id('I'))->'data'->>'feature_id')::uuid)
$$;

CREATE FUNCTION pg_temp.add_component(key text, feature_key text, name text) RETURNS uuid
LANGUAGE sql AS $$
    SELECT pg_temp.remember(key, (claude.add_component(feature_id => pg_temp.id(feature_key),
        component_name => name, component_type => 'service', planned_functions => ARRAY['run'])
        ->'data'->>'component_id')::uuid)
$$;

CREATE FUNCTION pg_temp.add_task(key text, feature_key text, name text) RETURNS uuid
LANGUAGE sql AS $$
    SELECT pg_temp.remember(key, (claude.add_task(task_name => name,
        task_description => 'Work item for the activity tests', task_type => 'code',
        feature_id => pg_temp.id(feature_key), estimated_hours => 3)->'data'->>'task_id')::uuid)
$$;

CREATE FUNCTION pg_temp.add_requirement(key text, feature_key text, name text) RETURNS uuid
LANGUAGE sql AS $$
    SELECT pg_temp.remember(key, (claude.add_requirement(feature_id => pg_temp.id(feature_key),
        requirement_name => name, requirement_type => 'functional',
        description => 'The feature must log everything that happens to it, in order, with reasons.',
        acceptance_criteria => ARRAY['it must log creation', 'it should log changes', 'then it shows the reason'],
        created_by_identity_id => pg_temp.id('I'))->'data'->>'requirement_id')::uuid)
$$;

-- ------------------------------------------------------------------ fixture
DO $$
BEGIN
    PERFORM pg_temp.remember('P', (claude.add_project('Activity project')->'data'->>'project_id')::uuid);
    PERFORM pg_temp.remember('Q', (claude.add_project('Feed query project')->'data'->>'project_id')::uuid);
    PERFORM pg_temp.remember('I', (claude.add_identity('activity-agent')->'data'->>'identity_id')::uuid);
    PERFORM pg_temp.remember('I2', (claude.add_identity('activity-second-agent')->'data'->>'identity_id')::uuid);
END
$$;

-- ------------------------------------------------------------------ created (8 tests)
SELECT is(pg_temp.act('new feature', $$SELECT pg_temp.add_feature('FA', 'Activity feature')$$), 1::bigint,
          'add_feature writes exactly one activity row');
SELECT is(pg_temp.got('new feature', ARRAY['activity_type', 'source_type', 'source_id', 'title', 'project_name', 'severity', 'actor']),
          jsonb_build_object('activity_type', 'created', 'source_type', 'feature', 'source_id', pg_temp.id('FA'),
                             'title', 'Feature created: Activity feature', 'project_name', 'Activity project',
                             'severity', 'info', 'actor', session_user),
          'feature insert: created / feature / its id / "Feature created: <name>" / project / info / session_user');
SELECT is(pg_temp.act('new component', $$SELECT pg_temp.add_component('CA', 'FA', 'Activity component')$$), 1::bigint,
          'add_component writes exactly one activity row');
SELECT is(pg_temp.got('new component', ARRAY['activity_type', 'source_type', 'source_id', 'title', 'project_name', 'severity']),
          jsonb_build_object('activity_type', 'created', 'source_type', 'component', 'source_id', pg_temp.id('CA'),
                             'title', 'Component created: Activity component', 'project_name', 'Activity project',
                             'severity', 'info'),
          'component insert: created / component / its id / "Component created: <name>" / project / info');
SELECT is(pg_temp.act('new task', $$SELECT pg_temp.add_task('TA', 'FA', 'Activity task')$$), 1::bigint,
          'add_task writes exactly one activity row');
SELECT is(pg_temp.got('new task', ARRAY['activity_type', 'source_type', 'source_id', 'title', 'project_name', 'severity']),
          jsonb_build_object('activity_type', 'created', 'source_type', 'build_task', 'source_id', pg_temp.id('TA'),
                             'title', 'Task created: Activity task', 'project_name', 'Activity project',
                             'severity', 'info'),
          'task insert: created / build_task / its id / "Task created: <name>" / project / info');
SELECT is(pg_temp.act('new requirement', $$SELECT pg_temp.add_requirement('RA', 'FA', 'Activity requirement')$$), 1::bigint,
          'add_requirement writes exactly one activity row');
SELECT is(pg_temp.got('new requirement', ARRAY['activity_type', 'source_type', 'source_id', 'title', 'project_name', 'severity']),
          jsonb_build_object('activity_type', 'created', 'source_type', 'requirement', 'source_id', pg_temp.id('RA'),
                             'title', 'Requirement created: Activity requirement', 'project_name', 'Activity project',
                             'severity', 'info'),
          'requirement insert: created / requirement / its id / "Requirement created: <name>" / project / info');

-- more rows for the status paths
SELECT (pg_temp.add_component('CB', 'FA', 'Second activity component')) IS NOT NULL AS done \gset
SELECT (pg_temp.add_task('TB', 'FA', 'Task to cancel')) IS NOT NULL AS done \gset
SELECT (pg_temp.add_requirement('RB', 'FA', 'Requirement to reject')) IS NOT NULL AS done \gset
SELECT (pg_temp.add_feature('FC', 'Feature to cancel')) IS NOT NULL AS done \gset
SELECT (claude.update_component(pg_temp.id('CA'), '{"has_tests": true, "test_coverage_percentage": 90}')) IS NOT NULL AS done \gset

-- ------------------------------------------------------------------ feature status changes (18 tests)
SELECT is(pg_temp.act('f planned', $$SELECT claude.update_feature_status(pg_temp.id('FA'), 'planned')$$), 1::bigint,
          'feature not_started -> planned writes exactly one row');
SELECT is(pg_temp.got('f planned', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "status_changed", "severity": "info", "title": "Feature planned: Activity feature"}'::jsonb,
          'feature not_started -> planned: status_changed, info');
SELECT is(pg_temp.got('f planned', ARRAY['changes'])->'changes'->'status', '{"old": "not_started", "new": "planned"}'::jsonb,
          'the status change records changes.status old and new');
SELECT is(pg_temp.act('f started', $$SELECT claude.update_feature_status(pg_temp.id('FA'), 'in_progress',
              implemented_by_identity_id => pg_temp.id('I'))$$), 1::bigint,
          'feature planned -> in_progress writes exactly one row');
SELECT is(pg_temp.got('f started', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "started", "severity": "info", "title": "Feature started: Activity feature"}'::jsonb,
          'feature planned -> in_progress: started, info');
SELECT is(pg_temp.act('f blocked', $$SELECT claude.update_feature_status(pg_temp.id('FA'), 'blocked',
              reason => 'waiting for the payment API')$$), 1::bigint,
          'feature in_progress -> blocked writes exactly one row');
SELECT is(pg_temp.got('f blocked', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "blocked", "severity": "warning", "title": "Feature blocked: Activity feature"}'::jsonb,
          'feature in_progress -> blocked: blocked, warning');
SELECT matches(pg_temp.got('f blocked', ARRAY['summary'])->>'summary', 'waiting for the payment API',
               'the blocked row''s summary contains the reason');
SELECT is(pg_temp.act('f unblocked', $$SELECT claude.update_feature_status(pg_temp.id('FA'), 'in_progress',
              reason => 'payment API delivered')$$), 1::bigint,
          'feature blocked -> in_progress writes exactly one row');
SELECT is(pg_temp.got('f unblocked', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "unblocked", "severity": "info", "title": "Feature unblocked: Activity feature"}'::jsonb,
          'feature blocked -> in_progress: unblocked, info');
SELECT matches(pg_temp.got('f unblocked', ARRAY['summary'])->>'summary', 'payment API delivered',
               'the unblocked row''s summary contains the note');
SELECT is(pg_temp.act('f on hold', $$SELECT claude.update_feature_status(pg_temp.id('FA'), 'on_hold',
              reason => 'budget review')$$), 1::bigint,
          'feature in_progress -> on_hold writes exactly one row');
SELECT is(pg_temp.got('f on hold', ARRAY['activity_type', 'title']),
          '{"activity_type": "status_changed", "title": "Feature on hold: Activity feature"}'::jsonb,
          'feature in_progress -> on_hold: status_changed');
SELECT matches(pg_temp.got('f on hold', ARRAY['summary'])->>'summary', 'budget review',
               'the on_hold row''s summary contains the reason');
SELECT (claude.update_feature_status(pg_temp.id('FA'), 'in_progress')) IS NOT NULL AS done \gset
SELECT is(pg_temp.act('f cancelled', $$SELECT claude.update_feature_status(pg_temp.id('FC'), 'cancelled',
              reason => 'merged into another feature')$$), 1::bigint,
          'feature not_started -> cancelled writes exactly one row');
SELECT is(pg_temp.got('f cancelled', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "cancelled", "severity": "warning", "title": "Feature cancelled: Feature to cancel"}'::jsonb,
          'feature cancelled: cancelled, warning');
SELECT matches(pg_temp.got('f cancelled', ARRAY['summary'])->>'summary', 'merged into another feature',
               'the cancelled row''s summary contains the reason');
SELECT is(pg_temp.got('f cancelled', ARRAY['project_name'])->>'project_name', 'Activity project',
          'status rows carry the project name');

-- ------------------------------------------------------------------ component status changes (7 tests)
SELECT is(pg_temp.act('c started', $$SELECT claude.update_component_status(pg_temp.id('CA'), 'in_progress')$$), 1::bigint,
          'component planned -> in_progress writes exactly one row');
SELECT is(pg_temp.got('c started', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "started", "severity": "info", "title": "Component started: Activity component"}'::jsonb,
          'component planned -> in_progress: started, info');
SELECT is(pg_temp.act('c completed', $$SELECT claude.complete_component(pg_temp.id('CA'), actual_functions => ARRAY['run'])$$), 2::bigint,
          'completing a component writes two rows: the component''s and the feature roll-up''s');
SELECT is(pg_temp.got('c completed', ARRAY['activity_type', 'severity', 'title'], 'component'),
          '{"activity_type": "completed", "severity": "success", "title": "Component completed: Activity component"}'::jsonb,
          'component in_progress -> completed: completed, success');
SELECT is(pg_temp.got('c completed', ARRAY['activity_type', 'source_id', 'changes'], 'feature'),
          jsonb_build_object('activity_type', 'updated', 'source_id', pg_temp.id('FA'),
                             'changes', '{"completion_percentage": {"old": 0, "new": 50}}'::jsonb),
          'the roll-up row is the feature''s ''updated'' with completion_percentage 0 -> 50');
SELECT is(pg_temp.act('c tested', $$SELECT claude.update_component_status(pg_temp.id('CA'), 'tested')$$), 1::bigint,
          'component completed -> tested writes exactly one row');
SELECT is(pg_temp.got('c tested', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "status_changed", "severity": "info", "title": "Component tested: Activity component"}'::jsonb,
          'component completed -> tested: status_changed, info');

-- ------------------------------------------------------------------ task status changes (20 tests)
SELECT is(pg_temp.act('t started', $$SELECT claude.start_task(pg_temp.id('TA'), identity_id => pg_temp.id('I'))$$), 1::bigint,
          'start_task writes exactly one row (status and assignee in one)');
SELECT is(pg_temp.got('t started', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "started", "severity": "info", "title": "Task started: Activity task"}'::jsonb,
          'task todo -> in_progress: started, info');
SELECT is(pg_temp.act('t review', $$SELECT claude.submit_task_for_review(pg_temp.id('TA'))$$), 1::bigint,
          'submit_task_for_review writes exactly one row');
SELECT is(pg_temp.got('t review', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "status_changed", "severity": "info", "title": "Task review: Activity task"}'::jsonb,
          'task in_progress -> review: status_changed, info');
SELECT is(pg_temp.act('t changes', $$SELECT claude.request_task_changes(pg_temp.id('TA'), note => 'rename the helper')$$), 1::bigint,
          'request_task_changes writes exactly one row');
SELECT is(pg_temp.got('t changes', ARRAY['activity_type', 'severity']),
          '{"activity_type": "status_changed", "severity": "info"}'::jsonb,
          'task review -> in_progress: status_changed, info');
SELECT matches(pg_temp.got('t changes', ARRAY['summary'])->>'summary', 'rename the helper',
               'the changes-requested row''s summary contains the note');
SELECT is(pg_temp.act('t blocked', $$SELECT claude.block_task(pg_temp.id('TA'), reason => 'the test server is down')$$), 1::bigint,
          'block_task writes exactly one row');
SELECT is(pg_temp.got('t blocked', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "blocked", "severity": "warning", "title": "Task blocked: Activity task"}'::jsonb,
          'task in_progress -> blocked: blocked, warning');
SELECT matches(pg_temp.got('t blocked', ARRAY['summary'])->>'summary', 'the test server is down',
               'the blocked row''s summary contains the reason');
SELECT is(pg_temp.act('t unblocked', $$SELECT claude.unblock_task(pg_temp.id('TA'), note => 'server restarted')$$), 1::bigint,
          'unblock_task writes exactly one row');
SELECT is(pg_temp.got('t unblocked', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "unblocked", "severity": "info", "title": "Task unblocked: Activity task"}'::jsonb,
          'task blocked -> in_progress: unblocked, info');
SELECT matches(pg_temp.got('t unblocked', ARRAY['summary'])->>'summary', 'server restarted',
               'the unblocked row''s summary contains the note');
SELECT is(pg_temp.act('t completed', $$SELECT claude.complete_task(pg_temp.id('TA'), actual_hours => 3)$$), 1::bigint,
          'complete_task writes exactly one row (the feature''s percentage follows its components)');
SELECT is(pg_temp.got('t completed', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "completed", "severity": "success", "title": "Task completed: Activity task"}'::jsonb,
          'task -> completed: completed, success');
SELECT is(pg_temp.act('t cancelled', $$SELECT claude.cancel_task(pg_temp.id('TB'), reason => 'duplicate of another task')$$), 1::bigint,
          'cancel_task writes exactly one row');
SELECT is(pg_temp.got('t cancelled', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "cancelled", "severity": "warning", "title": "Task cancelled: Task to cancel"}'::jsonb,
          'task -> cancelled: cancelled, warning');
SELECT matches(pg_temp.got('t cancelled', ARRAY['summary'])->>'summary', 'duplicate of another task',
               'the cancelled row''s summary contains the reason');
-- raw DML is logged the same way
SELECT (pg_temp.add_task('TR', 'FA', 'Raw activity task')) IS NOT NULL AS done \gset
SELECT is(pg_temp.act('t raw', $$UPDATE claude.build_tasks SET status = 'in_progress', assigned_to_identity_id = pg_temp.id('I')
                                  WHERE task_id = pg_temp.id('TR')$$), 1::bigint,
          'a raw UPDATE writes exactly one row');
SELECT is(pg_temp.got('t raw', ARRAY['activity_type', 'title']),
          '{"activity_type": "started", "title": "Task started: Raw activity task"}'::jsonb,
          'a raw UPDATE todo -> in_progress is logged as started');

-- ------------------------------------------------------------------ requirement status changes (8 tests)
SELECT is(pg_temp.act('r defined', $$SELECT claude.update_requirement_status(pg_temp.id('RA'), 'defined')$$), 1::bigint,
          'requirement draft -> defined writes exactly one row');
SELECT is(pg_temp.got('r defined', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "status_changed", "severity": "info", "title": "Requirement defined: Activity requirement"}'::jsonb,
          'requirement draft -> defined: status_changed, info');
SELECT (claude.update_requirement_status(pg_temp.id('RA'), 'approved')) IS NOT NULL AS done \gset
SELECT (claude.update_requirement_status(pg_temp.id('RA'), 'implemented', component_id => pg_temp.id('CA'))) IS NOT NULL AS done \gset
SELECT is(pg_temp.act('r verified', $$SELECT claude.verify_requirement(pg_temp.id('RA'))$$), 1::bigint,
          'verify_requirement writes exactly one row');
SELECT is(pg_temp.got('r verified', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "verified", "severity": "success", "title": "Requirement verified: Activity requirement"}'::jsonb,
          'requirement implemented -> verified: verified, success');
SELECT is(pg_temp.act('r rejected', $$SELECT claude.update_requirement_status(pg_temp.id('RB'), 'rejected',
              reason => 'not worth the effort')$$), 1::bigint,
          'requirement draft -> rejected writes exactly one row');
SELECT is(pg_temp.got('r rejected', ARRAY['activity_type', 'title']),
          '{"activity_type": "status_changed", "title": "Requirement rejected: Requirement to reject"}'::jsonb,
          'requirement draft -> rejected: status_changed');
SELECT matches(pg_temp.got('r rejected', ARRAY['summary'])->>'summary', 'not worth the effort',
               'the rejected row''s summary contains the reason');
SELECT is(pg_temp.got('r rejected', ARRAY['project_name'])->>'project_name', 'Activity project',
          'requirement rows carry the project name');

-- ------------------------------------------------------------------ feature completed (2 tests)
DO $$
BEGIN
    PERFORM claude.update_component_status(pg_temp.id('CB'), 'in_progress');
    PERFORM claude.complete_component(pg_temp.id('CB'), actual_functions => ARRAY['run']);
    PERFORM claude.complete_task(pg_temp.id('TR'), actual_hours => 1);
END
$$;
SELECT is(pg_temp.act('f completed', $$SELECT claude.complete_feature(pg_temp.id('FA'))$$), 1::bigint,
          'complete_feature writes exactly one row');
SELECT is(pg_temp.got('f completed', ARRAY['activity_type', 'severity', 'title']),
          '{"activity_type": "completed", "severity": "success", "title": "Feature completed: Activity feature"}'::jsonb,
          'feature in_progress -> completed: completed, success');

-- ------------------------------------------------------------------ updates and reassignment (17 tests)
SELECT (pg_temp.add_feature('FB', 'Feature for updates')) IS NOT NULL AS done \gset
SELECT (pg_temp.add_component('CC', 'FB', 'Component for updates')) IS NOT NULL AS done \gset
SELECT (pg_temp.add_task('TC', 'FB', 'Task for updates')) IS NOT NULL AS done \gset
SELECT (pg_temp.add_requirement('RC', 'FB', 'Requirement for updates')) IS NOT NULL AS done \gset

SELECT is(pg_temp.act('f update', $$SELECT claude.update_feature(pg_temp.id('FB'), '{"priority": 2}')$$), 1::bigint,
          'update_feature writes exactly one row');
SELECT is(pg_temp.got('f update', ARRAY['activity_type', 'severity', 'title', 'changes']),
          '{"activity_type": "updated", "severity": "info", "title": "Feature updated: Feature for updates",
            "changes": {"priority": {"old": 5, "new": 2}}}'::jsonb,
          'feature update: updated, info, changes = {"priority": {"old": 5, "new": 2}}');
SELECT matches(pg_temp.got('f update', ARRAY['summary'])->>'summary', 'priority',
               'the updated row''s summary names the changed field');
SELECT is(pg_temp.act('f same', $$SELECT claude.update_feature(pg_temp.id('FB'), '{"priority": 2}')$$), 0::bigint,
          'an update that changes nothing writes no row');
SELECT is(pg_temp.act('f two', $$SELECT claude.update_feature(pg_temp.id('FB'),
              '{"priority": 3, "design_doc_path": "docs/updates.md"}')$$), 1::bigint,
          'an update of two fields writes exactly one row');
SELECT is(pg_temp.got('f two', ARRAY['changes'])->'changes',
          '{"priority": {"old": 2, "new": 3}, "design_doc_path": {"old": null, "new": "docs/updates.md"}}'::jsonb,
          'its changes hold both fields with old and new values');
SELECT is(pg_temp.act('c update', $$SELECT claude.update_component(pg_temp.id('CC'), '{"lines_of_code": 120}')$$), 1::bigint,
          'update_component writes exactly one row');
SELECT is(pg_temp.got('c update', ARRAY['activity_type', 'title', 'changes']),
          '{"activity_type": "updated", "title": "Component updated: Component for updates",
            "changes": {"lines_of_code": {"old": null, "new": 120}}}'::jsonb,
          'component update: updated, changes = {"lines_of_code": {"old": null, "new": 120}}');
SELECT is(pg_temp.act('r update', $$SELECT claude.update_requirement(pg_temp.id('RC'), '{"must_have": true}')$$), 1::bigint,
          'update_requirement writes exactly one row');
SELECT is(pg_temp.got('r update', ARRAY['activity_type', 'changes']),
          '{"activity_type": "updated", "changes": {"must_have": {"old": false, "new": true}}}'::jsonb,
          'requirement update: updated, changes = {"must_have": {"old": false, "new": true}}');
SELECT is(pg_temp.act('t update', $$SELECT claude.update_task(pg_temp.id('TC'), '{"priority": 1}')$$), 1::bigint,
          'update_task writes exactly one row');
SELECT is(pg_temp.got('t update', ARRAY['activity_type', 'changes']),
          '{"activity_type": "updated", "changes": {"priority": {"old": 5, "new": 1}}}'::jsonb,
          'task update (not the assignee): updated');
SELECT is(pg_temp.act('t assign', format($$SELECT claude.update_task(pg_temp.id('TC'), '{"assigned_to_identity_id": "%s"}')$$,
              pg_temp.id('I'))), 1::bigint,
          'assigning a task writes exactly one row');
SELECT is(pg_temp.got('t assign', ARRAY['activity_type', 'severity', 'title', 'changes']),
          jsonb_build_object('activity_type', 'assigned', 'severity', 'info', 'title', 'Task assigned: Task for updates',
                             'changes', jsonb_build_object('assigned_to_identity_id',
                                 jsonb_build_object('old', NULL, 'new', pg_temp.id('I')))),
          'task assignment: assigned, changes.assigned_to_identity_id old null, new the identity');
SELECT is(pg_temp.act('t reassign', format($$SELECT claude.update_task(pg_temp.id('TC'), '{"assigned_to_identity_id": "%s"}')$$,
              pg_temp.id('I2'))), 1::bigint,
          'reassigning a task writes exactly one row');
SELECT is(pg_temp.got('t reassign', ARRAY['activity_type', 'changes']),
          jsonb_build_object('activity_type', 'assigned',
                             'changes', jsonb_build_object('assigned_to_identity_id',
                                 jsonb_build_object('old', pg_temp.id('I'), 'new', pg_temp.id('I2')))),
          'task reassignment: assigned, old and new assignee');
SELECT is(pg_temp.got('t reassign', ARRAY['project_name'])->>'project_name', 'Activity project',
          'update rows carry the project name');

-- ------------------------------------------------------------------ delete (4 tests)
CREATE TEMP TABLE deleted_row AS SELECT to_jsonb(r) AS j FROM claude.requirements r WHERE r.requirement_id = pg_temp.id('RC');
SELECT is(pg_temp.act('r delete', $$DELETE FROM claude.requirements WHERE requirement_id = pg_temp.id('RC')$$), 1::bigint,
          'a DELETE writes exactly one row');
SELECT is(pg_temp.got('r delete', ARRAY['activity_type', 'source_type', 'source_id', 'title', 'project_name', 'severity']),
          jsonb_build_object('activity_type', 'deleted', 'source_type', 'requirement', 'source_id', pg_temp.id('RC'),
                             'title', 'Requirement deleted: Requirement for updates', 'project_name', 'Activity project',
                             'severity', 'info'),
          'requirement delete: deleted / requirement / its id / "Requirement deleted: <name>" / project / info');
SELECT is(pg_temp.got('r delete', ARRAY['changes'])->'changes'->'deleted', (SELECT j FROM deleted_row),
          'changes->''deleted'' holds the deleted row as it was');
SELECT matches(pg_temp.got('r delete', ARRAY['summary'])->>'summary', 'draft',
               'the deleted row''s summary names the status it was deleted in');

-- ------------------------------------------------------------------ cascade delete (6 tests)
DO $$
BEGIN
    PERFORM pg_temp.add_feature('FD', 'Feature to delete');
    PERFORM pg_temp.add_component('CD1', 'FD', 'First doomed component');
    PERFORM pg_temp.add_component('CD2', 'FD', 'Second doomed component');
    PERFORM pg_temp.remember('TD1', (claude.add_task(task_name => 'First doomed task',
        task_description => 'Work item for the cascade test', task_type => 'code',
        component_id => pg_temp.id('CD1'))->'data'->>'task_id')::uuid);
    PERFORM pg_temp.remember('TD2', (claude.add_task(task_name => 'Second doomed task',
        task_description => 'Work item for the cascade test', task_type => 'code',
        feature_id => pg_temp.id('FD'), blocked_by_task_id => pg_temp.id('TD1'))->'data'->>'task_id')::uuid);
    PERFORM pg_temp.add_requirement('RD', 'FD', 'Doomed requirement');
END
$$;
SELECT is(pg_temp.act('cascade', $$SELECT claude.delete_feature(pg_temp.id('FD'))$$), 6::bigint,
          'delete_feature of a feature with 2 components, 2 tasks and 1 requirement writes exactly 6 rows');
SELECT set_eq($$SELECT source_type, source_id FROM acts WHERE k = 'cascade'$$,
              $$VALUES ('feature', pg_temp.id('FD')), ('component', pg_temp.id('CD1')), ('component', pg_temp.id('CD2')),
                       ('build_task', pg_temp.id('TD1')), ('build_task', pg_temp.id('TD2')),
                       ('requirement', pg_temp.id('RD'))$$,
              'one row per deleted feature, component, task and requirement');
SELECT is((SELECT count(DISTINCT source_id) FROM acts WHERE k = 'cascade'), 6::bigint,
          'no entity is logged twice (no extra rows for the SET NULL links in between)');
SELECT is((SELECT array_agg(DISTINCT activity_type) FROM acts WHERE k = 'cascade'), ARRAY['deleted'],
          'every cascade row is a ''deleted'' row');
SELECT is((SELECT array_agg(DISTINCT project_name) FROM acts WHERE k = 'cascade'), ARRAY['Activity project'],
          'every cascade row carries the project name');
SELECT ok((SELECT bool_and(changes->'deleted' @> jsonb_build_object(
                  CASE source_type WHEN 'build_task' THEN 'task_id' ELSE source_type || '_id' END, source_id))
             FROM acts WHERE k = 'cascade'),
          'every cascade row keeps the deleted row under changes->''deleted''');

-- ------------------------------------------------------------------ title truncation (4 tests)
SELECT is(pg_temp.act('long', $$SELECT pg_temp.add_feature('FL', left(repeat('Very long feature name ', 14), 255))$$), 1::bigint,
          'a feature with a 255-character name (the longest allowed) is created with one row');
SELECT is(char_length(pg_temp.got('long', ARRAY['title'])->>'title'), 255,
          'the title is truncated to 255 characters');
SELECT is(pg_temp.got('long', ARRAY['title'])->>'title', left('Feature created: ' || left(repeat('Very long feature name ', 14), 255), 255),
          'the truncated title is the start of "Feature created: <name>"');
SELECT (pg_temp.act('long update', $$SELECT claude.update_feature(pg_temp.id('FL'), '{"priority": 9}')$$)) IS NOT NULL AS done \gset
SELECT is(char_length(pg_temp.got('long update', ARRAY['title'])->>'title'), 255,
          'the title of an update row is truncated to 255 characters too');

-- ------------------------------------------------------------------ actor (8 tests)
SELECT is(pg_temp.act('actor none', $$SELECT claude.update_feature(pg_temp.id('FB'), '{"priority": 4}')$$), 1::bigint,
          'an update without actor writes one row');
SELECT is(pg_temp.got('actor none', ARRAY['actor'])->>'actor', session_user::text,
          'without actor argument or setting the actor is session_user');
SET LOCAL buildtracker.actor = 'alice';
SELECT (pg_temp.act('actor setting', $$SELECT claude.update_feature(pg_temp.id('FB'), '{"priority": 5}')$$)) IS NOT NULL AS done \gset
SELECT is(pg_temp.got('actor setting', ARRAY['actor'])->>'actor', 'alice',
          'SET LOCAL buildtracker.actor = ''alice'' makes alice the actor of a call without actor');
SELECT (pg_temp.act('actor arg', $$SELECT claude.update_feature(pg_temp.id('FB'), '{"priority": 6}', actor => 'bob')$$)) IS NOT NULL AS done \gset
SELECT is(pg_temp.got('actor arg', ARRAY['actor'])->>'actor', 'bob',
          'the actor argument of a call wins over the setting');
SELECT (pg_temp.act('actor raw', $$UPDATE claude.features SET priority = 7 WHERE feature_id = pg_temp.id('FB')$$)) IS NOT NULL AS done \gset
SELECT is(pg_temp.got('actor raw', ARRAY['actor'])->>'actor', 'alice',
          'raw DML after such a call is attributed to the setting again (the call''s actor does not leak)');
DO $$
BEGIN
    PERFORM pg_temp.add_feature('FE', 'Feature for the actor roll-up');
    PERFORM claude.update_feature_status(pg_temp.id('FE'), 'planned');
    PERFORM claude.update_feature_status(pg_temp.id('FE'), 'in_progress', implemented_by_identity_id => pg_temp.id('I'));
    PERFORM pg_temp.add_component('CE', 'FE', 'Actor roll-up component');
    PERFORM claude.update_component_status(pg_temp.id('CE'), 'in_progress');
END
$$;
SELECT (pg_temp.act('actor rollup', $$SELECT claude.complete_component(pg_temp.id('CE'), actual_functions => ARRAY['run'],
            actor => 'carol')$$)) IS NOT NULL AS done \gset
SELECT is((SELECT array_agg(actor ORDER BY source_type) FROM acts WHERE k = 'actor rollup'), ARRAY['carol', 'carol'],
          'the component row and the feature roll-up row of a call both carry the call''s actor');
RESET buildtracker.actor;
SELECT (pg_temp.act('actor reset', $$SELECT claude.update_feature(pg_temp.id('FB'), '{"priority": 8}')$$)) IS NOT NULL AS done \gset
SELECT is(pg_temp.got('actor reset', ARRAY['actor'])->>'actor', session_user::text,
          'after RESET buildtracker.actor the actor is session_user again');
SELECT is(session_user::text, current_user::text, 'session_user is the pg_prove connection''s user');

-- ------------------------------------------------------------------ log_activity (12 tests)
SELECT is(pg_temp.act('log', $$SELECT pg_temp.remember('L1', claude.log_activity('system', NULL, 'updated', 'Nightly import finished'))$$),
          1::bigint, 'log_activity writes exactly one row');
SELECT isnt(pg_temp.id('L1'), NULL, 'log_activity returns a uuid');
SELECT is((SELECT jsonb_build_object('source_type', source_type, 'activity_type', activity_type, 'title', title,
                                     'severity', severity, 'actor', actor, 'summary', summary, 'project_name', project_name)
             FROM claude.activity_feed WHERE id = pg_temp.id('L1')),
          jsonb_build_object('source_type', 'system', 'activity_type', 'updated', 'title', 'Nightly import finished',
                             'severity', 'info', 'actor', session_user, 'summary', NULL, 'project_name', NULL),
          'the returned id names the new row; severity defaults to info and the actor to session_user');
SELECT pg_temp.remember('L2', claude.log_activity(source_type => 'feature', source_id => pg_temp.id('FB'),
    activity_type => 'assigned', title => 'Handed to the night shift', summary => 'Reassigned by the scheduler',
    actor => 'scheduler', project_name => 'Activity project', severity => 'error', changes => '{"shift": "night"}'))
    IS NOT NULL AS done \gset
SELECT is((SELECT jsonb_build_object('source_type', source_type, 'source_id', source_id, 'activity_type', activity_type,
                                     'title', title, 'summary', summary, 'actor', actor, 'project_name', project_name,
                                     'severity', severity, 'changes', changes)
             FROM claude.activity_feed WHERE id = pg_temp.id('L2')),
          jsonb_build_object('source_type', 'feature', 'source_id', pg_temp.id('FB'), 'activity_type', 'assigned',
                             'title', 'Handed to the night shift', 'summary', 'Reassigned by the scheduler',
                             'actor', 'scheduler', 'project_name', 'Activity project', 'severity', 'error',
                             'changes', '{"shift": "night"}'::jsonb),
          'every argument of log_activity lands in its column');
SELECT pg_temp.remember('L3', claude.log_activity('system', NULL, 'updated', repeat('x', 300))) IS NOT NULL AS done \gset
SELECT is((SELECT char_length(title) FROM claude.activity_feed WHERE id = pg_temp.id('L3')), 255,
          'log_activity truncates a 300-character title to 255');
SET LOCAL buildtracker.actor = 'alice';
SELECT pg_temp.remember('L4', claude.log_activity('system', NULL, 'updated', 'Logged under a setting')) IS NOT NULL AS done \gset
RESET buildtracker.actor;
SELECT is((SELECT actor FROM claude.activity_feed WHERE id = pg_temp.id('L4')), 'alice',
          'log_activity''s default actor follows SET buildtracker.actor');
SELECT throws_ok($$SELECT claude.log_activity('spaceship', NULL, 'updated', 'Bad source type')$$, '23514', NULL,
                 'log_activity refuses an unknown source_type with 23514');
SELECT throws_ok($$SELECT claude.log_activity('system', NULL, 'exploded', 'Bad activity type')$$, '23514', NULL,
                 'log_activity refuses an unknown activity_type with 23514');
SELECT throws_ok($$SELECT claude.log_activity('system', NULL, 'updated', 'Bad severity', severity => 'fatal')$$, '23514', NULL,
                 'log_activity refuses an unknown severity with 23514');
SELECT throws_ok($$SELECT claude.log_activity('system', NULL, 'updated', '   ')$$, '23514', NULL,
                 'log_activity refuses a blank title with 23514');
CREATE TEMP TABLE log_error AS
SELECT pg_temp.err($$SELECT claude.log_activity('spaceship', NULL, 'exploded', 'All wrong', severity => 'fatal')$$) AS e;
SELECT is((SELECT e->>'sqlstate' FROM log_error), '23514', 'three bad values at once: one 23514 error');
SELECT is((SELECT jsonb_path_query_array(e->'detail', '$.errors[*].field') FROM log_error),
          '["source_type", "activity_type", "severity"]'::jsonb,
          'its DETAIL names source_type, activity_type and severity');

-- ------------------------------------------------------------------ get_activity (16 tests)
-- r1..r6 in project 'Feed query project', oldest first; rx in another project
DO $$
BEGIN
    PERFORM pg_temp.remember('SA', gen_random_uuid());
    PERFORM pg_temp.remember('SB', gen_random_uuid());
    PERFORM pg_temp.remember('SC', gen_random_uuid());
    PERFORM pg_temp.remember('SD', gen_random_uuid());
END
$$;
SELECT pg_temp.remember('r1', claude.log_activity('feature', pg_temp.id('SA'), 'created', 'Row one', actor => 'ann',
    project_name => 'Feed query project', severity => 'info')) IS NOT NULL AS done \gset
SELECT pg_temp.remember('r2', claude.log_activity('component', pg_temp.id('SB'), 'updated', 'Row two', actor => 'ben',
    project_name => 'Feed query project', severity => 'warning')) IS NOT NULL AS done \gset
SELECT pg_temp.remember('r3', claude.log_activity('build_task', pg_temp.id('SC'), 'blocked', 'Row three', actor => 'ann',
    project_name => 'Feed query project', severity => 'warning')) IS NOT NULL AS done \gset
SELECT pg_temp.remember('r4', claude.log_activity('build_task', pg_temp.id('SC'), 'completed', 'Row four', actor => 'ben',
    project_name => 'Feed query project', severity => 'success')) IS NOT NULL AS done \gset
SELECT pg_temp.remember('r5', claude.log_activity('requirement', pg_temp.id('SD'), 'verified', 'Row five', actor => 'ann',
    project_name => 'Feed query project', severity => 'success')) IS NOT NULL AS done \gset
SELECT pg_temp.remember('r6', claude.log_activity('feature', pg_temp.id('SA'), 'cancelled', 'Row six', actor => 'ann',
    project_name => 'Feed query project', severity => 'error')) IS NOT NULL AS done \gset
SELECT pg_temp.remember('rx', claude.log_activity('build_task', pg_temp.id('SC'), 'updated', 'Row elsewhere', actor => 'ann',
    project_name => 'Activity project', severity => 'info')) IS NOT NULL AS done \gset

CREATE FUNCTION pg_temp.labels(ids uuid[]) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(t.k ORDER BY u.n), '{}')
      FROM unnest(ids) WITH ORDINALITY AS u(id, n)
      JOIN test_ids t ON t.id = u.id AND t.k ~ '^r[0-9x]$'
$$;
CREATE FUNCTION pg_temp.at(key text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$ SELECT created_at FROM claude.activity_feed WHERE id = pg_temp.id(key) $$;

SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project') a)),
          ARRAY['r6', 'r5', 'r4', 'r3', 'r2', 'r1'],
          'project_name filter: only that project''s rows, newest first');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project',
                                                                 source_type => 'build_task') a)),
          ARRAY['r4', 'r3'], 'source_type filter');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(source_id => pg_temp.id('SC')) a)),
          ARRAY['rx', 'r4', 'r3'], 'source_id filter (across projects)');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project', actor => 'ben') a)),
          ARRAY['r4', 'r2'], 'actor filter');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project',
                                                                 activity_type => 'verified') a)),
          ARRAY['r5'], 'activity_type filter');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project',
                                                                 severities => ARRAY['warning', 'error']) a)),
          ARRAY['r6', 'r3', 'r2'], 'severities filter (any of several)');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project',
                                                                 since => pg_temp.at('r3')) a)),
          ARRAY['r6', 'r5', 'r4', 'r3'], 'since filter (inclusive)');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project',
                                                                 before => pg_temp.at('r3')) a)),
          ARRAY['r2', 'r1'], 'before filter (exclusive)');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project',
                                                                 since => pg_temp.at('r2'), before => pg_temp.at('r5')) a)),
          ARRAY['r4', 'r3', 'r2'], 'since and before together');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project', actor => 'ann',
                                                                 severities => ARRAY['success']) a)),
          ARRAY['r5'], 'several filters combine with AND');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project', max_rows => 2) a)),
          ARRAY['r6', 'r5'], 'max_rows limits to the newest rows');
-- paging: before = created_at of the last row of the previous page
CREATE TEMP TABLE pages (n int PRIMARY KEY, labels text[], last_at timestamptz);
INSERT INTO pages
SELECT 1, pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project', max_rows => 2) a)),
       (SELECT min(created_at) FROM claude.get_activity(project_name => 'Feed query project', max_rows => 2));
INSERT INTO pages
SELECT 2, pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project', max_rows => 2,
                                                                 before => (SELECT last_at FROM pages WHERE n = 1)) a)),
       (SELECT min(created_at) FROM claude.get_activity(project_name => 'Feed query project', max_rows => 2,
                                                       before => (SELECT last_at FROM pages WHERE n = 1)));
INSERT INTO pages
SELECT 3, pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project', max_rows => 2,
                                                                 before => (SELECT last_at FROM pages WHERE n = 2)) a)),
       (SELECT min(created_at) FROM claude.get_activity(project_name => 'Feed query project', max_rows => 2,
                                                       before => (SELECT last_at FROM pages WHERE n = 2)));
SELECT is((SELECT labels FROM pages WHERE n = 2), ARRAY['r4', 'r3'],
          'paging: before = created_at of the last row gives the next older rows');
SELECT is((SELECT labels FROM pages WHERE n = 3), ARRAY['r2', 'r1'], 'paging: the third page');
SELECT is(pg_temp.labels(ARRAY(SELECT a.id FROM claude.get_activity(project_name => 'Feed query project', max_rows => 2,
                                                                 before => (SELECT last_at FROM pages WHERE n = 3)) a)),
          '{}'::text[], 'paging: past the oldest row the page is empty');
SELECT is((SELECT array_agg(l ORDER BY n, o) FROM pages, unnest(labels) WITH ORDINALITY AS u(l, o)),
          ARRAY['r6', 'r5', 'r4', 'r3', 'r2', 'r1'], 'the pages together are the whole feed, without overlap or gap');
SELECT is((SELECT title FROM claude.get_activity(source_id => pg_temp.id('SD'))), 'Row five',
          'get_activity returns whole activity rows');

-- ------------------------------------------------------------------ append-only (9 tests)
SELECT pg_temp.id('r1') AS r1 \gset
SELECT throws_ok(format($$UPDATE claude.activity_feed SET title = 'Rewritten history' WHERE id = %L$$, :'r1'), '55000', NULL,
                 'UPDATE of an activity row is refused with 55000 (superuser)');
SELECT throws_ok(format($$DELETE FROM claude.activity_feed WHERE id = %L$$, :'r1'), '55000', NULL,
                 'DELETE of an activity row is refused with 55000 (superuser)');
SELECT throws_ok($$TRUNCATE claude.activity_feed$$, '55000', NULL,
                 'TRUNCATE of the activity feed is refused with 55000 (superuser)');
CREATE TEMP TABLE guard_error AS SELECT pg_temp.err($$DELETE FROM claude.activity_feed$$) AS e;
SELECT matches((SELECT e->>'message' FROM guard_error), 'append-only', 'the message says the feed is append-only');
SELECT is((SELECT e->'detail'->'errors'->0->>'field' FROM guard_error), 'activity_feed',
          'the DETAIL names the activity feed');
SET LOCAL ROLE buildtracker_owner;
SELECT throws_ok(format($$UPDATE claude.activity_feed SET title = 'Rewritten history' WHERE id = %L$$, :'r1'), '55000', NULL,
                 'UPDATE is refused with 55000 for the owner too');
SELECT throws_ok(format($$DELETE FROM claude.activity_feed WHERE id = %L$$, :'r1'), '55000', NULL,
                 'DELETE is refused with 55000 for the owner too');
SELECT throws_ok($$TRUNCATE claude.activity_feed$$, '55000', NULL,
                 'TRUNCATE is refused with 55000 for the owner too');
RESET ROLE;
SELECT is((SELECT title FROM claude.activity_feed WHERE id = pg_temp.id('r1')), 'Row one', 'the row is unchanged');

-- ------------------------------------------------------------------ prune_activity (10 tests)
SELECT throws_ok($$SELECT claude.prune_activity(interval '23 hours')$$, '23514', NULL,
                 'prune_activity refuses older_than under 1 day with 23514');
SELECT throws_ok($$SELECT claude.prune_activity(NULL)$$, '23514', NULL,
                 'prune_activity refuses a missing older_than with 23514');
SELECT is((pg_temp.err($$SELECT claude.prune_activity(interval '1 hour')$$))->'detail'->'errors'->0->>'field', 'older_than',
          'the DETAIL names older_than');
-- rows from long ago: the guard and notify triggers do not fire in replica mode
SET LOCAL session_replication_role = replica;
INSERT INTO claude.activity_feed (source_type, activity_type, title, project_name, actor, created_at)
VALUES ('system', 'updated', 'Old row one', 'Prune project', 'legacy', now() - interval '400 days'),
       ('system', 'updated', 'Old row two', 'Prune project', 'legacy', now() - interval '500 days'),
       ('system', 'updated', 'Old row three', 'Prune project', 'legacy', now() - interval '600 days');
RESET session_replication_role;
SELECT is(current_setting('session_replication_role'), 'origin', 'replica mode is off again');
CREATE TEMP TABLE prune_before AS
SELECT count(*) FILTER (WHERE created_at < now() - interval '365 days') AS old_rows,
       count(*) FILTER (WHERE project_name IN ('Activity project', 'Feed query project')) AS recent_rows
  FROM claude.activity_feed;
SELECT ok((SELECT old_rows >= 3 FROM prune_before), 'there are at least the three old rows to prune');
SELECT is(claude.prune_activity(interval '365 days', actor => 'dba'), (SELECT old_rows FROM prune_before),
          'prune_activity returns the number of rows it deleted');
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE project_name = 'Prune project'), 0::bigint,
          'the old rows are gone');
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE project_name IN ('Activity project', 'Feed query project')),
          (SELECT recent_rows FROM prune_before),
          'the recent rows stay');
SELECT is((SELECT jsonb_build_object('source_type', source_type, 'activity_type', activity_type, 'severity', severity,
                                     'actor', actor, 'source_id', source_id)
             FROM claude.activity_feed WHERE source_type = 'system' AND actor = 'dba'),
          '{"source_type": "system", "activity_type": "deleted", "severity": "warning", "actor": "dba", "source_id": null}'::jsonb,
          'the pruning left a ''system'' ''deleted'' warning row with the actor');
SELECT throws_ok(format($$DELETE FROM claude.activity_feed WHERE id = %L$$, :'r1'), '55000', NULL,
                 'after pruning the feed is append-only again');

-- ------------------------------------------------------------------ grants (10 tests)
SELECT ok(has_function_privilege('buildtracker_writer',
              'claude.log_activity(text, uuid, text, text, text, text, text, text, jsonb)', 'EXECUTE'),
          'buildtracker_writer may execute log_activity');
SELECT ok(NOT has_function_privilege('buildtracker_reader',
              'claude.log_activity(text, uuid, text, text, text, text, text, text, jsonb)', 'EXECUTE'),
          'buildtracker_reader may not execute log_activity');
SELECT ok(has_function_privilege('buildtracker_reader',
              'claude.get_activity(text, text, uuid, text, text, text[], timestamptz, timestamptz, integer, uuid)', 'EXECUTE'),
          'buildtracker_reader may execute get_activity');
SELECT ok(NOT has_function_privilege('buildtracker_writer', 'claude.prune_activity(interval, text)', 'EXECUTE'),
          'buildtracker_writer may not execute prune_activity (admin only)');
SET LOCAL ROLE buildtracker_writer;
SELECT lives_ok($$SELECT claude.log_activity('system', NULL, 'updated', 'Logged by the writer role')$$,
                'as buildtracker_writer, log_activity works');
SELECT throws_ok($$SELECT claude.prune_activity(interval '30 days')$$, '42501', NULL,
                 'as buildtracker_writer, prune_activity is refused with 42501');
RESET ROLE;
SET LOCAL ROLE buildtracker_reader;
SELECT lives_ok($$SELECT * FROM claude.get_activity(max_rows => 5)$$, 'as buildtracker_reader, get_activity works');
SELECT throws_ok($$SELECT claude.log_activity('system', NULL, 'updated', 'Logged by the reader role')$$, '42501', NULL,
                 'as buildtracker_reader, log_activity is refused with 42501');
SELECT throws_ok($$SELECT claude.prune_activity(interval '30 days')$$, '42501', NULL,
                 'as buildtracker_reader, prune_activity is refused with 42501');
RESET ROLE;
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE title = 'Logged by the writer role'), 1::bigint,
          'the writer''s row is in the feed');

-- ------------------------------------------------------------------ index (1 test)
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.plan_of($$SELECT * FROM claude.activity_feed WHERE project_name = 'Activity project'
                                  ORDER BY created_at DESC LIMIT 50$$),
               -- on each monthly partition, the index attached to idx_activity_feed_project
               '_project_name_created_at_id_idx',
               'the get_activity query by project uses idx_activity_feed_project (its copy on each partition)');
RESET enable_seqscan;

SELECT * FROM finish();
ROLLBACK;
