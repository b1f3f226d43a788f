-- Feature workflow (SPEC sections 4 and 6): every transition of the feature
-- state machine, allowed and refused; what each transition needs and sets;
-- the completion gate; raw DML enforcement; parent cycles; and the feature
-- functions' envelopes, metadata and errors.
--
-- Helpers live in pg_temp and vanish with the test transaction:
--   pg_temp.id(key)             uuid remembered under key (pg_temp.remember)
--   pg_temp.got(key)            an envelope kept by pg_temp.keep(key, envelope)
--   pg_temp.err(sql)            runs sql and returns NULL, or the error it raised
--                               as {"sqlstate", "message", "detail"} (detail
--                               parsed as JSON); the failed statement is undone
--   pg_temp.feat(key)           the feature row remembered under key
--   pg_temp.feature_in(status, name, ...)  a new feature walked to status
--                               through the workflow functions
BEGIN;
SELECT plan(217);

-- ------------------------------------------------------------------ helpers
\ir include/ids_and_errors.psql

CREATE FUNCTION pg_temp.feat(key text) RETURNS claude.features
LANGUAGE sql STABLE AS $$ SELECT * FROM claude.features WHERE feature_id = pg_temp.id(key) $$;

-- A new feature of project P, walked to the given status with the workflow
-- functions; description long enough to plan, planned_by set.
CREATE FUNCTION pg_temp.feature_in(status text, name text, parent uuid DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    f uuid;
BEGIN
    f := (claude.add_feature(feature_name => name, feature_type => 'feature', project_id => pg_temp.id('P'),
            description => 'A description long enough to plan the feature with.',
            parent_feature_id => parent, planned_by_identity_id => pg_temp.id('I'))->'data'->>'feature_id')::uuid;
    IF status = 'not_started' THEN RETURN f; END IF;
    IF status = 'cancelled' THEN
        PERFORM claude.update_feature_status(f, 'cancelled', reason => 'dropped from the roadmap');
        RETURN f;
    END IF;
    PERFORM claude.update_feature_status(f, 'planned');
    IF status = 'planned' THEN RETURN f; END IF;
    PERFORM claude.update_feature_status(f, 'in_progress', implemented_by_identity_id => pg_temp.id('I'));
    IF status = 'in_progress' THEN RETURN f; END IF;
    IF status IN ('blocked', 'on_hold') THEN
        PERFORM claude.update_feature_status(f, status, reason => 'waiting for the vendor');
        RETURN f;
    END IF;
    PERFORM claude.complete_feature(f);
    RETURN f;
END
$$;

-- ------------------------------------------------------------------ fixture
DO $$
DECLARE
    s text;
BEGIN
    PERFORM pg_temp.remember('P', (claude.add_project('Feature workflow project')->'data'->>'project_id')::uuid);
    PERFORM pg_temp.remember('P2', (claude.add_project('Other feature workflow project')->'data'->>'project_id')::uuid);
    PERFORM pg_temp.remember('I', (claude.add_identity('feature-workflow-agent')->'data'->>'identity_id')::uuid);
    -- one feature per status, for the refused-transition loops
    FOREACH s IN ARRAY ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold', 'completed', 'cancelled'] LOOP
        PERFORM pg_temp.remember('S_' || s, pg_temp.feature_in(s, 'Status feature ' || s));
    END LOOP;
    -- one feature per status that may be cancelled
    FOREACH s IN ARRAY ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold'] LOOP
        PERFORM pg_temp.remember('C_' || s, pg_temp.feature_in(s, 'Cancel feature ' || s));
    END LOOP;
END
$$;

-- ================================================================== add_feature (11 tests)
SELECT lives_ok($$SELECT pg_temp.keep('add', claude.add_feature(
                      feature_name => '  Workflow feature  ', feature_type => 'feature',
                      project_id => pg_temp.id('P'), description => 'Walks every allowed transition in turn.'))$$,
                'add_feature: a valid feature is accepted');
SELECT pg_temp.remember('W', (pg_temp.got('add')->'data'->>'feature_id')::uuid) IS NOT NULL AS remembered \gset
SELECT is(pg_temp.got('add')->'success', 'true'::jsonb, 'add_feature: envelope success is true');
SELECT is(pg_temp.got('add')->'data'->>'status', 'not_started', 'add_feature: data.status is not_started');
SELECT is(pg_temp.got('add')->'data'->'completion_percentage', '0'::jsonb, 'add_feature: data.completion_percentage is 0');
SELECT is(pg_temp.got('add')->'data'->>'feature_name', 'Workflow feature', 'add_feature: the name is trimmed');
SELECT is(pg_temp.got('add')->'data'->'priority', '5'::jsonb, 'add_feature: priority defaults to 5');
SELECT is(pg_temp.got('add')->'validation'->'errors', '[]'::jsonb, 'add_feature: validation.errors is []');
SELECT is(pg_temp.got('add')->'validation'->'warnings', '[]'::jsonb, 'add_feature: validation.warnings is []');
SELECT is(pg_temp.got('add')->'metadata', '{}'::jsonb, 'add_feature: metadata is {}');
SELECT is((pg_temp.feat('W')).planned_date, NULL, 'add_feature: a new feature has no planned_date');
SELECT is(jsonb_object_keys_count, 4, 'add_feature: the envelope has exactly success, data, validation, metadata')
  FROM (SELECT count(*)::int AS jsonb_object_keys_count FROM jsonb_object_keys(pg_temp.got('add'))) AS k;

-- One call, three failures: short name, bad type, unknown project (5 tests).
SELECT throws_ok($$SELECT claude.add_feature(feature_name => 'Abc', feature_type => 'gizmo',
                                             project_id => '00000000-0000-4000-8000-0000000000ff')$$,
                 '23503', NULL, 'add_feature: short name + bad type + unknown project raise ONE error, SQLSTATE 23503');
SELECT pg_temp.keep('add3', pg_temp.err($$SELECT claude.add_feature(feature_name => 'Abc', feature_type => 'gizmo',
                                             project_id => '00000000-0000-4000-8000-0000000000ff')$$)) IS NOT NULL AS kept \gset
SELECT is(jsonb_array_length(pg_temp.got('add3')->'detail'->'errors'), 3, 'add_feature: DETAIL lists all 3 failures');
SELECT set_eq($$SELECT e->>'field' FROM jsonb_array_elements(pg_temp.got('add3')->'detail'->'errors') e$$,
              ARRAY['feature_name', 'feature_type', 'project_id'],
              'add_feature: DETAIL names feature_name, feature_type and project_id');
SELECT set_eq($$SELECT e->>'field' AS field, e->>'code' AS code FROM jsonb_array_elements(pg_temp.got('add3')->'detail'->'errors') e$$,
              $$VALUES ('feature_name', '23514'), ('feature_type', '23514'), ('project_id', '23503')$$,
              'add_feature: each failure carries its own code (23514, 23514, 23503)');
SELECT ok(pg_temp.got('add3')->>'message' LIKE '%feature_name%' AND pg_temp.got('add3')->>'message' LIKE '%feature_type%'
          AND pg_temp.got('add3')->>'message' LIKE '%project%',
          'add_feature: the message names every failure');

-- ================================================================== allowed transitions (33 tests)
-- W walks not_started -> planned -> in_progress -> blocked -> in_progress
--        -> on_hold -> in_progress -> completed.
SELECT throws_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'planned')$$, '23514', NULL,
                 'not_started -> planned without planned_by_identity_id is refused (23514)');
