-- The SQL interface (SPEC section 6) and its security (section 8): every
-- function of section 6 that exists so far, with the SPEC's named parameters;
-- write functions SECURITY DEFINER with a pinned search_path; who may execute
-- what; the writer works through the functions only; validate() as a dry run;
-- the response envelope; the error contract (MESSAGE, DETAIL JSON, HINT,
-- nothing written on failure); the actor of a call (section 5).
--
-- Helpers (pg_temp, gone with the session):
--   pg_temp.failure(sql)  runs sql in a subtransaction that is ALWAYS rolled
--                         back; returns the error as jsonb {sqlstate, message,
--                         detail (text), hint}, or null when sql succeeded.
--   pg_temp.fields(errors) the distinct "field" values of an error list, sorted.
BEGIN;
SELECT plan(270);

-- ------------------------------------------------------------------ helpers
CREATE FUNCTION pg_temp.failure(stmt text) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    BEGIN
        EXECUTE stmt;
        RAISE EXCEPTION USING ERRCODE = 'ZZ999', MESSAGE = 'roll back the probe';
    EXCEPTION
        WHEN SQLSTATE 'ZZ999' THEN RETURN NULL;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                                    det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
            RETURN jsonb_build_object('sqlstate', st, 'message', msg, 'detail', det, 'hint', hnt);
    END;
