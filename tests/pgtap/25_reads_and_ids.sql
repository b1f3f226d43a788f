-- Reads through SQL functions (get_* with P0002 from the database, list_*
-- pages by filter) and ids people can type (claude.resolve_id).
BEGIN;
SELECT plan(44);
\ir include/ids_and_errors.psql

SELECT has_function('claude', f, format('%s exists', f))
  FROM unnest(ARRAY['get_project', 'get_identity', 'get_feature', 'get_component', 'get_task', 'get_requirement',
                    'list_projects', 'list_identities', 'list_features', 'list_components', 'list_tasks',
                    'list_requirements', 'resolve_id']) AS f;

SELECT (claude.add_project('Reads project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_project('Other reads project')->'data'->>'project_id') AS p2 \gset
SELECT (claude.add_identity('reads-dev')->'data'->>'identity_id') AS dev \gset
SELECT (claude.add_feature(feature_name => 'Reads feature', feature_type => 'feature', project_id => :'p')
        ->'data'->>'feature_id') AS f \gset
SELECT (claude.add_feature(feature_name => 'Other feature', feature_type => 'feature', project_id => :'p2')
        ->'data'->>'feature_id') AS f2 \gset
SELECT (claude.add_component(:'f', 'Reads component', 'service')->'data'->>'component_id') AS c \gset
SELECT (claude.add_task('Reads task one', 'First task of the reads tests', 'code', feature_id => :'f')
        ->'data'->>'task_id') AS t1 \gset
SELECT (claude.add_task('Reads task two', 'Second task of the reads tests', 'code', feature_id => :'f')
        ->'data'->>'task_id') AS t2 \gset
SELECT (claude.add_task('Other task', 'A task of the other project', 'code', feature_id => :'f2')
        ->'data'->>'task_id') AS t3 \gset
SELECT (claude.add_requirement(:'f', 'Reads requirement', 'functional', 'A requirement for the reads tests',
        ARRAY['Given a read then it works'], created_by_identity_id => :'dev')->'data'->>'requirement_id') AS r \gset
SELECT claude.start_task(:'t2', :'dev') IS NOT NULL AS ok \gset

-- one row by id
SELECT is((claude.get_task(:'t1')).task_name, 'Reads task one', 'get_task returns the row');
SELECT is((claude.get_requirement(:'r')).requirement_name, 'Reads requirement', 'get_requirement returns the row');
SELECT is((claude.get_component(:'c')).component_name, 'Reads component', 'get_component returns the row');
SELECT is((claude.get_feature(:'f')).feature_name, 'Reads feature', 'get_feature returns the row');
SELECT throws_ok($$SELECT claude.get_task('00000000-0000-4000-8000-000000000000')$$, 'P0002',
                 'task 00000000-0000-4000-8000-000000000000 does not exist', 'get_task: P0002 from the database');
SELECT throws_ok(format($$SELECT claude.get_%s('00000000-0000-4000-8000-000000000000')$$, e), 'P0002', NULL,
                 format('get_%s: P0002 for a missing row', e))
  FROM unnest(ARRAY['project', 'identity', 'feature', 'component', 'requirement']) AS e;

-- pages by filter
-- both tasks were written in this transaction, so they share created_at and the id orders them
SELECT results_eq(format($$SELECT task_id FROM claude.list_tasks(feature_id => %L)$$, :'f'),
                  format($$SELECT task_id FROM claude.build_tasks WHERE feature_id = %L ORDER BY created_at, task_id$$, :'f'),
                  'list_tasks by feature, oldest first, ties by id');
SELECT is(ARRAY(SELECT task_name FROM claude.list_tasks(project_id => :'p2')), ARRAY['Other task'],
          'list_tasks by project');
SELECT is(ARRAY(SELECT task_name FROM claude.list_tasks(feature_id => :'f', status => 'in_progress',
                                                        assigned_to_identity_id => :'dev')),
          ARRAY['Reads task two'], 'list_tasks by status and assignee');
SELECT is(ARRAY(SELECT t.task_id FROM claude.list_tasks(feature_id => :'f', max_rows => 1) AS first,
                     LATERAL claude.list_tasks(feature_id => :'f', after => first.created_at,
                                               after_id => first.task_id) AS t),
          ARRAY(SELECT x.task_id FROM claude.build_tasks x
                 WHERE x.feature_id = :'f'
                   AND x.task_id <> (SELECT l.task_id FROM claude.list_tasks(feature_id => :'f', max_rows => 1) AS l)),
          'list_tasks pages after a (created_at, id) keyset: the second page holds the other task');
SELECT is((SELECT count(*) FROM claude.list_tasks(feature_id => :'f', max_rows => 1)), 1::bigint,
          'max_rows bounds the page');
SELECT throws_ok($$SELECT * FROM claude.list_tasks(status => 'bogus')$$, '23514',
                 'cannot list tasks: status must be one of blocked, cancelled, completed, in_progress, review, todo',
                 'an unknown status filter is a 23514, not an empty page');
SELECT is(ARRAY(SELECT feature_name FROM claude.list_features(project_id => :'p')), ARRAY['Reads feature'],
          'list_features by project');
SELECT is(ARRAY(SELECT component_name FROM claude.list_components(feature_id => :'f')), ARRAY['Reads component'],
          'list_components by feature');
SELECT is(ARRAY(SELECT requirement_name FROM claude.list_requirements(feature_id => :'f', status => 'draft')),
          ARRAY['Reads requirement'], 'list_requirements by feature and status');
SELECT ok((SELECT count(*) FROM claude.list_projects() WHERE project_name IN ('Reads project', 'Other reads project')) = 2,
          'list_projects lists projects');

-- ids people can type
SELECT is(claude.resolve_id('build_task', :'t1'), :'t1'::uuid, 'a whole id resolves to itself');
SELECT is(claude.resolve_id('build_task', left(:'t1', 8)), :'t1'::uuid, 'an 8-character prefix resolves');
SELECT is(claude.resolve_id('build_task', upper(left(:'t1', 13))), :'t1'::uuid,
          'a prefix with its hyphen, in capitals, resolves');
SELECT is(claude.resolve_id('project', 'Reads project'), :'p'::uuid, 'a project by name');
SELECT is(claude.resolve_id('identity', 'reads-dev'), :'dev'::uuid, 'an identity by name');
SELECT throws_ok(format($$SELECT claude.resolve_id('build_task', %L)$$, left(:'t1', 7)), '23514',
                 format('cannot resolve a build task id: "%s" is neither an id nor a prefix of at least 8 hex characters', left(:'t1', 7)),
                 'seven characters are not a prefix: a malformed argument (23514)');
SELECT throws_ok($$SELECT claude.resolve_id('build_task', '00000000-dead')$$, 'P0002', NULL,
                 'a well-formed prefix that no row has is P0002');
SELECT throws_ok($$SELECT claude.resolve_id('project', 'No such project')$$, 'P0002',
                 'no project matches "No such project"', 'P0002 when nothing matches');
SELECT throws_ok($$SELECT claude.resolve_id('sprint', 'abcdef12')$$, '23514', NULL, 'an unknown entity type is 23514');
-- an ambiguous prefix lists every candidate with its id
INSERT INTO claude.identities (identity_id, identity_name)
VALUES ('abcdef12-0000-4000-8000-000000000001', 'twin-one'), ('abcdef12-0000-4000-8000-000000000002', 'twin-two');
SELECT throws_ok($$SELECT claude.resolve_id('identity', 'abcdef12')$$, '23514', NULL,
                 'an ambiguous prefix is 23514');
SELECT is(pg_temp.err($$SELECT claude.resolve_id('identity', 'abcdef12')$$) #> '{detail,errors}',
          '[{"code": "23514", "field": "identity_id", "message": "candidate abcdef12-0000-4000-8000-000000000001 (twin-one)",
             "entity_id": "abcdef12-0000-4000-8000-000000000001"},
            {"code": "23514", "field": "identity_id", "message": "candidate abcdef12-0000-4000-8000-000000000002 (twin-two)",
             "entity_id": "abcdef12-0000-4000-8000-000000000002"}]'::jsonb,
          'each candidate is an error item carrying its entity_id');

SELECT * FROM finish();
ROLLBACK;