SELECT is(pg_temp.err($$SELECT claude.update_feature_status(pg_temp.id('W'), 'planned')$$)->'detail'->'errors'->0->>'field',
          'planned_by_identity_id', 'not_started -> planned: DETAIL names planned_by_identity_id');
SELECT lives_ok($$SELECT pg_temp.keep('plan', claude.update_feature_status(pg_temp.id('W'), 'planned',
                      planned_by_identity_id => pg_temp.id('I')))$$,
                'not_started -> planned with planned_by_identity_id from the call is accepted');
SELECT is((pg_temp.feat('W')).status, 'planned', 'not_started -> planned: status is planned');
SELECT isnt((pg_temp.feat('W')).planned_date, NULL, 'not_started -> planned: planned_date is set');
SELECT is((pg_temp.feat('W')).planned_by_identity_id, pg_temp.id('I'), 'not_started -> planned: planned_by_identity_id is stored');
SELECT is((pg_temp.feat('W')).started_date, NULL, 'not_started -> planned: started_date stays empty');
SELECT ok(pg_temp.got('plan')->'metadata' ?& ARRAY['old_status', 'new_status', 'completion_percentage'],
          'update_feature_status: metadata has old_status, new_status, completion_percentage');
SELECT is(pg_temp.got('plan')->'metadata'->>'old_status', 'not_started', 'update_feature_status: metadata.old_status');
SELECT is(pg_temp.got('plan')->'metadata'->>'new_status', 'planned', 'update_feature_status: metadata.new_status');
SELECT is(pg_temp.got('plan')->'metadata'->'completion_percentage', '0'::jsonb,
          'update_feature_status: metadata.completion_percentage');
SELECT is(pg_temp.got('plan')->'data'->>'status', 'planned', 'update_feature_status: data is the updated row');

SELECT throws_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'in_progress')$$, '23514', NULL,
                 'planned -> in_progress without implemented_by_identity_id is refused (23514)');
SELECT lives_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'in_progress',
                      implemented_by_identity_id => pg_temp.id('I'))$$,
                'planned -> in_progress with implemented_by_identity_id is accepted');
SELECT isnt((pg_temp.feat('W')).started_date, NULL, 'planned -> in_progress: started_date is set');
SELECT is((pg_temp.feat('W')).implemented_by_identity_id, pg_temp.id('I'),
          'planned -> in_progress: implemented_by_identity_id is stored');

SELECT throws_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'blocked')$$, '23514', NULL,
                 'in_progress -> blocked without a reason is refused (23514)');