END
$f$;
CREATE FUNCTION pg_temp.fields(errors jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $f$
    SELECT ARRAY(SELECT DISTINCT e->>'field' FROM jsonb_array_elements(errors) AS e ORDER BY 1)
$f$;
-- The shape of a response envelope, as one comparable line.
CREATE FUNCTION pg_temp.shape(envelope jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('keys=%s success=%s data=%s errors=%s warnings=%s metadata=%s validation_keys=%s',
                  (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(envelope) AS k),
                  envelope->'success', jsonb_typeof(envelope->'data'), envelope->'validation'->'errors',
                  jsonb_typeof(envelope->'validation'->'warnings'), jsonb_typeof(envelope->'metadata'),
                  (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(envelope->'validation') AS k))
$f$;

-- ================================================================== the SQL interface (73 tests)
-- Every function of SPEC section 6 that exists so far, with the SPEC's
-- parameter names in the SPEC's order, followed by the extra parameters the
-- implementation adds (actor on every write function; log_activity's
-- changes; run_jobs' older_than).
CREATE TEMP TABLE api (fn text, kind text, arg_types text[], params text[], extra text[]);
INSERT INTO api (fn, kind, arg_types, params) VALUES
    ('add_project',               'write', '{text,text}', '{project_name}'),
    ('add_identity',              'write', '{text,text}', '{identity_name}'),
    ('add_feature',               'write', '{text,text,uuid,text,integer,uuid,uuid,text,text,text[]}',
        '{feature_name,feature_type,project_id,description,priority,parent_feature_id,planned_by_identity_id,design_doc_path}'),
    ('update_feature',            'write', '{uuid,jsonb,text}', '{feature_id,changes}'),
    ('update_feature_status',     'write', '{uuid,text,text,uuid,uuid,text}',
        '{feature_id,new_status,reason,implemented_by_identity_id,planned_by_identity_id}'),
    ('complete_feature',          'write', '{uuid,text}', '{feature_id}'),
    ('delete_feature',            'write', '{uuid,boolean,text}', '{feature_id,force}'),
    ('can_complete_feature',      'read',  '{uuid}', '{feature_id}'),
    ('get_feature_completion',    'read',  '{uuid}', '{feature_id}'),
    ('get_feature_with_children', 'read',  '{uuid}', '{feature_id}'),
    ('add_component',             'write', '{uuid,text,text,text[],text[],text,text}',
        '{feature_id,component_name,component_type,planned_functions,planned_dependencies,file_path}'),
    ('update_component',          'write', '{uuid,jsonb,text}', '{component_id,changes}'),
    ('update_component_status',   'write', '{uuid,text,text,text}', '{component_id,new_status,reason}'),
    ('complete_component',        'write', '{uuid,text[],text,integer,boolean,numeric,text}',
        '{component_id,actual_functions,file_path,lines_of_code,has_tests,test_coverage_percentage}'),
    ('add_task',                  'write', '{text,text,text,uuid,uuid,integer,numeric,uuid,uuid,text,text[]}',
        '{task_name,task_description,task_type,component_id,feature_id,priority,estimated_hours,assigned_to_identity_id,blocked_by_task_id}'),
    ('update_task',               'write', '{uuid,jsonb,text}', '{task_id,changes}'),
    ('start_task',                'write', '{uuid,uuid,boolean,text}', '{task_id,identity_id,reassign}'),
    ('block_task',                'write', '{uuid,text,uuid,text}', '{task_id,reason,blocked_by_task_id}'),
    ('unblock_task',              'write', '{uuid,text,text}', '{task_id,note}'),
    ('submit_task_for_review',    'write', '{uuid,text}', '{task_id}'),
    ('request_task_changes',      'write', '{uuid,text,text}', '{task_id,note}'),
    ('complete_task',             'write', '{uuid,numeric,text,text}', '{task_id,actual_hours,completion_notes}'),
    ('cancel_task',               'write', '{uuid,text,text}', '{task_id,reason}'),
    ('claim_next_task',           'write', '{uuid,uuid,uuid,text[],interval,text}', '{identity_id,project_id,feature_id,labels,lease}'),
    ('get_ready_tasks',           'read',  '{uuid,uuid,uuid,integer,text[]}', '{feature_id,component_id,project_id,max_rows,labels}'),
    ('add_requirement',           'write', '{uuid,text,text,text,text[],integer,boolean,uuid,text}',
        '{feature_id,requirement_name,requirement_type,description,acceptance_criteria,priority,must_have,created_by_identity_id}'),
    ('update_requirement',        'write', '{uuid,jsonb,text}', '{requirement_id,changes}'),
    ('update_requirement_status', 'write', '{uuid,text,text,uuid,text}', '{requirement_id,new_status,reason,component_id}'),
    ('verify_requirement',        'write', '{uuid,uuid,jsonb,uuid,text}', '{requirement_id,component_id,test_results,test_run_id}'),
    ('validate',                  'read',  '{text,jsonb,text}', '{entity_type,data,operation}'),
    ('get_activity',              'read',  '{text,text,uuid,text,text,text[],timestamp with time zone,timestamp with time zone,integer,uuid}',
        '{project_name,source_type,source_id,actor,activity_type,severities,since,before,max_rows}'),
    ('check_stale_tasks',          'read', '{interval}', '{older_than}'),
    ('check_unblocked_tasks',      'read', '{}', '{}'),
    ('check_completion_readiness', 'read', '{}', '{}');
INSERT INTO api VALUES
    ('log_activity', 'write', '{text,uuid,text,text,text,text,text,text,jsonb}',
        '{source_type,source_id,activity_type,title,summary,actor,project_name,severity}', '{changes}'),
    ('run_jobs',     'write', '{interval,text}', '{}', '{older_than,actor}');
UPDATE api SET extra = CASE kind WHEN 'write' THEN '{actor}'::text[] ELSE '{}' END WHERE extra IS NULL;
-- beyond SPEC: the id half of get_activity's (created_at, id) page key
UPDATE api SET extra = '{before_id}' WHERE fn = 'get_activity';
-- 1.1 adds labels after actor, so positional callers of 1.0 see no change
UPDATE api SET extra = '{actor,labels}' WHERE fn IN ('add_task', 'add_feature');
-- The signature as a regprocedure, for the catalog tests below.
CREATE FUNCTION pg_temp.proc_of(fn text, arg_types text[]) RETURNS regprocedure LANGUAGE sql STABLE AS $f$
    SELECT to_regprocedure(format('claude.%I(%s)', fn, array_to_string(arg_types, ',')))
$f$;

SELECT has_function('claude', fn::name, arg_types::name[], format('claude.%s(%s) exists', fn, array_to_string(arg_types, ', ')))
  FROM api ORDER BY fn;
-- proargnames also holds the output columns of RETURNS TABLE functions,
-- after the input parameters.
SELECT is(COALESCE(p.proargnames[1:p.pronargs], '{}'),
          a.params || a.extra,
          format('claude.%s takes the named parameters (%s)', a.fn, array_to_string(a.params || a.extra, ', ')))
  FROM api a
  LEFT JOIN pg_proc p ON p.oid = pg_temp.proc_of(a.fn, a.arg_types)
 ORDER BY a.fn;
SELECT is(ARRAY(SELECT a.fn FROM api a JOIN pg_proc p ON p.oid = pg_temp.proc_of(a.fn, a.arg_types)
                 WHERE a.kind = 'write'
                   AND NOT EXISTS (SELECT 1 FROM unnest(p.proargnames[1:p.pronargs], p.proargtypes::oid[]) WITH ORDINALITY AS x(n, t, i)
                                    WHERE x.n = 'actor' AND x.t = 'text'::regtype
                                      AND x.i > p.pronargs - p.pronargdefaults)
                 ORDER BY 1),
          '{}'::text[], 'every write function takes an optional actor text parameter');

-- ================================================================== SECURITY DEFINER, search_path (28 tests)
SELECT ok(p.prosecdef AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%'),
          format('write function claude.%s is SECURITY DEFINER with a pinned search_path', a.fn))
  FROM api a
  LEFT JOIN pg_proc p ON p.oid = pg_temp.proc_of(a.fn, a.arg_types)
 WHERE a.kind = 'write'
 ORDER BY a.fn;
SELECT is(COALESCE(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}'), '{}'::text[],
          'no SECURITY DEFINER function of schema claude runs without a pinned search_path')
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace AND p.prosecdef
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- ================================================================== EXECUTE privileges (66 tests)
SELECT ok(has_function_privilege('buildtracker_writer', pg_temp.proc_of(fn, arg_types), 'EXECUTE'),
          format('buildtracker_writer can EXECUTE write function claude.%s', fn))
  FROM api WHERE kind = 'write' ORDER BY fn;
SELECT ok(NOT has_function_privilege('buildtracker_reader', pg_temp.proc_of(fn, arg_types), 'EXECUTE'),
          format('buildtracker_reader cannot EXECUTE write function claude.%s', fn))
  FROM api WHERE kind = 'write' ORDER BY fn;
SELECT ok(has_function_privilege('buildtracker_reader', pg_temp.proc_of(fn, arg_types), 'EXECUTE'),
          format('buildtracker_reader can EXECUTE read function claude.%s', fn))
  FROM api WHERE kind = 'read' ORDER BY fn;
SELECT ok(bool_and(has_function_privilege('buildtracker_writer', pg_temp.proc_of(fn, arg_types), 'EXECUTE')),
          'buildtracker_writer can EXECUTE every read function too')
  FROM api WHERE kind = 'read';
-- A NULL proacl means the built-in default, which lets PUBLIC execute.
SELECT is(COALESCE(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}'), '{}'::text[],
          'PUBLIC (grantee 0) has EXECUTE on no function of schema claude')
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace
   AND EXISTS (SELECT 1 FROM aclexplode(COALESCE(p.proacl, acldefault('f', p.proowner))) AS a
                WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE');
SELECT is(COALESCE(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}'), '{}'::text[],
          'buildtracker_writer can EXECUTE no internal (non SECURITY DEFINER) function of schema claude')
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace AND NOT p.prosecdef
   AND has_function_privilege('buildtracker_writer', p.oid, 'EXECUTE');

-- ------------------------------------------------------------------ fixture
INSERT INTO claude.projects (project_id, project_name) VALUES
    ('14000000-0000-4000-8000-000000000001', 'API security project');
INSERT INTO claude.identities (identity_id, identity_name) VALUES
    ('14100000-0000-4000-8000-000000000001', 'api-agent');
INSERT INTO claude.features (feature_id, project_id, feature_name, feature_type, description) VALUES
    ('14200000-0000-4000-8000-000000000001', '14000000-0000-4000-8000-000000000001',
     'API security feature', 'feature', 'The feature the API tests write under.');
INSERT INTO claude.components (component_id, feature_id, component_name, component_type) VALUES
    ('14300000-0000-4000-8000-000000000001', '14200000-0000-4000-8000-000000000001', 'ApiService', 'service');
INSERT INTO claude.build_tasks (task_id, feature_id, task_name, task_description, task_type) VALUES
    ('14400000-0000-4000-8000-000000000001', '14200000-0000-4000-8000-000000000001',
     'Existing API task', 'A task the update tests look at.', 'code');
INSERT INTO claude.requirements (requirement_id, feature_id, requirement_name, requirement_type, description,
                                 acceptance_criteria, created_by_identity_id) VALUES
    ('14500000-0000-4000-8000-000000000001', '14200000-0000-4000-8000-000000000001', 'Existing API requirement',
     'functional', 'A requirement the update tests look at.', ARRAY['It should work'],
     '14100000-0000-4000-8000-000000000001');

-- ================================================================== as buildtracker_writer (9 tests)
CREATE TEMP TABLE env (k text PRIMARY KEY, v jsonb NOT NULL);
GRANT ALL ON env TO PUBLIC;
SET LOCAL ROLE buildtracker_writer;
SELECT lives_ok($$INSERT INTO env SELECT 'writer project', claude.add_project('Project added by the writer')$$,
                'as buildtracker_writer, claude.add_project works');
SELECT throws_ok($$INSERT INTO claude.projects (project_name) VALUES ('Project inserted by the writer')$$, '42501', NULL,
                 'as buildtracker_writer, a direct INSERT INTO claude.projects is refused with 42501');
SELECT throws_ok($$UPDATE claude.build_tasks SET priority = 1 WHERE task_id = '14400000-0000-4000-8000-000000000001'$$, '42501', NULL,
                 'as buildtracker_writer, a direct UPDATE of claude.build_tasks is refused with 42501');
SELECT lives_ok($$INSERT INTO env SELECT 'writer task',
                      claude.add_task(task_name => 'Writer task', task_description => 'Added through the API by the writer',
                                      task_type => 'code', component_id => '14300000-0000-4000-8000-000000000001')$$,
                'as buildtracker_writer, claude.add_task works');
SELECT lives_ok($$INSERT INTO env SELECT 'writer start',
                      claude.start_task((SELECT v->'data'->>'task_id' FROM env WHERE k = 'writer task')::uuid,
                                        '14100000-0000-4000-8000-000000000001')$$,
                'as buildtracker_writer, claude.start_task works');
SELECT lives_ok($$SELECT claude.validate('project', '{"project_name": "Validated by the writer"}')$$,
                'as buildtracker_writer, claude.validate works');
RESET ROLE;
SELECT is((SELECT count(*) FROM claude.projects WHERE project_name = 'Project added by the writer'), 1::bigint,
          'the writer''s add_project wrote the project');
SELECT is((SELECT status FROM claude.build_tasks WHERE task_name = 'Writer task'), 'in_progress',
          'the writer''s add_task and start_task wrote the task');
SELECT is((SELECT priority FROM claude.build_tasks WHERE task_id = '14400000-0000-4000-8000-000000000001'), 5,
          'the writer''s refused UPDATE changed nothing');

-- ================================================================== as buildtracker_reader (7 tests)
SET LOCAL ROLE buildtracker_reader;
SELECT throws_ok($$SELECT claude.add_project('Project added by the reader')$$, '42501', NULL,
                 'as buildtracker_reader, calling claude.add_project is refused with 42501');
SELECT throws_ok($$SELECT claude.add_task(task_name => 'Reader task', task_description => 'Added by the reader, refused',
                                          task_type => 'code', feature_id => '14200000-0000-4000-8000-000000000001')$$,
                 '42501', NULL, 'as buildtracker_reader, calling claude.add_task is refused with 42501');
SELECT throws_ok($$INSERT INTO claude.projects (project_name) VALUES ('Project inserted by the reader')$$, '42501', NULL,
                 'as buildtracker_reader, a direct INSERT INTO claude.projects is refused with 42501');
SELECT lives_ok($$SELECT * FROM claude.get_ready_tasks(feature_id => '14200000-0000-4000-8000-000000000001')$$,
                'as buildtracker_reader, claude.get_ready_tasks works');
SELECT lives_ok($$SELECT claude.can_complete_feature('14200000-0000-4000-8000-000000000001'),
                         claude.get_feature_completion('14200000-0000-4000-8000-000000000001'),
                         claude.get_feature_with_children('14200000-0000-4000-8000-000000000001')$$,
                'as buildtracker_reader, the feature read functions work');
SELECT is(claude.validate('project', '{"project_name": "Validated by the reader"}'), '{"errors": [], "warnings": []}'::jsonb,
          'as buildtracker_reader, claude.validate works (a dry run needs no write privilege)');
RESET ROLE;
SELECT is((SELECT count(*) FROM claude.projects WHERE project_name IN ('Project added by the reader', 'Project inserted by the reader',
                                                                       'Validated by the reader', 'Validated by the writer')),
          0::bigint, 'the reader''s calls and both dry runs wrote no project');

-- ================================================================== validate(): create (29 tests)
CREATE TEMP TABLE validate_cases (entity text, table_name text, valid jsonb, invalid jsonb, invalid_fields text[]);
INSERT INTO validate_cases VALUES
    ('project', 'projects', '{"project_name": "A validated project"}', '{"project_name": "   "}', '{project_name}'),
    ('identity', 'identities', '{"identity_name": "validated-agent"}', '{"identity_name": ""}', '{identity_name}'),
    ('feature', 'features',
     '{"feature_name": "Validated feature", "feature_type": "ui", "project_id": "14000000-0000-4000-8000-000000000001",
       "description": "A feature that only exists in a dry run.", "priority": 2}',
     '{"feature_name": "abc", "feature_type": "spaceship", "project_id": "14000000-0000-4000-8000-000000000001", "priority": 11}',
     '{feature_name,feature_type,priority}'),
    ('component', 'components',
     '{"feature_id": "14200000-0000-4000-8000-000000000001", "component_name": "ValidatedService", "component_type": "service",
       "planned_functions": ["run"]}',
     '{"feature_id": "14200000-0000-4000-8000-000000000001", "component_name": "ab", "component_type": "gizmo"}',
     '{component_name,component_type}'),
    ('build_task', 'build_tasks',
     '{"task_name": "Validated task", "task_description": "A task that only exists in a dry run",
       "task_type": "code", "component_id": "14300000-0000-4000-8000-000000000001", "estimated_hours": 3}',
     '{"task_name": "abc", "task_description": "short", "task_type": "chore", "feature_id": "14200000-0000-4000-8000-000000000001",
       "priority": 0, "estimated_hours": -1}',
     '{estimated_hours,priority,task_description,task_name,task_type}'),
    ('requirement', 'requirements',
     '{"feature_id": "14200000-0000-4000-8000-000000000001", "requirement_name": "Validated requirement",
       "requirement_type": "security", "description": "A requirement that only exists in a dry run.",
       "acceptance_criteria": ["It should be rolled back"], "created_by_identity_id": "14100000-0000-4000-8000-000000000001"}',
     '{"feature_id": "14200000-0000-4000-8000-000000000001", "requirement_name": "abc", "requirement_type": "wish",
       "description": "short", "acceptance_criteria": []}',
     '{acceptance_criteria,created_by_identity_id,description,requirement_name,requirement_type}');

