-- The hot-path reworks of @v0.4.2 and @v0.4.3 give the same answers as
-- before: claude.row_changes(new, old) finds exactly the fields the generic
-- jsonb comparison finds, over every column of its table; a constraint
-- checker's early return never hides a failed key check; the SQL helpers are
-- inlined where they are called; helpers moved to PL/pgSQL read the same
-- whatever the session's settings.
BEGIN;
SELECT plan(48);
\ir include/failure.psql

-- ------------------------------------------------------------------ PL/pgSQL parsed in the session (1 test)
-- First, before anything in this session has called it: a PL/pgSQL body is
-- parsed under the settings of the session that first calls it.
SET LOCAL escape_string_warning = off;
SET LOCAL standard_conforming_strings = off;
SELECT is(claude.untestable_criteria_warnings(ARRAY['Given a user, then it works', 'Looks nice']),
          ARRAY['criterion "Looks nice" reads as untestable (none of should, must, given, when, then)'],
          'the untestable-criteria pattern reads the same with standard_conforming_strings off');
SET LOCAL standard_conforming_strings = on;

-- ------------------------------------------------------------------ row_changes covers every column (4 tests)
-- A column added later without re-running claude.build_row_changes() would
-- silently drop out of the audit diff: this catches it.
SELECT set_eq(
    format($$SELECT m[1] FROM regexp_matches(pg_get_functiondef('claude.row_changes(claude.%1$s, claude.%1$s)'::regprocedure),
                                              'THEN jsonb_build_object\(''(\w+)''', 'g') AS m$$, t),
    format($$SELECT attname::text FROM pg_attribute WHERE attrelid = 'claude.%s'::regclass
              AND attnum > 0 AND NOT attisdropped AND attname NOT IN ('updated_at', 'lease_expires_at')$$, t),
    format('claude.row_changes for %s compares every column but updated_at and lease_expires_at', t))
  FROM unnest(ARRAY['features', 'components', 'build_tasks', 'requirements']) AS t;