SELECT throws_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'blocked', reason => '   ')$$, '23514', NULL,
                 'in_progress -> blocked with a blank reason is refused (23514)');
SELECT lives_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'blocked', reason => 'waiting for API keys')$$,
                'in_progress -> blocked with a reason is accepted');
SELECT is((pg_temp.feat('W')).blocked_reason, 'waiting for API keys', 'in_progress -> blocked: blocked_reason is stored');

SELECT throws_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'in_progress')$$, '23514', NULL,
                 'blocked -> in_progress without a note is refused (23514)');
SELECT is(pg_temp.err($$SELECT claude.update_feature_status(pg_temp.id('W'), 'in_progress')$$)->'detail'->'errors'->0->>'field',
          'note', 'blocked -> in_progress: DETAIL names the missing note');
SELECT lives_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'in_progress', reason => 'API keys arrived')$$,
                'blocked -> in_progress with a note is accepted');
SELECT is((pg_temp.feat('W')).blocked_reason, NULL, 'blocked -> in_progress: blocked_reason is cleared');

SELECT throws_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'on_hold')$$, '23514', NULL,
                 'in_progress -> on_hold without a reason is refused (23514)');
SELECT lives_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'on_hold', reason => 'team on another project')$$,
                'in_progress -> on_hold with a reason is accepted');
SELECT is((pg_temp.feat('W')).blocked_reason, 'team on another project', 'in_progress -> on_hold: the reason is kept in blocked_reason');
SELECT lives_ok($$SELECT claude.update_feature_status(pg_temp.id('W'), 'in_progress')$$,
                'on_hold -> in_progress needs no note and is accepted');
SELECT is((pg_temp.feat('W')).blocked_reason, NULL, 'on_hold -> in_progress: blocked_reason is cleared');

SELECT lives_ok($$SELECT pg_temp.keep('complete', claude.complete_feature(pg_temp.id('W')))$$,
                'in_progress -> completed (complete_feature) with nothing open is accepted');
SELECT is((pg_temp.feat('W')).status, 'completed', 'in_progress -> completed: status is completed');
SELECT ok((pg_temp.feat('W')).completed_date IS NOT NULL
          AND (pg_temp.feat('W')).completed_date >= (pg_temp.feat('W')).started_date,
          'in_progress -> completed: completed_date is set, not before started_date');
SELECT is(pg_temp.got('complete')->'metadata'->>'new_status', 'completed', 'complete_feature: metadata.new_status is completed');

-- Description too short to plan (2 tests).
SELECT lives_ok($$SELECT pg_temp.remember('SHORT', (claude.add_feature(feature_name => 'Short description feature',
                      feature_type => 'ui', project_id => pg_temp.id('P'), description => 'Too short',
                      planned_by_identity_id => pg_temp.id('I'))->'data'->>'feature_id')::uuid)$$,
                'a not_started feature may have a short description');
SELECT throws_ok($$SELECT claude.update_feature_status(pg_temp.id('SHORT'), 'planned')$$, '23514', NULL,
                 'not_started -> planned with a description under 20 characters is refused (23514)');

-- ------------------------------------------------------------------ cancel from every open status (11 tests)
SELECT throws_ok(format('SELECT claude.update_feature_status(%L, %L)', pg_temp.id('C_not_started'), 'cancelled'),
                 '23514', NULL, 'not_started -> cancelled without a reason is refused (23514)');