CREATE FUNCTION pg_temp.row_count(table_name text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
    n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM claude.%I', table_name) INTO n;
    RETURN n;
END
$f$;
CREATE TEMP TABLE validate_before AS
SELECT c.entity, pg_temp.row_count(c.table_name) AS rows_before,
       (SELECT count(*) FROM claude.activity_feed) AS activity_before
  FROM validate_cases c;
CREATE TEMP TABLE validate_results AS
SELECT c.entity, c.table_name, c.invalid_fields,
       claude.validate(c.entity, c.valid, 'create') AS valid_result,
       claude.validate(c.entity, c.invalid) AS invalid_result
  FROM validate_cases c;

SELECT is(valid_result, '{"errors": [], "warnings": []}'::jsonb,
          format('validate(%L, valid data, ''create'') returns no errors and no warnings', entity))
  FROM validate_results ORDER BY entity;
SELECT is(pg_temp.row_count(r.table_name), b.rows_before,
          format('validate(%L, ...) wrote nothing (claude.%s row count unchanged)', r.entity, r.table_name))
  FROM validate_results r JOIN validate_before b USING (entity) ORDER BY r.entity;
SELECT is(pg_temp.fields(invalid_result->'errors'), invalid_fields,
          format('validate(%L, invalid data) lists every failed field: %s', entity, array_to_string(invalid_fields, ', ')))
  FROM validate_results ORDER BY entity;
SELECT is(invalid_result->'warnings', '[]'::jsonb, format('validate(%L, invalid data) returns warnings []', entity))
  FROM validate_results ORDER BY entity;
SELECT is((SELECT count(*) FROM claude.activity_feed), (SELECT max(activity_before) FROM validate_before),
          'the dry runs left nothing in the activity feed');
SELECT is(claude.validate('feature', '{"feature_name": "Feature of no project", "feature_type": "ui",
                                       "project_id": "14000000-0000-4000-8000-0000000000ff"}')->'errors',
          '[{"field": "project_id", "message": "project_id does not name an existing project", "code": "23503"}]'::jsonb,
          'validate reports a missing reference with its field and code 23503');
SELECT is(pg_temp.fields(claude.validate('project', '{"project_name": "API security project"}')->'errors'), ARRAY['project_name'],
          'validate reports a duplicate project name');
SELECT is(claude.validate('build_task', '{"task_name": "Validated task", "task_description": "A task that only exists in a dry run",
                                          "task_type": "code", "feature_id": "14200000-0000-4000-8000-000000000001"}'),
          claude.validate('build_task', '{"task_name": "Validated task", "task_description": "A task that only exists in a dry run",
                                          "task_type": "code", "feature_id": "14200000-0000-4000-8000-000000000001"}'),
          'validate can be repeated: the first dry run left nothing behind that changes the second');
SELECT is(claude.validate('build_task', '{"task_name": "Validated task", "task_description": "A task that only exists in a dry run",
                                          "task_type": "code", "feature_id": "14200000-0000-4000-8000-000000000001"}'),
          '{"errors": [], "warnings": []}'::jsonb,
          'validate uses create as the default operation');

-- ================================================================== validate(): update and unknown (15 tests)
CREATE TEMP TABLE validate_updates (entity text, good jsonb, bad jsonb, bad_fields text[]);
INSERT INTO validate_updates VALUES
    ('feature', '{"feature_id": "14200000-0000-4000-8000-000000000001", "feature_name": "Renamed API feature"}',
                '{"feature_id": "14200000-0000-4000-8000-000000000001", "feature_name": "abc"}', '{feature_name}'),
    ('component', '{"component_id": "14300000-0000-4000-8000-000000000001", "lines_of_code": 120}',
                  '{"component_id": "14300000-0000-4000-8000-000000000001", "test_coverage_percentage": 120}', '{test_coverage_percentage}'),
    ('build_task', '{"task_id": "14400000-0000-4000-8000-000000000001", "priority": 2}',
                   '{"task_id": "14400000-0000-4000-8000-000000000001", "priority": 42}', '{priority}'),
    ('requirement', '{"requirement_id": "14500000-0000-4000-8000-000000000001", "description": "A clearer description of the requirement."}',
                    '{"requirement_id": "14500000-0000-4000-8000-000000000001", "acceptance_criteria": []}', '{acceptance_criteria}');
SELECT is(claude.validate(entity, good, 'update'), '{"errors": [], "warnings": []}'::jsonb,
          format('validate(%L, a good change, ''update'') returns no errors', entity))
  FROM validate_updates ORDER BY entity;
SELECT is(pg_temp.fields(claude.validate(entity, bad, 'update')->'errors'), bad_fields,
          format('validate(%L, a bad change, ''update'') names the bad field: %s', entity, array_to_string(bad_fields, ', ')))
  FROM validate_updates ORDER BY entity;
SELECT is(concat_ws('/',
              (SELECT feature_name FROM claude.features WHERE feature_id = '14200000-0000-4000-8000-000000000001'),
              (SELECT COALESCE(lines_of_code::text, 'no lines') FROM claude.components WHERE component_id = '14300000-0000-4000-8000-000000000001'),
              (SELECT priority::text FROM claude.build_tasks WHERE task_id = '14400000-0000-4000-8000-000000000001'),
              (SELECT description FROM claude.requirements WHERE requirement_id = '14500000-0000-4000-8000-000000000001')),
          'API security feature/no lines/5/A requirement the update tests look at.', 'the update dry runs changed nothing');
SELECT is(pg_temp.fields(claude.validate('build_task', '{"task_id": "14400000-0000-4000-8000-000000000001", "status": "completed"}', 'update')->'errors'),
          ARRAY['status'], 'validate(build_task, a status change, update) reports status as not editable');
SELECT is(claude.validate('feature', '{"feature_id": "14200000-0000-4000-8000-0000000000ff", "feature_name": "Renamed API feature"}', 'update')->'errors'->0->>'code',
          'P0002', 'validate(feature, update) of a missing id reports P0002');
SELECT is(pg_temp.fields(claude.validate('spaceship', '{}')->'errors'), ARRAY['entity_type'],
          'validate with an unknown entity type returns an error on entity_type');
SELECT is(claude.validate('spaceship', '{}')->'warnings', '[]'::jsonb, 'validate with an unknown entity type returns warnings []');
SELECT is(jsonb_array_length(claude.validate('feature', '{}', 'upsert')->'errors'), 1,
          'validate with an unknown operation returns an error');
SELECT is(jsonb_array_length(claude.validate('project', '{"project_name": "Update me"}', 'update')->'errors'), 1,
          'validate(project, ..., update) is refused: projects have no update function');

-- ================================================================== envelope (7 tests)
INSERT INTO env SELECT 'add_feature', claude.add_feature(feature_name => 'Envelope feature', feature_type => 'api',
                                                         project_id => '14000000-0000-4000-8000-000000000001');
INSERT INTO env SELECT 'add_requirement', claude.add_requirement(feature_id => '14200000-0000-4000-8000-000000000001',
    requirement_name => 'Envelope requirement', requirement_type => 'api', description => 'The envelope has the seed''s shape.',
    acceptance_criteria => ARRAY['It should have five keys'], created_by_identity_id => '14100000-0000-4000-8000-000000000001');
INSERT INTO env SELECT 'update_task', claude.update_task('14400000-0000-4000-8000-000000000001', '{"estimated_hours": 4}');
SELECT is(pg_temp.shape(v),
          'keys=data,metadata,success,validation success=true data=object errors=[] warnings=array metadata=object validation_keys=errors,warnings',
          format('the envelope of %s has success, data, validation.errors, validation.warnings, metadata', k))
  FROM env WHERE k IN ('writer project', 'writer task', 'writer start', 'add_feature', 'add_requirement', 'update_task')
 ORDER BY k;
SELECT is(v->'data'->>'feature_name', 'Envelope feature', 'data holds the entity''s row') FROM env WHERE k = 'add_feature';

-- ================================================================== error contract (21 tests)
CREATE TEMP TABLE error_cases (label text, sqlstate text, stmt text, message_pattern text);
INSERT INTO error_cases VALUES
    ('add_task with several invalid values', '23514',
     $$SELECT claude.add_task(task_name => 'abc', task_description => 'short', task_type => 'chore',
                              feature_id => '14200000-0000-4000-8000-000000000001')$$,
     'task_name must be at least 5 characters.*task_description must be at least 10 characters'),
    ('add_task on a missing feature', '23503',
     $$SELECT claude.add_task(task_name => 'Orphan task', task_description => 'On a feature that is not there',
                              task_type => 'code', feature_id => '14200000-0000-4000-8000-0000000000ff')$$,
     'feature_id does not name an existing feature'),
    ('start_task on a missing task', 'P0002',
     $$SELECT claude.start_task('14400000-0000-4000-8000-0000000000ff', '14100000-0000-4000-8000-000000000001')$$,
     'task 14400000-0000-4000-8000-0000000000ff does not exist'),
    ('submit_task_for_review on a todo task', '55000',
     $$SELECT claude.submit_task_for_review('14400000-0000-4000-8000-000000000001')$$,
     'it is todo; submit for review applies only to status in_progress');
CREATE TEMP TABLE error_results AS
SELECT c.*, pg_temp.failure(c.stmt) AS f FROM error_cases c;

SELECT is(f->>'sqlstate', sqlstate, format('%s raises %s', label, sqlstate)) FROM error_results ORDER BY label;
SELECT matches(f->>'message', message_pattern, format('%s: MESSAGE names what failed', label)) FROM error_results ORDER BY label;
SELECT is(jsonb_typeof((f->>'detail')::jsonb->'errors'), 'array', format('%s: DETAIL is JSON with an "errors" array', label))
  FROM error_results ORDER BY label;
SELECT ok(jsonb_array_length((f->>'detail')::jsonb->'errors') > 0
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements((f->>'detail')::jsonb->'errors') AS e
                           WHERE jsonb_typeof(e->'field') <> 'string' OR jsonb_typeof(e->'message') <> 'string'
                              OR btrim(e->>'message') = ''),
          format('%s: every DETAIL error has a field and a message', label))
  FROM error_results ORDER BY label;
