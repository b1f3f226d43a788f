-- Component workflow (SPEC sections 4 and 6): every transition of the
-- component state machine, allowed and refused; what completing, testing and
-- documenting need; the completion warnings and metadata; names, default
-- file_path, finished features; update_component; raw DML enforcement.
--
-- Helpers live in pg_temp and vanish with the test transaction:
--   pg_temp.id(key)             uuid remembered under key (pg_temp.remember)
--   pg_temp.got(key)            an envelope kept by pg_temp.keep(key, envelope)
--   pg_temp.err(sql)            runs sql and returns NULL, or the error it raised
--                               as {"sqlstate", "message", "detail"} (detail
--                               parsed as JSON); the failed statement is undone
--   pg_temp.comp(key)           the component row remembered under key
--   pg_temp.feature_in(status, name)        a new feature walked to status
--   pg_temp.component_in(status, name, feature, ready)  a new component walked
--                               to status through the workflow functions; with
--                               ready, it already has everything every
--                               transition needs (functions, tests, docs)
BEGIN;
SELECT plan(132);

-- ------------------------------------------------------------------ helpers
\ir include/ids_and_errors.psql

CREATE FUNCTION pg_temp.comp(key text) RETURNS claude.components
LANGUAGE sql STABLE AS $$ SELECT * FROM claude.components WHERE component_id = pg_temp.id(key) $$;