SELECT lives_ok(format('SELECT claude.update_feature_status(%L, %L, reason => %L)',
                       pg_temp.id('C_' || s), 'cancelled', 'no longer needed after ' || s),
                format('%s -> cancelled with a reason is accepted', s))
  FROM unnest(ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold']) AS s;
SELECT is((pg_temp.feat('C_' || s)).cancellation_reason, 'no longer needed after ' || s,
          format('%s -> cancelled: cancellation_reason is stored', s))
  FROM unnest(ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold']) AS s;

-- ================================================================== refused transitions (69 tests)
-- Every (from, to) pair of distinct statuses that claude.status_transitions
-- does not list, tried on a feature put into "from" by the workflow
-- functions, with every argument a listed transition would need: refused,
-- and the refusal is the 55000 transition error.
SELECT is((SELECT count(*)::int FROM claude.status_transitions WHERE entity_type = 'feature'), 12,
          'status_transitions lists the 12 feature transitions of SPEC section 4');
SELECT ok(e IS NOT NULL
          AND e->'detail'->'errors' @> jsonb_build_array(jsonb_build_object('field', 'status', 'code', '55000')),
          format('feature %s -> %s is refused with a 55000 transition error', fr, t))
  FROM (SELECT a.s AS fr, b.s AS t
          FROM unnest(ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold', 'completed', 'cancelled'])
               WITH ORDINALITY AS a(s, n),
               unnest(ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold', 'completed', 'cancelled'])
               WITH ORDINALITY AS b(s, m)
         WHERE a.s <> b.s
           AND NOT EXISTS (SELECT 1 FROM claude.status_transitions x
                            WHERE x.entity_type = 'feature' AND x.from_status = a.s AND x.to_status = b.s)
         ORDER BY a.n, b.m) AS pairs,
       LATERAL pg_temp.err(format('SELECT claude.update_feature_status(%L, %L, reason => %L, implemented_by_identity_id => %L, planned_by_identity_id => %L)',
                                  pg_temp.id('S_' || fr), t, 'a reason for the move', pg_temp.id('I'), pg_temp.id('I'))) AS e;
-- Exact SQLSTATE: a transition that is not listed is refused on its own with 55000.
SELECT throws_ok(format('SELECT claude.update_feature_status(%L, %L, reason => %L, implemented_by_identity_id => %L)',
                        pg_temp.id('S_' || fr), t, 'a reason for the move', pg_temp.id('I')),
                 '55000', NULL, format('feature %s -> %s is refused with SQLSTATE 55000', fr, t))
  FROM (SELECT a.s AS fr, b.s AS t
          FROM unnest(ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold', 'completed', 'cancelled'])
               WITH ORDINALITY AS a(s, n),
               unnest(ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold', 'completed', 'cancelled'])
               WITH ORDINALITY AS b(s, m)
         WHERE a.s <> b.s
           AND NOT EXISTS (SELECT 1 FROM claude.status_transitions x
                            WHERE x.entity_type = 'feature' AND x.from_status = a.s AND x.to_status = b.s)
         ORDER BY a.n, b.m) AS v;
-- Same status again: 55000 ("already ...").
SELECT throws_ok(format('SELECT claude.update_feature_status(%L, %L, reason => %L)', pg_temp.id('S_' || s), s, 'again'),
                 '55000', NULL, format('feature %s -> %s (no change) is refused with 55000', s, s))
  FROM unnest(ARRAY['not_started', 'planned', 'in_progress', 'blocked', 'on_hold', 'completed', 'cancelled']) AS s;
SELECT is((SELECT count(*)::int FROM test_ids i JOIN claude.features f ON f.feature_id = i.id
            WHERE i.k LIKE 'S\_%' AND f.status = substr(i.k, 3)), 7,
          'every refused transition left its feature in its original status');

-- ================================================================== completion gate (41 tests)
DO $$
BEGIN
    PERFORM pg_temp.remember('G', pg_temp.feature_in('in_progress', 'Gated feature'));
    PERFORM pg_temp.remember('GC', (claude.add_component(feature_id => pg_temp.id('G'), component_name => 'GateWidget',
                                    component_type => 'ui_component', planned_functions => ARRAY['render'])
                                    ->'data'->>'component_id')::uuid);
    PERFORM pg_temp.remember('GD', (claude.add_component(feature_id => pg_temp.id('G'), component_name => 'OldGateWidget',
                                    component_type => 'ui_component')->'data'->>'component_id')::uuid);
    PERFORM claude.update_component_status(pg_temp.id('GD'), 'deprecated');
    PERFORM pg_temp.remember('GR', (claude.add_requirement(feature_id => pg_temp.id('G'), requirement_name => 'Gate must-have',
                                    requirement_type => 'functional',
                                    description => 'The gate widget must render the gate state for every user of the system.',
                                    acceptance_criteria => ARRAY['Given a user, the widget should render',
                                                                 'When the gate closes, then it must show closed',
                                                                 'It must load within one second'],
                                    must_have => true, created_by_identity_id => pg_temp.id('I'))
                                    ->'data'->>'requirement_id')::uuid);
    PERFORM pg_temp.remember('GN', (claude.add_requirement(feature_id => pg_temp.id('G'), requirement_name => 'Gate nice-to-have',
                                    requirement_type => 'usability', description => 'Nice to have, not required for completion.',
                                    acceptance_criteria => ARRAY['It should animate'],
                                    must_have => false, created_by_identity_id => pg_temp.id('I'))
                                    ->'data'->>'requirement_id')::uuid);
    PERFORM pg_temp.remember('GT', (claude.add_task(task_name => 'Gate open task', task_description => 'Build the gate widget.',
                                    task_type => 'code', feature_id => pg_temp.id('G'))->'data'->>'task_id')::uuid);
    PERFORM pg_temp.remember('GX', (claude.add_task(task_name => 'Gate cancelled task', task_description => 'Not needed any more.',
                                    task_type => 'code', feature_id => pg_temp.id('G'))->'data'->>'task_id')::uuid);
    PERFORM claude.cancel_task(pg_temp.id('GX'), 'superseded');
    PERFORM pg_temp.remember('GCH', pg_temp.feature_in('not_started', 'Gate child feature', pg_temp.id('G')));
END
$$;

SELECT lives_ok($$SELECT pg_temp.keep('can0', claude.can_complete_feature(pg_temp.id('G')))$$,
                'can_complete_feature does not raise while the gate fails');
SELECT is(pg_temp.got('can0')->'can_complete', 'false'::jsonb, 'can_complete_feature: can_complete is false');
SELECT is(jsonb_array_length(pg_temp.got('can0')->'checks'), 4, 'can_complete_feature: four failing checks');
SELECT ok((SELECT bool_and(EXISTS (SELECT 1 FROM jsonb_array_elements_text(pg_temp.got('can0')->'checks') c
                                    WHERE c LIKE '%' || n || '%'))
             FROM unnest(ARRAY['"GateWidget"', '"Gate must-have"', '"Gate open task"', '"Gate child feature"']) AS n),
          'can_complete_feature: the checks name the component, requirement, task and child feature');
SELECT ok(NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(pg_temp.got('can0')->'checks') c
                       WHERE c LIKE '%OldGateWidget%' OR c LIKE '%Gate cancelled task%' OR c LIKE '%Gate nice-to-have%'),
          'can_complete_feature: deprecated components, cancelled tasks and optional requirements do not block');
SELECT is(array_length(claude.feature_completion_failures(pg_temp.id('G')), 1), 4,
          'feature_completion_failures agrees with can_complete_feature');

SELECT throws_ok($$SELECT claude.complete_feature(pg_temp.id('G'))$$, '55000', NULL,
                 'complete_feature is refused with 55000 while the gate fails');
SELECT pg_temp.keep('gate', pg_temp.err($$SELECT claude.complete_feature(pg_temp.id('G'))$$)) IS NOT NULL AS kept \gset
SELECT is(jsonb_array_length(pg_temp.got('gate')->'detail'->'errors'), 4, 'complete_feature: DETAIL lists all four failures at once');
SELECT ok((SELECT bool_and(e->>'field' = 'completion_gate' AND e->>'code' = '55000')
             FROM jsonb_array_elements(pg_temp.got('gate')->'detail'->'errors') e),
          'complete_feature: every DETAIL entry is a 55000 completion_gate failure');
SELECT ok((SELECT bool_and(EXISTS (SELECT 1 FROM jsonb_array_elements(pg_temp.got('gate')->'detail'->'errors') e
                                    WHERE e->>'message' LIKE '%' || n || '%'))
             FROM unnest(ARRAY['component "GateWidget"', 'requirement "Gate must-have"', 'task "Gate open task"',
                               'child feature "Gate child feature"']) AS n),
          'complete_feature: DETAIL names the unfinished component, unverified must-have, open task and open child');
SELECT ok(pg_temp.got('gate')->>'message' LIKE '%GateWidget%Gate must-have%Gate open task%Gate child feature%',
          'complete_feature: the message names all four failures');
SELECT throws_ok($$UPDATE claude.features SET status = 'completed' WHERE feature_id = pg_temp.id('G')$$, '55000', NULL,
                 'raw UPDATE ... SET status = completed on an unfinished feature is refused with 55000');
SELECT is((pg_temp.feat('G')).status, 'in_progress', 'the refused completions left the feature in_progress');

-- get_feature_completion and get_feature_with_children while open (9 tests).
SELECT lives_ok($$SELECT pg_temp.keep('comp0', claude.get_feature_completion(pg_temp.id('G')))$$,
                'get_feature_completion: returns while the gate fails');
SELECT is(pg_temp.got('comp0')->'components', '{"total": 2, "done": 0, "deprecated": 1, "remaining": 1}'::jsonb,
          'get_feature_completion: component counts');
SELECT is(pg_temp.got('comp0')->'tasks', '{"total": 2, "completed": 0, "cancelled": 1, "open": 1}'::jsonb,
          'get_feature_completion: task counts');
SELECT is(pg_temp.got('comp0')->'requirements', '{"total": 2, "verified": 0, "must_have": 1, "must_have_verified": 0}'::jsonb,
          'get_feature_completion: requirement counts');
SELECT is(pg_temp.got('comp0')->'child_features', '{"total": 1, "finished": 0}'::jsonb,
          'get_feature_completion: child feature counts');
SELECT ok(pg_temp.got('comp0')->'can_complete' = 'false'::jsonb AND jsonb_array_length(pg_temp.got('comp0')->'checks') = 4
          AND pg_temp.got('comp0') ? 'completion_percentage',
          'get_feature_completion: gate result (false, 4 checks) and completion_percentage');
SELECT lives_ok($$SELECT pg_temp.keep('tree', claude.get_feature_with_children(pg_temp.id('G')))$$,
                'get_feature_with_children: returns');
SELECT ok(pg_temp.got('tree')->>'feature_name' = 'Gated feature'
          AND jsonb_array_length(pg_temp.got('tree')->'components') = 2
          AND jsonb_array_length(pg_temp.got('tree')->'tasks') = 2
          AND jsonb_array_length(pg_temp.got('tree')->'requirements') = 2,
          'get_feature_with_children: the feature row with components[2], tasks[2], requirements[2]');
SELECT set_eq($$SELECT c->>'component_name' FROM jsonb_array_elements(pg_temp.got('tree')->'components') c
                UNION ALL SELECT t->>'task_name' FROM jsonb_array_elements(pg_temp.got('tree')->'tasks') t
                UNION ALL SELECT r->>'requirement_name' FROM jsonb_array_elements(pg_temp.got('tree')->'requirements') r$$,
              ARRAY['GateWidget', 'OldGateWidget', 'Gate open task', 'Gate cancelled task', 'Gate must-have', 'Gate nice-to-have'],
              'get_feature_with_children: the arrays hold the feature''s own children');

-- Finish everything, one kind at a time (15 tests).
SELECT lives_ok($$SELECT claude.update_component_status(pg_temp.id('GC'), 'in_progress')$$,
                'gate: component planned -> in_progress');
SELECT lives_ok($$SELECT claude.complete_component(pg_temp.id('GC'), actual_functions => ARRAY['render'],
                      has_tests => true, test_coverage_percentage => 92)$$,
                'gate: component in_progress -> completed, with tests');
SELECT is(jsonb_array_length(claude.can_complete_feature(pg_temp.id('G'))->'checks'), 3,
          'gate: a completed component no longer blocks');
SELECT lives_ok($$SELECT claude.update_requirement_status(pg_temp.id('GR'), 'defined')$$, 'gate: requirement draft -> defined');
SELECT lives_ok($$SELECT claude.update_requirement_status(pg_temp.id('GR'), 'approved')$$, 'gate: requirement defined -> approved');
SELECT lives_ok($$SELECT claude.update_requirement_status(pg_temp.id('GR'), 'implemented', component_id => pg_temp.id('GC'))$$,
                'gate: requirement approved -> implemented by the component');
SELECT is(jsonb_array_length(claude.can_complete_feature(pg_temp.id('G'))->'checks'), 3,
          'gate: an implemented but unverified must-have still blocks');
SELECT lives_ok($$SELECT claude.verify_requirement(pg_temp.id('GR'))$$, 'gate: requirement implemented -> verified');
SELECT lives_ok($$SELECT claude.start_task(pg_temp.id('GT'), pg_temp.id('I'))$$, 'gate: task todo -> in_progress');
SELECT lives_ok($$SELECT claude.complete_task(pg_temp.id('GT'), 3)$$, 'gate: task in_progress -> completed');
SELECT is(claude.can_complete_feature(pg_temp.id('G'))->'checks',
          jsonb_build_array('child feature "Gate child feature" is not_started, not completed or cancelled'),
          'gate: only the open child feature is left');
SELECT lives_ok($$SELECT claude.update_feature_status(pg_temp.id('GCH'), 'planned')$$, 'gate: child feature -> planned');
SELECT lives_ok($$SELECT claude.update_feature_status(pg_temp.id('GCH'), 'in_progress',
                      implemented_by_identity_id => pg_temp.id('I'))$$, 'gate: child feature -> in_progress');
SELECT lives_ok($$SELECT claude.complete_feature(pg_temp.id('GCH'))$$, 'gate: child feature -> completed');
SELECT is(claude.can_complete_feature(pg_temp.id('G')), '{"can_complete": true, "checks": []}'::jsonb,
          'can_complete_feature: {"can_complete": true, "checks": []} once everything is done');

-- Done (4 tests).
SELECT is(claude.get_feature_completion(pg_temp.id('G'))->'can_complete', 'true'::jsonb,
          'get_feature_completion: can_complete is true once everything is done');
SELECT is(claude.get_feature_completion(pg_temp.id('G'))->'requirements'->'must_have_verified', '1'::jsonb,
          'get_feature_completion: the must-have counts as verified');
SELECT lives_ok($$SELECT claude.complete_feature(pg_temp.id('G'))$$,
                'complete_feature succeeds once the gate passes (deprecated component, cancelled task ignored)');
SELECT ok((pg_temp.feat('G')).status = 'completed' AND (pg_temp.feat('G')).completed_date IS NOT NULL,
          'the gated feature is completed with a completed_date');

-- ================================================================== raw DML (9 tests)
SELECT throws_ok($$INSERT INTO claude.features (project_id, feature_name, feature_type, status, description)
                   VALUES (pg_temp.id('P'), 'Raw started feature', 'feature', 'in_progress',
                           'Inserted straight into in_progress by raw SQL.')$$,
                 '23514', NULL, 'raw INSERT with status in_progress is refused (23514)');
SELECT throws_ok($$INSERT INTO claude.features (project_id, feature_name, feature_type, started_date)
                   VALUES (pg_temp.id('P'), 'Raw dated feature', 'feature', now())$$,
                 '23514', NULL, 'raw INSERT writing started_date is refused (23514)');
SELECT lives_ok($$INSERT INTO claude.features (project_id, feature_name, feature_type)
                  VALUES (pg_temp.id('P'), 'Raw plain feature', 'feature')$$,
                'raw INSERT of a not_started feature is accepted');
SELECT throws_ok(format('UPDATE claude.features SET started_date = now() - interval %L WHERE feature_id = %L',
                        '1 day', pg_temp.id('S_in_progress')),
                 '23514', NULL, 'raw UPDATE of started_date on an in_progress feature is refused (23514)');
SELECT throws_ok(format('UPDATE claude.features SET started_date = now() WHERE feature_id = %L', pg_temp.id('S_planned')),
                 '23514', NULL, 'raw UPDATE of started_date on a planned feature is refused (23514)');
-- (now() is the transaction's start, the very planned_date the workflow wrote: shift it.)
SELECT throws_ok(format('UPDATE claude.features SET planned_date = now() - interval %L WHERE feature_id = %L',
                        '1 hour', pg_temp.id('S_planned')),
                 '23514', NULL, 'raw UPDATE of planned_date is refused (23514)');
SELECT throws_ok(format('UPDATE claude.features SET completed_date = now() + interval %L WHERE feature_id = %L',
                        '1 day', pg_temp.id('S_completed')),
                 '23514', NULL, 'raw UPDATE of completed_date is refused (23514)');
SELECT throws_ok(format('UPDATE claude.features SET status = %L WHERE feature_id = %L', 'in_progress', pg_temp.id('S_blocked')),
                 '23514', NULL, 'raw UPDATE blocked -> in_progress without buildtracker.note is refused (23514)');
SET LOCAL buildtracker.note = 'vendor answered';
SELECT lives_ok(format('UPDATE claude.features SET status = %L WHERE feature_id = %L', 'in_progress', pg_temp.id('S_blocked')),
                'raw UPDATE blocked -> in_progress with SET LOCAL buildtracker.note is accepted');
SET LOCAL buildtracker.note = '';

-- ================================================================== parents (12 tests)
DO $$
BEGIN
    PERFORM pg_temp.remember('A', pg_temp.feature_in('not_started', 'Parent chain A'));
    PERFORM pg_temp.remember('B', pg_temp.feature_in('not_started', 'Parent chain B'));
    PERFORM pg_temp.remember('C', pg_temp.feature_in('not_started', 'Parent chain C'));
    PERFORM pg_temp.remember('X', (claude.add_feature(feature_name => 'Other project feature', feature_type => 'feature',
                                   project_id => pg_temp.id('P2'))->'data'->>'feature_id')::uuid);
END
$$;
SELECT lives_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('B'), jsonb_build_object('parent_feature_id', pg_temp.id('A'))),
                'parents: A becomes the parent of B');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), jsonb_build_object('parent_feature_id', pg_temp.id('B'))),
                 '23514', NULL, 'parents: then B as parent of A (a 2-cycle) is refused (23514)');
SELECT is(pg_temp.err(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), jsonb_build_object('parent_feature_id', pg_temp.id('B'))))
            ->'detail'->'errors'->0->>'field',
          'parent_feature_id', 'parents: the cycle error names parent_feature_id');