SELECT ok(COALESCE(btrim(f->>'hint'), '') <> '', format('%s: HINT is not empty', label)) FROM error_results ORDER BY label;
SELECT is(pg_temp.fields((f->>'detail')::jsonb->'errors'), ARRAY['task_description', 'task_name', 'task_type'],
          'DETAIL lists every failed check of the call, not just the first (task_name, task_description, task_type)')
  FROM error_results WHERE label = 'add_task with several invalid values';

-- ================================================================== a failed call writes nothing (5 tests)
CREATE TEMP TABLE counts_before AS
SELECT (SELECT count(*) FROM claude.build_tasks) AS tasks, (SELECT count(*) FROM claude.activity_feed) AS activity;
SELECT is(pg_temp.failure($$SELECT claude.add_task(task_name => 'Valid name', task_description => 'Valid description here',
                                                   task_type => 'code', feature_id => '14200000-0000-4000-8000-000000000001',
                                                   priority => 99)$$)->>'sqlstate',
          '23514', 'an add_task that fails on one field (priority 99) raises 23514');
SELECT is((SELECT count(*) FROM claude.build_tasks), tasks, 'the failed add_task wrote no task') FROM counts_before;
SELECT is((SELECT count(*) FROM claude.activity_feed), activity, 'the failed add_task wrote no activity') FROM counts_before;
SELECT is(pg_temp.failure($$SELECT claude.update_task('14400000-0000-4000-8000-000000000001',
                                                      '{"task_name": "A perfectly good new name", "priority": 0}')$$)->>'sqlstate',
          '23514', 'an update_task with one good and one bad change raises 23514');