CREATE FUNCTION pg_temp.feature_in(status text, name text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    f uuid;
BEGIN
    f := (claude.add_feature(feature_name => name, feature_type => 'feature', project_id => pg_temp.id('P'),
            description => 'A description long enough to plan the feature with.',
            planned_by_identity_id => pg_temp.id('I'))->'data'->>'feature_id')::uuid;
    IF status = 'not_started' THEN RETURN f; END IF;
    IF status = 'cancelled' THEN
        PERFORM claude.update_feature_status(f, 'cancelled', reason => 'dropped from the roadmap');
        RETURN f;
    END IF;
    PERFORM claude.update_feature_status(f, 'planned');
    IF status = 'planned' THEN RETURN f; END IF;
    PERFORM claude.update_feature_status(f, 'in_progress', implemented_by_identity_id => pg_temp.id('I'));
    IF status = 'in_progress' THEN RETURN f; END IF;
    PERFORM claude.complete_feature(f);
    RETURN f;
END
$$;

CREATE FUNCTION pg_temp.component_in(status text, name text, feature uuid, ready boolean DEFAULT true) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    c uuid;
BEGIN
    c := (claude.add_component(feature_id => feature, component_name => name, component_type => 'service',
            planned_functions => ARRAY['run'])->'data'->>'component_id')::uuid;
    IF ready THEN
        PERFORM claude.update_component(c, '{"actual_functions": ["run"], "has_tests": true,
            "test_coverage_percentage": 90, "has_documentation": true, "doc_path": "docs/service.md"}');
    END IF;
    IF status = 'planned' THEN RETURN c; END IF;
    IF status = 'deprecated' THEN
        PERFORM claude.update_component_status(c, 'deprecated', reason => 'replaced');
        RETURN c;
    END IF;
    PERFORM claude.update_component_status(c, 'in_progress');
    IF status = 'in_progress' THEN RETURN c; END IF;
    PERFORM claude.complete_component(c, actual_functions => ARRAY['run']);
    IF status = 'completed' THEN RETURN c; END IF;
    PERFORM claude.update_component_status(c, 'tested');
    IF status = 'tested' THEN RETURN c; END IF;
    PERFORM claude.update_component_status(c, 'documented');
    RETURN c;
END
$$;

-- ------------------------------------------------------------------ fixture
DO $$
DECLARE
    s text;
BEGIN
    PERFORM pg_temp.remember('P', (claude.add_project('Component workflow project')->'data'->>'project_id')::uuid);
    PERFORM pg_temp.remember('I', (claude.add_identity('component-workflow-agent')->'data'->>'identity_id')::uuid);
    PERFORM pg_temp.remember('F', pg_temp.feature_in('in_progress', 'Component home feature'));
    PERFORM pg_temp.remember('F2', pg_temp.feature_in('in_progress', 'Second component feature'));
    PERFORM pg_temp.remember('F_not_started', pg_temp.feature_in('not_started', 'Unstarted component feature'));
    PERFORM pg_temp.remember('F_planned', pg_temp.feature_in('planned', 'Planned component feature'));
    PERFORM pg_temp.remember('F_completed', pg_temp.feature_in('completed', 'Finished component feature'));
    PERFORM pg_temp.remember('F_cancelled', pg_temp.feature_in('cancelled', 'Cancelled component feature'));
    -- one ready component per status, for the refused-transition loops
    FOREACH s IN ARRAY ARRAY['planned', 'in_progress', 'completed', 'tested', 'documented', 'deprecated'] LOOP
        PERFORM pg_temp.remember('S_' || s, pg_temp.component_in(s, 'Status component ' || s, pg_temp.id('F')));
    END LOOP;
    -- one ready component per status that may be deprecated
    FOREACH s IN ARRAY ARRAY['planned', 'in_progress', 'completed', 'tested', 'documented'] LOOP
        PERFORM pg_temp.remember('D_' || s, pg_temp.component_in(s, 'Deprecate component ' || s, pg_temp.id('F')));
    END LOOP;
END
$$;

-- ================================================================== add_component (16 tests)
SELECT lives_ok($$SELECT pg_temp.keep('add', claude.add_component(feature_id => pg_temp.id('F'),
                      component_name => '  User Profile Card ', component_type => 'ui_component',
                      planned_functions => ARRAY['render', 'update']))$$,
                'add_component: a valid component is accepted');
SELECT pg_temp.remember('W', (pg_temp.got('add')->'data'->>'component_id')::uuid) IS NOT NULL AS remembered \gset
SELECT is(pg_temp.got('add')->'success', 'true'::jsonb, 'add_component: envelope success is true');
SELECT is(pg_temp.got('add')->'data'->>'status', 'planned', 'add_component: data.status is planned');
SELECT is(pg_temp.got('add')->'data'->>'component_name', 'User Profile Card', 'add_component: the name is trimmed');
SELECT is(pg_temp.got('add')->'data'->>'file_path', 'src/ui_component/user_profile_card',
          'add_component: file_path defaults to src/<type>/<name in snake case>');
SELECT is((pg_temp.comp('W')).implemented_at, NULL, 'add_component: implemented_at is empty');
SELECT is(claude.add_component(feature_id => pg_temp.id('F'), component_name => 'Custom Path Service',
                               component_type => 'service', file_path => 'lib/custom/path.ts')->'data'->>'file_path',
          'lib/custom/path.ts', 'add_component: a given file_path is kept');
SELECT throws_ok($$SELECT claude.add_component(feature_id => pg_temp.id('F'), component_name => 'ab', component_type => 'hook')$$,
                 '23514', NULL, 'add_component: a name under 3 characters is refused (23514)');
SELECT throws_ok($$SELECT claude.add_component(feature_id => pg_temp.id('F'), component_name => '  ab  ', component_type => 'hook')$$,
                 '23514', NULL, 'add_component: a name under 3 characters once trimmed is refused (23514)');
SELECT throws_ok($$SELECT claude.add_component(feature_id => pg_temp.id('F'), component_name => 'User Profile Card',
                                               component_type => 'page')$$,
                 '23514', NULL, 'add_component: a duplicate name in the same feature is refused (23514)');
SELECT is(pg_temp.err($$SELECT claude.add_component(feature_id => pg_temp.id('F'), component_name => 'User Profile Card',
                                                    component_type => 'page')$$)->'detail'->'errors'->0->>'field',
          'component_name', 'add_component: the duplicate error names component_name');
SELECT lives_ok($$SELECT claude.add_component(feature_id => pg_temp.id('F2'), component_name => 'User Profile Card',
                                              component_type => 'ui_component')$$,
                'add_component: the same name in another feature is accepted');
SELECT throws_ok($$SELECT claude.add_component(feature_id => pg_temp.id('F_completed'), component_name => 'Late widget',
                                               component_type => 'ui_component')$$,
                 '55000', NULL, 'add_component: adding to a completed feature is refused (55000)');
SELECT throws_ok($$SELECT claude.add_component(feature_id => pg_temp.id('F_cancelled'), component_name => 'Late widget',
                                               component_type => 'ui_component')$$,
                 '55000', NULL, 'add_component: adding to a cancelled feature is refused (55000)');
SELECT throws_ok($$SELECT claude.add_component(feature_id => '00000000-0000-4000-8000-0000000000ff',
                                               component_name => 'Orphan widget', component_type => 'ui_component')$$,
                 '23503', NULL, 'add_component: an unknown feature is refused (23503)');
SELECT throws_ok($$SELECT claude.add_component(feature_id => pg_temp.id('F'), component_name => 'Gizmo widget',
                                               component_type => 'gizmo')$$,
                 '23514', NULL, 'add_component: an unknown component_type is refused (23514)');

-- ================================================================== allowed transitions (17 tests)
SELECT lives_ok($$SELECT pg_temp.keep('start', claude.update_component_status(pg_temp.id('W'), 'in_progress'))$$,
                'planned -> in_progress is accepted');
SELECT ok(pg_temp.got('start')->'data'->>'status' = 'in_progress'
          AND pg_temp.got('start')->'metadata' = '{"old_status": "planned", "new_status": "in_progress"}'::jsonb,
          'planned -> in_progress: data.status and metadata old_status/new_status');
SELECT is((pg_temp.comp('W')).implemented_at, NULL, 'planned -> in_progress: implemented_at stays empty');
SELECT lives_ok($$SELECT pg_temp.keep('complete', claude.complete_component(pg_temp.id('W'),
                      actual_functions => ARRAY['render', 'update'], lines_of_code => 120,
                      has_tests => true, test_coverage_percentage => 85))$$,
                'in_progress -> completed (complete_component) is accepted');
SELECT ok((pg_temp.comp('W')).status = 'completed' AND (pg_temp.comp('W')).implemented_at IS NOT NULL,
          'in_progress -> completed: implemented_at is set');
SELECT ok((pg_temp.comp('W')).actual_functions = ARRAY['render', 'update'] AND (pg_temp.comp('W')).lines_of_code = 120
          AND (pg_temp.comp('W')).has_tests AND (pg_temp.comp('W')).test_coverage_percentage = 85,
          'complete_component: stores actual_functions, lines_of_code, has_tests and coverage');
SELECT lives_ok($$SELECT claude.update_component_status(pg_temp.id('W'), 'tested')$$,
                'completed -> tested with has_tests and coverage is accepted');
SELECT lives_ok($$SELECT claude.update_component(pg_temp.id('W'), '{"has_documentation": true, "doc_path": "docs/profile.md"}')$$,
                'update_component: documentation fields are editable');
SELECT lives_ok($$SELECT claude.update_component_status(pg_temp.id('W'), 'documented')$$,
                'tested -> documented with has_documentation and doc_path is accepted');
SELECT ok((pg_temp.comp('W')).status = 'documented' AND (pg_temp.comp('W')).implemented_at IS NOT NULL,
          'tested -> documented: implemented_at is kept');
SELECT lives_ok(format('SELECT claude.update_component_status(%L, %L, reason => %L)', pg_temp.id('D_' || s), 'deprecated', 'replaced'),
                format('%s -> deprecated is accepted', s))
  FROM unnest(ARRAY['planned', 'in_progress', 'completed', 'tested', 'documented']) AS s;
SELECT is((SELECT count(*)::int FROM test_ids i JOIN claude.components c ON c.component_id = i.id
            WHERE i.k LIKE 'D\_%' AND c.status = 'deprecated'), 5, 'all five components are deprecated');
SELECT lives_ok(format('SELECT claude.update_component_status(%L, %L)',
                       pg_temp.component_in('in_progress', 'Status-function completion', pg_temp.id('F')), 'completed'),
                'in_progress -> completed through update_component_status is accepted when the needs are met');

-- ================================================================== refused transitions (50 tests)
-- Every (from, to) pair of distinct statuses that claude.status_transitions
-- does not list, tried on a component put into "from" by the workflow
-- functions that already has everything any transition needs: refused, and
-- the refusal is the 55000 transition error.
SELECT is((SELECT count(*)::int FROM claude.status_transitions WHERE entity_type = 'component'), 9,
          'status_transitions lists the 9 component transitions of SPEC section 4');
SELECT ok(e IS NOT NULL
          AND e->'detail'->'errors' @> jsonb_build_array(jsonb_build_object('field', 'status', 'code', '55000')),
          format('component %s -> %s is refused with a 55000 transition error', fr, t))
  FROM (SELECT a.s AS fr, b.s AS t
          FROM unnest(ARRAY['planned', 'in_progress', 'completed', 'tested', 'documented', 'deprecated'])
               WITH ORDINALITY AS a(s, n),
               unnest(ARRAY['planned', 'in_progress', 'completed', 'tested', 'documented', 'deprecated'])
               WITH ORDINALITY AS b(s, m)
         WHERE a.s <> b.s
           AND NOT EXISTS (SELECT 1 FROM claude.status_transitions x
                            WHERE x.entity_type = 'component' AND x.from_status = a.s AND x.to_status = b.s)
         ORDER BY a.n, b.m) AS pairs,
       LATERAL pg_temp.err(format('SELECT claude.update_component_status(%L, %L, reason => %L)',
                                  pg_temp.id('S_' || fr), t, 'a reason for the move')) AS e;
-- Exact SQLSTATE: a transition that is not listed is refused on its own with 55000.
SELECT throws_ok(format('SELECT claude.update_component_status(%L, %L, reason => %L)',
                        pg_temp.id('S_' || fr), t, 'a reason for the move'),
                 '55000', NULL, format('component %s -> %s is refused with SQLSTATE 55000', fr, t))
  FROM (SELECT a.s AS fr, b.s AS t
          FROM unnest(ARRAY['planned', 'in_progress', 'completed', 'tested', 'documented', 'deprecated'])
               WITH ORDINALITY AS a(s, n),
               unnest(ARRAY['planned', 'in_progress', 'completed', 'tested', 'documented', 'deprecated'])
               WITH ORDINALITY AS b(s, m)
         WHERE a.s <> b.s
           AND NOT EXISTS (SELECT 1 FROM claude.status_transitions x
                            WHERE x.entity_type = 'component' AND x.from_status = a.s AND x.to_status = b.s)
         ORDER BY a.n, b.m) AS v;
-- Same status again: 55000 ("already ...").
SELECT throws_ok(format('SELECT claude.update_component_status(%L, %L)', pg_temp.id('S_' || s), s),
                 '55000', NULL, format('component %s -> %s (no change) is refused with 55000', s, s))
  FROM unnest(ARRAY['planned', 'in_progress', 'completed', 'tested', 'documented', 'deprecated']) AS s;
SELECT is((SELECT count(*)::int FROM test_ids i JOIN claude.components c ON c.component_id = i.id
            WHERE i.k LIKE 'S\_%' AND c.status = substr(i.k, 3)), 6,
          'every refused transition left its component in its original status');

-- ================================================================== completing needs (11 tests)
DO $$
BEGIN
    PERFORM pg_temp.remember('N', pg_temp.component_in('in_progress', 'Needs component', pg_temp.id('F'), false));
    PERFORM pg_temp.remember('N_ns', pg_temp.component_in('in_progress', 'Early component', pg_temp.id('F_not_started'), false));
    PERFORM pg_temp.remember('N_pl', pg_temp.component_in('in_progress', 'Early component', pg_temp.id('F_planned'), false));
END
$$;
SELECT throws_ok($$SELECT claude.complete_component(pg_temp.id('N'))$$, '23514', NULL,
                 'complete_component with no actual_functions is refused (23514)');
SELECT is(pg_temp.err($$SELECT claude.complete_component(pg_temp.id('N'))$$)->'detail'->'errors'->0->>'field',
          'actual_functions', 'complete_component: the error names actual_functions');
SELECT throws_ok($$SELECT claude.complete_component(pg_temp.id('N'), actual_functions => ARRAY['  '])$$, '23514', NULL,
                 'complete_component with only blank actual_functions is refused (23514)');
UPDATE claude.components SET file_path = NULL WHERE component_id = pg_temp.id('N');
SELECT throws_ok($$SELECT claude.complete_component(pg_temp.id('N'), actual_functions => ARRAY['run'])$$, '23514', NULL,
                 'complete_component with file_path NULL is refused (23514)');
SELECT is(pg_temp.err($$SELECT claude.complete_component(pg_temp.id('N'), actual_functions => ARRAY['run'])$$)
            ->'detail'->'errors'->0->>'field',
          'file_path', 'complete_component: the error names file_path');
UPDATE claude.components SET file_path = '' WHERE component_id = pg_temp.id('N');
SELECT throws_ok($$SELECT claude.complete_component(pg_temp.id('N'), actual_functions => ARRAY['run'])$$, '23514', NULL,
                 'complete_component with file_path empty is refused (23514)');
SELECT set_eq($$SELECT e->>'field' FROM jsonb_array_elements(
                  pg_temp.err('SELECT claude.complete_component(pg_temp.id(''N''))')->'detail'->'errors') e$$,
              ARRAY['actual_functions', 'file_path'],
              'complete_component: missing functions and file_path are named together');
SELECT lives_ok($$SELECT claude.complete_component(pg_temp.id('N'), actual_functions => ARRAY['run'], file_path => 'src/service/needs.ts')$$,
                'complete_component with functions and a file_path given in the call is accepted');
SELECT throws_ok($$SELECT claude.complete_component(pg_temp.id('N_ns'), actual_functions => ARRAY['run'])$$, '55000', NULL,
                 'complete_component while the feature is not_started is refused (55000)');
SELECT throws_ok($$SELECT claude.complete_component(pg_temp.id('N_pl'), actual_functions => ARRAY['run'])$$, '55000', NULL,
                 'complete_component while the feature is planned is refused (55000)');
SELECT throws_ok($$SELECT claude.complete_component(pg_temp.id('S_planned'), actual_functions => ARRAY['run'])$$, '55000', NULL,
                 'complete_component on a planned component is refused (55000)');

-- ================================================================== tested and documented need (8 tests)
DO $$
BEGIN
    PERFORM pg_temp.remember('T', pg_temp.component_in('completed', 'Untested component', pg_temp.id('F'), false));
END
$$;
SELECT throws_ok($$SELECT claude.update_component_status(pg_temp.id('T'), 'tested')$$, '23514', NULL,
                 'completed -> tested without has_tests and coverage is refused (23514)');
SELECT set_eq($$SELECT e->>'field' FROM jsonb_array_elements(
                  pg_temp.err('SELECT claude.update_component_status(pg_temp.id(''T''), ''tested'')')->'detail'->'errors') e$$,
              ARRAY['has_tests', 'test_coverage_percentage'],
              'completed -> tested: DETAIL lists has_tests and test_coverage_percentage');
UPDATE claude.components SET has_tests = true WHERE component_id = pg_temp.id('T');
SELECT throws_ok($$SELECT claude.update_component_status(pg_temp.id('T'), 'tested')$$, '23514', NULL,
                 'completed -> tested with has_tests but no coverage is refused (23514)');
UPDATE claude.components SET has_tests = false, test_coverage_percentage = 90 WHERE component_id = pg_temp.id('T');
SELECT throws_ok($$SELECT claude.update_component_status(pg_temp.id('T'), 'tested')$$, '23514', NULL,
                 'completed -> tested with coverage but has_tests false is refused (23514)');
UPDATE claude.components SET has_tests = true WHERE component_id = pg_temp.id('T');
SELECT lives_ok($$SELECT claude.update_component_status(pg_temp.id('T'), 'tested')$$,
                'completed -> tested with both is accepted');
SELECT throws_ok($$SELECT claude.update_component_status(pg_temp.id('T'), 'documented')$$, '23514', NULL,
                 'tested -> documented without has_documentation and doc_path is refused (23514)');
SELECT set_eq($$SELECT e->>'field' FROM jsonb_array_elements(
                  pg_temp.err('SELECT claude.update_component_status(pg_temp.id(''T''), ''documented'')')->'detail'->'errors') e$$,
              ARRAY['has_documentation', 'doc_path'],
              'tested -> documented: DETAIL lists has_documentation and doc_path');
UPDATE claude.components SET has_documentation = true WHERE component_id = pg_temp.id('T');
SELECT throws_ok($$SELECT claude.update_component_status(pg_temp.id('T'), 'documented')$$, '23514', NULL,
                 'tested -> documented with has_documentation but no doc_path is refused (23514)');

-- ================================================================== warnings and metadata (11 tests)
DO $$
BEGIN
    PERFORM pg_temp.remember('FW', pg_temp.feature_in('in_progress', 'Warning feature'));
    PERFORM pg_temp.remember('WA', pg_temp.component_in('in_progress', 'Sloppy component', pg_temp.id('FW'), false));
    PERFORM claude.update_component(pg_temp.id('WA'), '{"planned_functions": ["load", "save", "render"]}');
    PERFORM pg_temp.remember('WB', pg_temp.component_in('in_progress', 'Thin tests component', pg_temp.id('FW'), false));
    PERFORM pg_temp.remember('FH', pg_temp.feature_in('in_progress', 'Happy feature'));
    PERFORM pg_temp.remember('H', pg_temp.component_in('in_progress', 'Happy component', pg_temp.id('FH'), false));
    PERFORM pg_temp.remember('U', pg_temp.component_in('in_progress', 'Unplanned component', pg_temp.id('F2'), false));
    PERFORM claude.update_component(pg_temp.id('U'), '{"planned_functions": []}');
END
$$;
SELECT lives_ok($$SELECT pg_temp.keep('wa', claude.complete_component(pg_temp.id('WA'),
                      actual_functions => ARRAY['load', 'render', 'extra_one', 'debug_dump']))$$,
                'complete_component: completes despite warnings');
SELECT is(pg_temp.got('wa')->'validation'->'warnings',
          '["planned functions missing from the actual ones: save", "functions not planned: debug_dump, extra_one", "no tests for this component"]'::jsonb,
          'complete_component: warns on missing planned functions, unplanned functions and no tests');
SELECT is(pg_temp.got('wa')->'validation'->'errors', '[]'::jsonb, 'complete_component: warnings are not errors');
SELECT lives_ok($$SELECT pg_temp.keep('wb', claude.complete_component(pg_temp.id('WB'),
                      actual_functions => ARRAY['run'], has_tests => true, test_coverage_percentage => 55.5))$$,
                'complete_component: completes with low coverage');
SELECT is(pg_temp.got('wb')->'validation'->'warnings', '["test coverage 55.50% is below 80%"]'::jsonb,
          'complete_component: warns on coverage below 80%');
SELECT ok(pg_temp.got('wb')->'metadata' ?& ARRAY['feature_completion_percentage', 'feature_ready_to_complete']
          AND jsonb_typeof(pg_temp.got('wb')->'metadata'->'feature_completion_percentage') = 'number',
          'complete_component: metadata has feature_completion_percentage and feature_ready_to_complete');
SELECT is(pg_temp.got('wb')->'metadata'->'feature_ready_to_complete', 'true'::jsonb,
          'complete_component: feature_ready_to_complete is true when every component of the feature is done');
SELECT lives_ok($$SELECT pg_temp.keep('h', claude.complete_component(pg_temp.id('H'),
                      actual_functions => ARRAY['run'], has_tests => true, test_coverage_percentage => 80))$$,
                'complete_component: the happy case is accepted');
SELECT is(pg_temp.got('h')->'validation'->'warnings', '[]'::jsonb,
          'complete_component: no warnings when functions match, tests exist and coverage is 80%');
SELECT is(claude.complete_component(pg_temp.id('U'), actual_functions => ARRAY['anything'], has_tests => true,
                                    test_coverage_percentage => 99)->'validation'->'warnings', '[]'::jsonb,
          'complete_component: no "not planned" warning when nothing was planned');
SELECT is(claude.complete_component(pg_temp.component_in('in_progress', 'Not last component', pg_temp.id('F'), false),
                                    actual_functions => ARRAY['run'])->'metadata'->'feature_ready_to_complete',
          'false'::jsonb, 'complete_component: feature_ready_to_complete is false while other components are open');

-- ================================================================== update_component (9 tests)
SELECT lives_ok(format('SELECT pg_temp.keep(%L, claude.update_component(%L, %L))', 'move', pg_temp.id('S_in_progress'),
                       jsonb_build_object('feature_id', pg_temp.id('F2'))),
                'update_component: moving a component to another feature is accepted');
SELECT ok((pg_temp.comp('S_in_progress')).feature_id = pg_temp.id('F2')
          AND pg_temp.got('move')->'data'->>'feature_id' = pg_temp.id('F2')::text,
          'update_component: the component now belongs to the other feature');
SELECT throws_ok(format('SELECT claude.update_component(%L, %L)', pg_temp.id('S_planned'),
                        jsonb_build_object('feature_id', pg_temp.id('F_completed'))),
                 '55000', NULL, 'update_component: moving to a completed feature is refused (55000)');
SELECT throws_ok(format('SELECT claude.update_component(%L, %L)', pg_temp.id('W'),
                        jsonb_build_object('feature_id', pg_temp.id('F2'))),
                 '23514', NULL, 'update_component: moving into a feature that has a component of the same name is refused (23514)');
SELECT throws_ok($$SELECT claude.update_component(pg_temp.id('S_planned'), '{"colour": "blue"}')$$, '23514', NULL,
                 'update_component: an unknown key is refused (23514)');
SELECT throws_ok($$SELECT claude.update_component(pg_temp.id('S_planned'), '{"status": "in_progress"}')$$, '23514', NULL,
                 'update_component: the status key is refused (23514)');
SELECT throws_ok($$SELECT claude.update_component(pg_temp.id('S_planned'), '{"component_name": "Status component tested"}')$$,
                 '23514', NULL, 'update_component: renaming to a name taken in the feature is refused (23514)');
SELECT throws_ok($$SELECT claude.update_component(pg_temp.id('S_planned'), '{"lines_of_code": "many"}')$$, '23514', NULL,
                 'update_component: a value of the wrong type is refused (23514)');
SELECT lives_ok($$SELECT claude.update_component(pg_temp.id('S_planned'), '{"component_name": "Renamed planned component"}')$$,
                'update_component: a rename is accepted');

-- ================================================================== P0002 (3 tests)
SELECT throws_ok(format('SELECT claude.%s', call), 'P0002', NULL, format('%s on a missing component raises P0002', fn))
  FROM (VALUES
      ('update_component', $$update_component('00000000-0000-4000-8000-0000000000ff', '{"lines_of_code": 1}')$$),
      ('update_component_status', $$update_component_status('00000000-0000-4000-8000-0000000000ff', 'in_progress')$$),
      ('complete_component', $$complete_component('00000000-0000-4000-8000-0000000000ff', actual_functions => ARRAY['run'])$$)
  ) AS v(fn, call);

-- ================================================================== raw DML (7 tests)
SELECT throws_ok(format('UPDATE claude.components SET status = %L WHERE component_id = %L', 'completed', pg_temp.id('S_deprecated')),
                 '55000', NULL, 'raw UPDATE deprecated -> completed is refused (55000)');
SELECT throws_ok(format('UPDATE claude.components SET status = %L WHERE component_id = %L', 'completed',
                        pg_temp.component_in('planned', 'Raw jump component', pg_temp.id('F'))),
                 '55000', NULL, 'raw UPDATE planned -> completed is refused (55000)');
SELECT throws_ok(format('UPDATE claude.components SET implemented_at = now() - interval %L WHERE component_id = %L',
                        '1 day', pg_temp.id('S_completed')),
                 '23514', NULL, 'raw UPDATE of implemented_at on a completed component is refused (23514)');
SELECT throws_ok(format('UPDATE claude.components SET implemented_at = now() WHERE component_id = %L', pg_temp.id('S_planned')),
                 '23514', NULL, 'raw UPDATE of implemented_at on a planned component is refused (23514)');
SELECT throws_ok($$INSERT INTO claude.components (feature_id, component_name, component_type, status)
                   VALUES (pg_temp.id('F'), 'Raw started component', 'service', 'in_progress')$$,
                 '23514', NULL, 'raw INSERT with status in_progress is refused (23514)');
SELECT throws_ok($$INSERT INTO claude.components (feature_id, component_name, component_type, implemented_at)
                   VALUES (pg_temp.id('F'), 'Raw dated component', 'service', now())$$,
                 '23514', NULL, 'raw INSERT writing implemented_at is refused (23514)');
INSERT INTO claude.components (feature_id, component_name, component_type)
VALUES (pg_temp.id('F'), 'Raw Order--Repo 2', 'repository');
SELECT is((SELECT file_path FROM claude.components WHERE feature_id = pg_temp.id('F') AND component_name = 'Raw Order--Repo 2'),
          'src/repository/raw_order_repo_2', 'raw INSERT without file_path gets the generated default');

SELECT * FROM finish();
ROLLBACK;