SELECT lives_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('C'), jsonb_build_object('parent_feature_id', pg_temp.id('B'))),
                'parents: B becomes the parent of C (A -> B -> C)');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), jsonb_build_object('parent_feature_id', pg_temp.id('C'))),
                 '23514', NULL, 'parents: C as parent of A (a 3-cycle) is refused (23514)');
SELECT throws_ok(format('UPDATE claude.features SET parent_feature_id = %L WHERE feature_id = %L', pg_temp.id('C'), pg_temp.id('A')),
                 '23514', NULL, 'parents: the 3-cycle by raw UPDATE is refused (23514)');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), jsonb_build_object('parent_feature_id', pg_temp.id('A'))),
                 '23514', NULL, 'parents: a feature as its own parent is refused (23514)');
SELECT throws_ok(format('UPDATE claude.features SET parent_feature_id = feature_id WHERE feature_id = %L', pg_temp.id('A')),
                 '23514', NULL, 'parents: own parent by raw UPDATE is refused (23514)');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), jsonb_build_object('parent_feature_id', pg_temp.id('X'))),
                 '23514', NULL, 'parents: a parent in another project is refused (23514)');
SELECT throws_ok(format('SELECT claude.add_feature(feature_name => %L, feature_type => %L, project_id => %L, parent_feature_id => %L)',
                        'Cross project child', 'feature', pg_temp.id('P'), pg_temp.id('X')),
                 '23514', NULL, 'parents: add_feature under a parent of another project is refused (23514)');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'),
                        jsonb_build_object('parent_feature_id', '00000000-0000-4000-8000-0000000000ff')),
                 '23503', NULL, 'parents: an unknown parent is refused (23503)');