-- ------------------------------------------------------------------ same answer as the generic comparison (9 tests)
SELECT (claude.add_project('Fast paths project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('fast-alice')->'data'->>'identity_id') AS alice \gset
SELECT (claude.add_feature(feature_name => 'Fast feature one', feature_type => 'feature', project_id => :'p',
        description => 'First feature of the fast paths test')->'data'->>'feature_id') AS f1 \gset
SELECT (claude.add_feature(feature_name => 'Fast feature two', feature_type => 'bug_fix', project_id => :'p',
        description => 'Second feature, planned before its tasks start', priority => 2)->'data'->>'feature_id') AS f2 \gset
SELECT claude.update_feature_status(:'f2', 'planned', planned_by_identity_id => :'alice');
SELECT (claude.add_component(:'f1', 'Fast component one', 'service')->'data'->>'component_id') AS c1 \gset
SELECT (claude.add_component(:'f2', 'Fast component two', 'database', planned_functions => ARRAY['store'])->'data'->>'component_id') AS c2 \gset
SELECT (claude.add_component(:'f1', 'Fast component three', 'module')->'data'->>'component_id') AS c3 \gset
SELECT (claude.add_task('Fast task one', 'The first task of the test', 'code', component_id => :'c1',
        estimated_hours => 2)->'data'->>'task_id') AS t1 \gset
SELECT (claude.add_task('Fast task two', 'The second task of the test', 'test', feature_id => :'f2',
        priority => 9, assigned_to_identity_id => :'alice')->'data'->>'task_id') AS t2 \gset
SELECT claude.start_task(:'t2', :'alice');
SELECT claude.block_task(:'t2', 'waiting for the first task', blocked_by_task_id => :'t1');
SELECT (claude.add_requirement(:'f1', 'Fast requirement one', 'functional', 'The first requirement of the test',
        ARRAY['Given one then one'], created_by_identity_id => :'alice')->'data'->>'requirement_id') AS r1 \gset
SELECT (claude.add_requirement(:'f2', 'Fast requirement two', 'performance', 'The second requirement of the test',
        ARRAY['Given two then two', 'And three'], priority => 2, must_have => true,
        created_by_identity_id => :'alice')->'data'->>'requirement_id') AS r2 \gset

-- the comparison the trigger made before the rework: every key of the new row
-- whose value differs from the old one, but updated_at
CREATE FUNCTION pg_temp.generic_changes(n jsonb, o jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_object_agg(e.key, jsonb_build_object('old', o -> e.key, 'new', e.value))
      FROM jsonb_each(n) AS e
     WHERE e.key <> 'updated_at' AND e.value IS DISTINCT FROM o -> e.key
$$;

-- every ordered pair of this test's rows of a table, each row with itself too:
-- how many pairs row_changes and the generic comparison disagree on
CREATE FUNCTION pg_temp.disagreements(tbl text, key_column text, keys uuid[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    EXECUTE format($q$SELECT count(*) FROM claude.%1$I a, claude.%1$I b
                      WHERE a.%2$I = ANY ($1) AND b.%2$I = ANY ($1)
                        AND claude.row_changes(a, b) IS DISTINCT FROM pg_temp.generic_changes(to_jsonb(a), to_jsonb(b))$q$,
                   tbl, key_column)
       INTO n USING keys;
    RETURN n;
END
$$;
SELECT is(pg_temp.disagreements(tbl, key_column, keys), 0,
          format('%s: row_changes agrees with the generic comparison on every pair of rows', tbl))
  FROM (VALUES ('features', 'project_id', ARRAY[:'p']::uuid[]),
               ('components', 'feature_id', ARRAY[:'f1', :'f2']::uuid[]),
               ('build_tasks', 'feature_id', ARRAY[:'f1', :'f2']::uuid[]),
               ('requirements', 'feature_id', ARRAY[:'f1', :'f2']::uuid[])) AS t(tbl, key_column, keys);
SELECT ok((SELECT count(*) FROM claude.build_tasks a, claude.build_tasks b
            WHERE a.feature_id IN (:'f1', :'f2') AND b.feature_id IN (:'f1', :'f2')
              AND claude.row_changes(a, b) IS NOT NULL) = 2,
          'the pairs compared do differ (two tasks, two ordered pairs of different rows)');

SELECT is(claude.row_changes(t, jsonb_populate_record(t, '{}')), NULL, 'a row compared with its copy has no changes')
  FROM claude.build_tasks t WHERE t.task_id = :'t2';
SELECT is(claude.row_changes(t, o), NULL, 'a row that differs only in updated_at has no changes')
  FROM claude.build_tasks t,
       LATERAL (SELECT (jsonb_populate_record(t, jsonb_build_object('updated_at', t.updated_at - interval '1 hour'))) AS o) AS x
 WHERE t.task_id = :'t2';
SELECT is(claude.row_changes(t, o),
          jsonb_build_object('priority', jsonb_build_object('old', 3, 'new', 9),
                             'blocked_reason', jsonb_build_object('old', NULL, 'new', 'waiting for the first task')),
          'a changed number and a text that was null are both reported, old null as JSON null')
  FROM claude.build_tasks t,
       LATERAL (SELECT jsonb_populate_record(t, '{"priority": 3, "blocked_reason": null}') AS o) AS x
 WHERE t.task_id = :'t2';

-- A column retyped to text under a nondeterministic collation ('A' = 'a'),
-- then the builder re-run as documented: a change of case is still a change,
-- as the JSON comparison (byte for byte) always reported it.
CREATE COLLATION pg_temp.case_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
ALTER TABLE claude.components ALTER COLUMN file_path TYPE text COLLATE pg_temp.case_blind;
SELECT claude.build_row_changes();
SELECT is(claude.row_changes(n, c), jsonb_build_object('file_path', jsonb_build_object('old', c.file_path, 'new', upper(c.file_path))),
          'a text column under a nondeterministic collation: a change of case is reported')
  FROM claude.components c,
       LATERAL (SELECT jsonb_populate_record(c, jsonb_build_object('file_path', upper(c.file_path))) AS n) AS x
 WHERE c.component_id = :'c1';

-- ------------------------------------------------------------------ the trigger writes what row_changes finds (4 tests)
SELECT claude.update_task(:'t1', '{"priority": 4, "estimated_hours": 3.5}');
SELECT is((SELECT changes FROM claude.activity_feed WHERE source_id = :'t1' AND activity_type = 'updated'
            ORDER BY created_at DESC, id DESC LIMIT 1),
          '{"priority": {"old": 5, "new": 4}, "estimated_hours": {"old": 2, "new": 3.5}}'::jsonb,
          'an edit is logged with exactly the changed fields, old and new');
SELECT is((SELECT changes FROM claude.activity_feed WHERE source_id = :'t2' AND activity_type = 'blocked'),
          jsonb_build_object('status', '{"old": "in_progress", "new": "blocked"}'::jsonb,
                             'blocked_reason', '{"old": null, "new": "waiting for the first task"}'::jsonb,
                             'blocked_by_task_id', jsonb_build_object('old', NULL, 'new', :'t1')),
          'a status change is logged with every field it changed');
SELECT count(*) AS t1_rows FROM claude.activity_feed WHERE source_id = :'t1' \gset
UPDATE claude.build_tasks SET updated_at = now() WHERE task_id = :'t1';
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE source_id = :'t1')::int, :t1_rows,
          'an update that changes nothing but updated_at logs nothing');
SELECT count(*) AS c2_rows FROM claude.activity_feed WHERE source_id = :'c2' \gset
UPDATE claude.components SET planned_functions = '[0:0]={store}' WHERE component_id = :'c2';
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE source_id = :'c2')::int, :c2_rows,
          'an array that differs only in its bounds is no change, as the JSON comparison always saw it');

-- ------------------------------------------------------------------ the checkers' early return (10 tests)
SELECT is(claude.check_build_tasks_constraints(t, t), '[]'::jsonb, 'an unchanged valid task: no failures')
  FROM claude.build_tasks t WHERE t.task_id = :'t2';
SELECT is(claude.check_build_tasks_constraints(t, NULL), '[]'::jsonb, 'a valid new task whose references exist: no failures')
  FROM claude.build_tasks t WHERE t.task_id = :'t2';
-- a task changed as given, checked against its old row (or as a new row)
SELECT is(jsonb_path_query_array(claude.check_build_tasks_constraints(jsonb_populate_record(t, v.changes),
                                                                      CASE WHEN v.against_old THEN t END), v.path),
          v.expected, v.description)
  FROM claude.build_tasks t,
       (VALUES (jsonb_build_object('feature_id', gen_random_uuid()), true, '$[*].field'::jsonpath, '["feature_id"]'::jsonb,
                'all values valid but the feature changed to a missing one: the key check still runs'),
               (jsonb_build_object('assigned_to_identity_id', gen_random_uuid()), true, '$[*].code', '["23503"]',
                'and names it as a missing reference (23503)'),
               (jsonb_build_object('component_id', gen_random_uuid()), false, '$[*].field', '["component_id"]',
                'a new row naming a missing component: the key check runs (no old row)'),
               (jsonb_build_object('feature_id', gen_random_uuid(), 'priority', 11), true, '$[*].field', '["priority", "feature_id"]',
                'a failed value check and a missing reference are both named')
       ) AS v(changes, against_old, path, expected, description)
 WHERE t.task_id = :'t2';
SELECT is(jsonb_path_query_array(claude.check_components_constraints(n, c), '$[*].field'), '["component_name"]',
          'a component renamed, in its own feature, to a name taken there: the unique check runs')
  FROM claude.components c,
       LATERAL (SELECT jsonb_populate_record(c, '{"component_name": "Fast component one"}') AS n) AS x
 WHERE c.component_id = :'c3';
SELECT is(claude.check_components_constraints(c, c), '[]'::jsonb, 'an unchanged component: no failures')
  FROM claude.components c WHERE c.component_id = :'c2';
SELECT is(jsonb_path_query_array(claude.check_projects_constraints(n, NULL), '$[*].field'), '["project_name"]',
          'a new project with a name already taken: the unique check runs')
  FROM claude.projects p,
       LATERAL (SELECT jsonb_populate_record(p, jsonb_build_object('project_id', gen_random_uuid())) AS n) AS x
 WHERE p.project_id = :'p';
-- the rule trigger's error (every failed check named), not the foreign key's
SELECT is(jsonb_build_object('sqlstate', f->'sqlstate', 'from_the_rules', f->>'message' LIKE 'cannot update task%',
                             'fields', jsonb_path_query_array(f->'detail', '$.errors[*].field')),
          '{"sqlstate": "23503", "from_the_rules": true, "fields": ["feature_id"]}'::jsonb,
          'through the trigger: a raw update to a missing feature is refused by the rules with 23503, naming feature_id')
  FROM pg_temp.failure(format($$UPDATE claude.build_tasks SET feature_id = %L WHERE task_id = %L$$, gen_random_uuid(), :'t2')) AS f;

-- ------------------------------------------------------------------ SQL helpers are inlined (12 tests)
-- True when a call of fn, planned generically with parameters, leaves no call
-- of fn in the plan: PostgreSQL replaced it by its body.
CREATE FUNCTION pg_temp.inlined(fn regprocedure) RETURNS boolean
LANGUAGE plpgsql
-- generic plans, as PL/pgSQL makes; with claude off the path, EXPLAIN names
-- a call it left schema-qualified. Both settings end with the call.
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog
AS $$
DECLARE
    arg_count integer := (SELECT p.pronargs FROM pg_proc p WHERE p.oid = fn);
    params text := (SELECT string_agg('$' || i, ', ') FROM generate_series(1, arg_count) AS i);
    nulls text := (SELECT string_agg('NULL', ', ') FROM generate_series(1, arg_count) AS i);
    line text;
    found_call boolean := false;
BEGIN
    EXECUTE format('PREPARE inline_probe%s AS SELECT %s(%s)',
                   CASE WHEN arg_count > 0 THEN format('(%s)', oidvectortypes((SELECT p.proargtypes FROM pg_proc p WHERE p.oid = fn))) ELSE '' END,
                   fn::regproc, COALESCE(params, ''));
    FOR line IN EXECUTE format('EXPLAIN (VERBOSE, COSTS OFF) EXECUTE inline_probe%s', COALESCE('(' || nulls || ')', '')) LOOP
        found_call := found_call OR position(fn::regproc::text || '(' IN line) > 0;
    END LOOP;
    DEALLOCATE inline_probe;
    RETURN NOT found_call;
END
$$;
-- every scalar SQL helper: one with a query in its body cannot be inlined and
-- belongs in PL/pgSQL; one whose body is more volatile than declared
-- (IMMUTABLE around jsonb_build_array, say) is not inlined either
SELECT ok(pg_temp.inlined(p.oid::regprocedure), format('%s is inlined where it is called', p.oid::regprocedure))
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql')
   AND NOT p.proretset AND p.provolatile <> 'v'
 ORDER BY p.oid::regprocedure::text;
SELECT ok(NOT pg_temp.inlined('claude.active_task_count(uuid)')
          AND (SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
                WHERE p.oid = 'claude.active_task_count(uuid)'::regprocedure) = 'plpgsql',
          'claude.active_task_count, which has a subquery and cannot be inlined, is PL/pgSQL (its plan kept for the session)');

SELECT * FROM finish();
ROLLBACK;