SELECT is(task_name || '/' || priority, 'Existing API task/5', 'the failed update_task changed neither field')
  FROM claude.build_tasks WHERE task_id = '14400000-0000-4000-8000-000000000001';

-- ================================================================== actor (10 tests)
-- The actor of a workflow call: its actor argument, else buildtracker.actor,
-- else session_user; the activity feed records it for each written row.
CREATE FUNCTION pg_temp.logged_actor(feature_name text) RETURNS text LANGUAGE sql STABLE AS $f$
    SELECT a.actor FROM claude.activity_feed a
      JOIN claude.features f ON f.feature_id = a.source_id
     WHERE a.source_type = 'feature' AND a.activity_type = 'created' AND f.feature_name = logged_actor.feature_name
$f$;
SELECT is(claude.current_actor(), session_user::text, 'claude.current_actor() is session_user by default');
SELECT lives_ok($$SELECT claude.add_feature(feature_name => 'Feature by the session user', feature_type => 'ui',
                                            project_id => '14000000-0000-4000-8000-000000000001')$$,
                'add_feature without an actor works');
SELECT is(pg_temp.logged_actor('Feature by the session user'), session_user::text,
          'without actor argument or setting, the activity feed records session_user');
SET LOCAL buildtracker.actor = 'alice';
SELECT is(claude.current_actor(), 'alice', 'claude.current_actor() is buildtracker.actor when set');
SELECT lives_ok($$SELECT claude.add_feature(feature_name => 'Feature by alice', feature_type => 'ui',
                                            project_id => '14000000-0000-4000-8000-000000000001')$$,
                'add_feature under SET LOCAL buildtracker.actor works');
SELECT is(pg_temp.logged_actor('Feature by alice'), 'alice', 'the activity feed records buildtracker.actor');
SELECT lives_ok($$SELECT claude.add_feature(feature_name => 'Feature by bob', feature_type => 'ui',
                                            project_id => '14000000-0000-4000-8000-000000000001', actor => 'bob')$$,
                'add_feature with actor => ''bob'' works');
SELECT is(pg_temp.logged_actor('Feature by bob'), 'bob', 'the actor argument wins over buildtracker.actor');
SELECT is(claude.current_actor(), 'alice', 'after a call with an actor argument, the session''s actor is back');
SET LOCAL buildtracker.actor = '';
SELECT is(claude.current_actor(), session_user::text, 'an empty buildtracker.actor falls back to session_user');

SELECT * FROM finish();
ROLLBACK;