SELECT is((pg_temp.feat('A')).parent_feature_id, NULL, 'parents: A still has no parent after the refusals');

-- ================================================================== update_feature (9 tests)
SELECT lives_ok(format('SELECT pg_temp.keep(%L, claude.update_feature(%L, %L))', 'upd', pg_temp.id('A'),
                       '{"feature_name": "Parent chain A renamed", "priority": 2}'),
                'update_feature: editing the name and priority is accepted');
SELECT ok(pg_temp.got('upd')->'data'->>'feature_name' = 'Parent chain A renamed'
          AND (pg_temp.feat('A')).feature_name = 'Parent chain A renamed' AND (pg_temp.feat('A')).priority = 2,
          'update_feature: the row and the envelope carry the new values');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), '{"colour": "blue"}'),
                 '23514', NULL, 'update_feature: an unknown key is refused (23514)');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), '{"status": "planned"}'),
                 '23514', NULL, 'update_feature: the status key is refused (23514)');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), '{"priority": "abc"}'),
                 '23514', NULL, 'update_feature: priority "abc" is refused (23514)');
SELECT throws_ok(format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'), '{"feature_name": "Abc"}'),
                 '23514', NULL, 'update_feature: a name under 5 characters is refused (23514)');
SELECT set_eq(format($$SELECT e->>'field' FROM jsonb_array_elements(pg_temp.err(%L)->'detail'->'errors') e$$,
                     format('SELECT claude.update_feature(%L, %L)', pg_temp.id('A'),
                            '{"colour": "blue", "status": "planned", "priority": "abc"}')),
              ARRAY['colour', 'status', 'priority'],
              'update_feature: unknown and status keys and unconvertible values are named together');
SELECT throws_ok($$SELECT claude.update_feature('00000000-0000-4000-8000-0000000000ff', '{"priority": 3}')$$,
                 'P0002', NULL, 'update_feature: a missing feature raises P0002');
SELECT is((pg_temp.feat('A')).feature_name, 'Parent chain A renamed', 'update_feature: refused edits changed nothing');

-- ================================================================== P0002 for every feature function (6 tests)
SELECT throws_ok(format('SELECT claude.%s', call), 'P0002', NULL, format('%s on a missing feature raises P0002', fn))
  FROM (VALUES
      ('update_feature_status', $$update_feature_status('00000000-0000-4000-8000-0000000000ff', 'planned')$$),
      ('complete_feature', $$complete_feature('00000000-0000-4000-8000-0000000000ff')$$),
      ('delete_feature', $$delete_feature('00000000-0000-4000-8000-0000000000ff')$$),
      ('can_complete_feature', $$can_complete_feature('00000000-0000-4000-8000-0000000000ff')$$),
      ('get_feature_completion', $$get_feature_completion('00000000-0000-4000-8000-0000000000ff')$$),
      ('get_feature_with_children', $$get_feature_with_children('00000000-0000-4000-8000-0000000000ff')$$)
  ) AS v(fn, call);

-- ================================================================== delete_feature (9 tests)
DO $$
BEGIN
    PERFORM pg_temp.remember('D', pg_temp.feature_in('in_progress', 'Doomed feature'));
    PERFORM pg_temp.remember('DC1', (claude.add_component(feature_id => pg_temp.id('D'), component_name => 'DoomedOne',
                                     component_type => 'service')->'data'->>'component_id')::uuid);
    PERFORM pg_temp.remember('DC2', (claude.add_component(feature_id => pg_temp.id('D'), component_name => 'DoomedTwo',
                                     component_type => 'hook')->'data'->>'component_id')::uuid);
    PERFORM pg_temp.remember('DT', (claude.add_task(task_name => 'Doomed task', task_description => 'Task of the doomed feature.',
                                    task_type => 'code', component_id => pg_temp.id('DC1'))->'data'->>'task_id')::uuid);
    PERFORM pg_temp.remember('DR', (claude.add_requirement(feature_id => pg_temp.id('D'), requirement_name => 'Doomed requirement',
                                    requirement_type => 'functional', description => 'A requirement that goes with the feature.',
                                    acceptance_criteria => ARRAY['It should go'], created_by_identity_id => pg_temp.id('I'))
                                    ->'data'->>'requirement_id')::uuid);
    PERFORM pg_temp.remember('DCH', pg_temp.feature_in('not_started', 'Doomed child feature', pg_temp.id('D')));
END
$$;
SELECT lives_ok($$SELECT pg_temp.keep('del', claude.delete_feature(pg_temp.id('D')))$$, 'delete_feature: accepted');
SELECT is(pg_temp.got('del')->'data'->>'feature_id', pg_temp.id('D')::text, 'delete_feature: data is the deleted row');
SELECT is(pg_temp.got('del')->'metadata',
          '{"deleted_components": 2, "deleted_tasks": 1, "deleted_requirements": 1, "detached_child_features": 1}'::jsonb,
          'delete_feature: metadata counts the components, tasks, requirements and detached children');
SELECT is((SELECT count(*)::int FROM claude.features WHERE feature_id = pg_temp.id('D')), 0, 'delete_feature: the feature is gone');
SELECT is((SELECT count(*)::int FROM claude.components WHERE component_id IN (pg_temp.id('DC1'), pg_temp.id('DC2'))), 0,
          'delete_feature: its components are gone');
SELECT is((SELECT count(*)::int FROM claude.build_tasks WHERE task_id = pg_temp.id('DT')), 0, 'delete_feature: its tasks are gone');
SELECT is((SELECT count(*)::int FROM claude.requirements WHERE requirement_id = pg_temp.id('DR')), 0,
          'delete_feature: its requirements are gone');
SELECT ok((pg_temp.feat('DCH')).feature_id IS NOT NULL AND (pg_temp.feat('DCH')).parent_feature_id IS NULL,
          'delete_feature: the child feature stays, detached');
SELECT throws_ok($$SELECT claude.delete_feature(pg_temp.id('D'))$$, 'P0002', NULL, 'delete_feature: deleting it again raises P0002');

SELECT * FROM finish();
ROLLBACK;
