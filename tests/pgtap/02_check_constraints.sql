-- Check, NOT NULL and unique constraints of schema claude (SPEC sections 2, 3).
-- Every check constraint gets at least one accepted and one refused row.
--
-- Two ways of writing rows are used:
--  * origin mode (the default): rows a client could write, in their initial
--    status (features not_started, components planned, tasks todo,
--    requirements draft) with names long enough for the workflow rules.
--    Refusals there only assert SQLSTATE 23514, which holds whether a
--    workflow trigger or the constraint itself catches the value.
--  * session_replication_role = replica: ordinary triggers do not fire, but
--    check and NOT NULL constraints still apply, so the constraint itself is
--    tested; these refusals also assert the constraint's name in the message.
--    Used for rows in other statuses, the timestamp consistency rules,
--    NOT NULL and the unique constraints (the rule triggers report those
--    earlier, with their own SQLSTATEs). Foreign keys are not enforced in this mode (they are
--    triggers), so every row still names existing parents.
BEGIN;
SELECT plan(295);

-- ------------------------------------------------------------------ fixture
INSERT INTO claude.projects (project_id, project_name)
VALUES ('b1000000-0000-4000-8000-000000000001', 'Check constraint project');
INSERT INTO claude.identities (identity_id, identity_name)
VALUES ('b2000000-0000-4000-8000-000000000001', 'check-constraint-agent');
INSERT INTO claude.features (feature_id, project_id, feature_name, feature_type, description)
VALUES ('b3000000-0000-4000-8000-000000000001', 'b1000000-0000-4000-8000-000000000001',
        'Check constraint feature', 'feature', 'The feature every checked row hangs from.'),
       ('b3000000-0000-4000-8000-000000000002', 'b1000000-0000-4000-8000-000000000001',
        'Second check constraint feature', 'feature', 'A second feature, for per-feature uniqueness.');
INSERT INTO claude.components (component_id, feature_id, component_name, component_type)
VALUES ('b4000000-0000-4000-8000-000000000001', 'b3000000-0000-4000-8000-000000000001',
        'CheckService', 'service');
INSERT INTO claude.build_tasks (task_id, feature_id, task_name, task_description, task_type)
VALUES ('b5000000-0000-4000-8000-000000000001', 'b3000000-0000-4000-8000-000000000001',
        'Blocking task', 'A task other tasks may wait for.', 'code');

-- ------------------------------------------------------------------ inventory (1 test)
-- A new check constraint must come with tests here.
SELECT set_eq(
    $$SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint
       WHERE connamespace = 'claude'::regnamespace AND contype = 'c'
         AND conrelid::regclass::text IN ('claude.projects', 'claude.identities', 'claude.features',
             'claude.components', 'claude.build_tasks', 'claude.requirements', 'claude.activity_feed')$$,
    $$VALUES ('claude.projects.chk_projects_name_not_blank'),
             ('claude.identities.chk_identities_name_not_blank'),
             ('claude.features.chk_feature_status'), ('claude.features.chk_feature_type'),
             ('claude.features.chk_feature_priority'), ('claude.features.chk_completion_percentage'),
             ('claude.features.chk_features_not_own_parent'), ('claude.features.chk_features_started_date'),
             ('claude.features.chk_features_completed_date'),
             ('claude.components.chk_component_status'), ('claude.components.chk_component_type'),
             ('claude.components.chk_component_lines_of_code'), ('claude.components.chk_component_coverage'),
             ('claude.components.chk_components_implemented_at'),
             ('claude.build_tasks.chk_task_status'), ('claude.build_tasks.chk_task_type'),
             ('claude.build_tasks.chk_task_priority'), ('claude.build_tasks.chk_task_estimated_hours'),
             ('claude.build_tasks.chk_task_actual_hours'), ('claude.build_tasks.chk_tasks_not_blocked_by_self'),
             ('claude.build_tasks.chk_tasks_started_at'), ('claude.build_tasks.chk_tasks_completed_at'),
             ('claude.requirements.chk_requirement_status'), ('claude.requirements.chk_requirement_type'),
             ('claude.requirements.chk_requirement_priority'), ('claude.requirements.chk_requirements_verified_at'),
             ('claude.requirements.chk_requirements_must_have_not_rejected'),
             ('claude.activity_feed.chk_activity_source_type'), ('claude.activity_feed.chk_activity_type'),
             ('claude.activity_feed.chk_activity_severity'), ('claude.activity_feed.chk_activity_title_length'),
             ('claude.projects.chk_projects_name_length'), ('claude.identities.chk_identities_name_length'),
             ('claude.features.chk_feature_name_length'), ('claude.components.chk_component_name_length'),
             ('claude.build_tasks.chk_task_name_length'), ('claude.requirements.chk_requirement_name_length'),
             ('claude.activity_feed.chk_activity_actor_length'), ('claude.activity_feed.chk_activity_project_name_length'),
             ('claude.activity_feed.chk_activity_job_finding_length'), ('claude.activity_feed.chk_activity_origin'),
             ('claude.features.chk_feature_labels'), ('claude.build_tasks.chk_task_labels'),
             ('claude.build_tasks.chk_task_lease')$$,
    'the 44 check constraints of the seven tables are exactly the ones tested here');

-- ------------------------------------------------------------------ length limits (18 tests)
-- Names and indexed feed columns are bounded, so no value can outgrow an index row.
SELECT lives_ok($$INSERT INTO claude.projects (project_name) VALUES (repeat('p', 255))$$,
                'chk_projects_name_length: a 255-character project name is accepted');
SELECT throws_ok($$INSERT INTO claude.projects (project_name) VALUES (repeat('p', 256))$$, '23514', NULL,
                 'chk_projects_name_length: a 256-character project name is refused');
SELECT lives_ok($$INSERT INTO claude.identities (identity_name) VALUES (repeat('i', 255))$$,
                'chk_identities_name_length: a 255-character identity name is accepted');
SELECT throws_ok($$INSERT INTO claude.identities (identity_name) VALUES (repeat('i', 256))$$, '23514', NULL,
                 'chk_identities_name_length: a 256-character identity name is refused');
SELECT lives_ok($$INSERT INTO claude.features (project_id, feature_name, feature_type)
                  VALUES ('b1000000-0000-4000-8000-000000000001', repeat('f', 255), 'feature')$$,
                'chk_feature_name_length: a 255-character feature name is accepted');
SELECT throws_ok($$INSERT INTO claude.features (project_id, feature_name, feature_type)
                   VALUES ('b1000000-0000-4000-8000-000000000001', repeat('f', 256), 'feature')$$, '23514', NULL,
                 'chk_feature_name_length: a 256-character feature name is refused');
SELECT lives_ok($$INSERT INTO claude.components (feature_id, component_name, component_type)
                  VALUES ('b3000000-0000-4000-8000-000000000001', repeat('c', 255), 'service')$$,
                'chk_component_name_length: a 255-character component name is accepted');
SELECT throws_ok($$INSERT INTO claude.components (feature_id, component_name, component_type)
                   VALUES ('b3000000-0000-4000-8000-000000000001', repeat('c', 256), 'service')$$, '23514', NULL,
                 'chk_component_name_length: a 256-character component name is refused');
SELECT lives_ok($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type)
                  VALUES ('b3000000-0000-4000-8000-000000000001', repeat('t', 255), 'A long-named task.', 'code')$$,
                'chk_task_name_length: a 255-character task name is accepted');
SELECT throws_ok($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type)
                   VALUES ('b3000000-0000-4000-8000-000000000001', repeat('t', 256), 'A long-named task.', 'code')$$,
                 '23514', NULL, 'chk_task_name_length: a 256-character task name is refused');
SELECT lives_ok($$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                                   acceptance_criteria, created_by_identity_id)
                  VALUES ('b3000000-0000-4000-8000-000000000001', repeat('r', 255), 'functional',
                          'A requirement with a very long name.', '{"it should work"}',
                          'b2000000-0000-4000-8000-000000000001')$$,
                'chk_requirement_name_length: a 255-character requirement name is accepted');
SELECT throws_ok($$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                                    acceptance_criteria, created_by_identity_id)
                   VALUES ('b3000000-0000-4000-8000-000000000001', repeat('r', 256), 'functional',
                           'A requirement with a very long name.', '{"it should work"}',
                           'b2000000-0000-4000-8000-000000000001')$$, '23514', NULL,
                 'chk_requirement_name_length: a 256-character requirement name is refused');
-- the feed's own rows are written by the database (bt00_stamp refuses a direct
-- INSERT): its constraints are tested in replica mode, where triggers do not fire
SET LOCAL session_replication_role = replica;
SELECT lives_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title, actor, project_name)
                  VALUES ('system', 'updated', 'Long actor', repeat('a', 255), repeat('p', 255))$$,
                'chk_activity_actor_length, chk_activity_project_name_length: 255 characters are accepted');
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title, actor)
                   VALUES ('system', 'updated', 'Long actor', repeat('a', 256))$$, '23514', NULL,
                 'chk_activity_actor_length: a 256-character actor is refused');
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title, project_name)
                   VALUES ('system', 'updated', 'Long project', repeat('p', 256))$$, '23514', NULL,
                 'chk_activity_project_name_length: a 256-character project name is refused');
SELECT lives_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title, changes)
                  VALUES ('system', 'updated', 'Finding', jsonb_build_object('job_finding', repeat('j', 255)))$$,
                'chk_activity_job_finding_length: a 255-character finding key is accepted');
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title, changes)
                   VALUES ('system', 'updated', 'Finding', jsonb_build_object('job_finding', repeat('j', 256)))$$,
                 '23514', NULL, 'chk_activity_job_finding_length: a 256-character finding key is refused');
RESET session_replication_role;
SELECT throws_ok($$SELECT claude.add_feature(feature_name => 'Long actor feature', feature_type => 'ui',
                      project_id => 'b1000000-0000-4000-8000-000000000001', actor => repeat('x', 1000000))$$,
                 '23514', NULL, 'a call whose actor is too long for the feed is refused with 23514, not an index error');

-- ================================================================== origin mode
-- ------------------------------------------------------------------ projects, identities (6 tests)
SELECT lives_ok($$INSERT INTO claude.projects (project_name) VALUES ('A valid project')$$,
                'projects: a named project is accepted');
SELECT lives_ok($$INSERT INTO claude.identities (identity_name) VALUES ('a-valid-agent')$$,
                'identities: a named identity is accepted');
SELECT throws_ok(format('INSERT INTO claude.projects (project_name) VALUES (%L)', n), '23514', NULL,
                 format('chk_projects_name_not_blank: project_name %s is refused', d))
  FROM (VALUES ('', 'empty'), ('   ', 'of spaces only')) AS v(n, d);
SELECT throws_ok(format('INSERT INTO claude.identities (identity_name) VALUES (%L)', n), '23514', NULL,
                 format('chk_identities_name_not_blank: identity_name %s is refused', d))
  FROM (VALUES ('', 'empty'), ('   ', 'of spaces only')) AS v(n, d);

-- Unique names, as a client sees them (2 tests). The workflow rule triggers
-- report a duplicate as an invalid value (SPEC section 6: 23514); the unique
-- constraints themselves (23505) are tested in replica mode below.
SELECT throws_ok($$INSERT INTO claude.projects (project_name) VALUES ('Check constraint project')$$,
                 '23514', NULL, 'uq_projects_name: a duplicate project_name is refused');
SELECT throws_ok($$INSERT INTO claude.identities (identity_name) VALUES ('check-constraint-agent')$$,
                 '23514', NULL, 'uq_identities_name: a duplicate identity_name is refused');

-- ------------------------------------------------------------------ features
-- Every feature_type (9 tests) and two refused ones (2 tests).
SELECT lives_ok(format($$INSERT INTO claude.features (project_id, feature_name, feature_type, description)
                         VALUES ('b1000000-0000-4000-8000-000000000001', %L, %L,
                                 'A feature of every allowed type.')$$, 'Typed feature ' || ty, ty),
                format('chk_feature_type: feature_type %s is accepted', ty))
  FROM unnest(ARRAY['feature', 'enhancement', 'bug_fix', 'refactoring', 'integration',
                    'infrastructure', 'ui', 'api', 'data']) AS ty;
SELECT throws_ok(format($$INSERT INTO claude.features (project_id, feature_name, feature_type)
                          VALUES ('b1000000-0000-4000-8000-000000000001', 'Badly typed feature', %L)$$, ty),
                 '23514', NULL, format('chk_feature_type: feature_type %s is refused', ty))
  FROM unnest(ARRAY['system', 'Feature']) AS ty;

-- priority 1..10 (4 tests), completion_percentage 0..100 (4 tests).
SELECT lives_ok(format($$INSERT INTO claude.features (project_id, feature_name, feature_type, priority)
                         VALUES ('b1000000-0000-4000-8000-000000000001', %L, 'feature', %s)$$,
                       'Priority feature ' || p, p),
                format('chk_feature_priority: priority %s is accepted', p))
  FROM unnest(ARRAY[1, 10]) AS p;
SELECT throws_ok(format($$INSERT INTO claude.features (project_id, feature_name, feature_type, priority)
                          VALUES ('b1000000-0000-4000-8000-000000000001', 'Priority feature', 'feature', %s)$$, p),
                 '23514', NULL, format('chk_feature_priority: priority %s is refused', p))
  FROM unnest(ARRAY[0, 11]) AS p;
SELECT lives_ok(format($$INSERT INTO claude.features (project_id, feature_name, feature_type, completion_percentage)
                         VALUES ('b1000000-0000-4000-8000-000000000001', %L, 'feature', %s)$$,
                       'Percentage feature ' || p, p),
                format('chk_completion_percentage: completion_percentage %s is accepted', p))
  FROM unnest(ARRAY[0, 100]) AS p;
SELECT throws_ok(format($$INSERT INTO claude.features (project_id, feature_name, feature_type, completion_percentage)
                          VALUES ('b1000000-0000-4000-8000-000000000001', 'Percentage feature', 'feature', %s)$$, p),
                 '23514', NULL, format('chk_completion_percentage: completion_percentage %s is refused', p))
  FROM unnest(ARRAY[-1, 101]) AS p;

-- A feature with another feature as parent is fine; its own parent is not (2 tests).
SELECT lives_ok($$INSERT INTO claude.features (project_id, parent_feature_id, feature_name, feature_type)
                  VALUES ('b1000000-0000-4000-8000-000000000001', 'b3000000-0000-4000-8000-000000000001',
                          'Child feature', 'feature')$$,
                'chk_features_not_own_parent: another feature as parent is accepted');
SELECT throws_ok($$INSERT INTO claude.features (feature_id, project_id, parent_feature_id, feature_name, feature_type)
                   VALUES ('b3000000-0000-4000-8000-0000000000ff', 'b1000000-0000-4000-8000-000000000001',
                           'b3000000-0000-4000-8000-0000000000ff', 'Own parent feature', 'feature')$$,
                 '23514', NULL, 'chk_features_not_own_parent: a feature that is its own parent is refused');

-- ------------------------------------------------------------------ components
-- Every component_type (17 tests) and refused legacy ones (3 tests).
SELECT lives_ok(format($$INSERT INTO claude.components (feature_id, component_name, component_type)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L, %L)$$, 'Typed ' || ty, ty),
                format('chk_component_type: component_type %s is accepted', ty))
  FROM unnest(ARRAY['ui_component', 'page', 'layout', 'dialog', 'hook', 'store', 'api_endpoint',
                    'service', 'repository', 'middleware', 'worker', 'database', 'module', 'utility',
                    'config', 'types', 'test']) AS ty;
SELECT throws_ok(format($$INSERT INTO claude.components (feature_id, component_name, component_type)
                          VALUES ('b3000000-0000-4000-8000-000000000001', 'Badly typed', %L)$$, ty),
                 '23514', NULL, format('chk_component_type: component_type %s is refused', ty))
  FROM unnest(ARRAY['component', 'api', 'crud']) AS ty;

-- lines_of_code >= 0 (2 tests), coverage 0..100 (4 tests).
SELECT lives_ok($$INSERT INTO claude.components (feature_id, component_name, component_type, lines_of_code)
                  VALUES ('b3000000-0000-4000-8000-000000000001', 'EmptyModule', 'module', 0)$$,
                'chk_component_lines_of_code: lines_of_code 0 is accepted');
SELECT throws_ok($$INSERT INTO claude.components (feature_id, component_name, component_type, lines_of_code)
                   VALUES ('b3000000-0000-4000-8000-000000000001', 'NegativeModule', 'module', -1)$$,
                 '23514', NULL, 'chk_component_lines_of_code: lines_of_code -1 is refused');
SELECT lives_ok(format($$INSERT INTO claude.components (feature_id, component_name, component_type, test_coverage_percentage)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L, 'module', %s)$$,
                       'Covered ' || c, c),
                format('chk_component_coverage: test_coverage_percentage %s is accepted', c))
  FROM unnest(ARRAY[0, 100.00]) AS c;
SELECT throws_ok(format($$INSERT INTO claude.components (feature_id, component_name, component_type, test_coverage_percentage)
                          VALUES ('b3000000-0000-4000-8000-000000000001', 'Overcovered', 'module', %s)$$, c),
                 '23514', NULL, format('chk_component_coverage: test_coverage_percentage %s is refused', c))
  FROM unnest(ARRAY[-0.01, 100.01]) AS c;

-- Names are unique within a feature, not across features (2 tests).
SELECT throws_ok($$INSERT INTO claude.components (feature_id, component_name, component_type)
                   VALUES ('b3000000-0000-4000-8000-000000000001', 'CheckService', 'service')$$,
                 '23514', NULL, 'uq_components_feature_name: a duplicate component_name within a feature is refused');
SELECT lives_ok($$INSERT INTO claude.components (feature_id, component_name, component_type)
                  VALUES ('b3000000-0000-4000-8000-000000000002', 'CheckService', 'service')$$,
                'uq_components_feature_name: the same component_name in another feature is accepted');

-- ------------------------------------------------------------------ build_tasks
-- Every task_type (10 tests) and a refused one (1 test).
SELECT lives_ok(format($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L,
                                 'A task of every allowed type.', %L)$$, 'Typed task ' || ty, ty),
                format('chk_task_type: task_type %s is accepted', ty))
  FROM unnest(ARRAY['code', 'test', 'review', 'design', 'documentation', 'research', 'bug_fix',
                    'refactor', 'deployment', 'meeting']) AS ty;
SELECT throws_ok($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type)
                   VALUES ('b3000000-0000-4000-8000-000000000001', 'Badly typed task',
                           'A task with a type that does not exist.', 'coding')$$,
                 '23514', NULL, 'chk_task_type: task_type coding is refused');

-- priority (4 tests), estimated_hours (3 tests).
SELECT lives_ok(format($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, priority)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L,
                                 'A task with a boundary priority.', 'code', %s)$$, 'Priority task ' || p, p),
                format('chk_task_priority: priority %s is accepted', p))
  FROM unnest(ARRAY[1, 10]) AS p;
SELECT throws_ok(format($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, priority)
                          VALUES ('b3000000-0000-4000-8000-000000000001', 'Priority task',
                                  'A task with a bad priority.', 'code', %s)$$, p),
                 '23514', NULL, format('chk_task_priority: priority %s is refused', p))
  FROM unnest(ARRAY[0, 11]) AS p;
SELECT lives_ok($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, estimated_hours)
                  VALUES ('b3000000-0000-4000-8000-000000000001', 'Estimated task',
                          'A task with a small estimate.', 'code', 0.25)$$,
                'chk_task_estimated_hours: estimated_hours 0.25 is accepted');
SELECT throws_ok(format($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, estimated_hours)
                          VALUES ('b3000000-0000-4000-8000-000000000001', 'Estimated task',
                                  'A task with an impossible estimate.', 'code', %s)$$, h),
                 '23514', NULL, format('chk_task_estimated_hours: estimated_hours %s is refused', h))
  FROM unnest(ARRAY[0, -1]) AS h;

-- Blocked by another task is fine; by itself is not (2 tests).
SELECT lives_ok($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, blocked_by_task_id)
                  VALUES ('b3000000-0000-4000-8000-000000000001', 'Waiting task',
                          'A task that waits for another.', 'code', 'b5000000-0000-4000-8000-000000000001')$$,
                'chk_tasks_not_blocked_by_self: another task as blocker is accepted');
SELECT throws_ok($$INSERT INTO claude.build_tasks (task_id, feature_id, task_name, task_description, task_type, blocked_by_task_id)
                   VALUES ('b5000000-0000-4000-8000-0000000000ff', 'b3000000-0000-4000-8000-000000000001',
                           'Self-blocked task', 'A task that waits for itself.', 'code',
                           'b5000000-0000-4000-8000-0000000000ff')$$,
                 '23514', NULL, 'chk_tasks_not_blocked_by_self: a task blocked by itself is refused');

-- ------------------------------------------------------------------ requirements
-- Every requirement_type (12 tests) and a refused one (1 test).
SELECT lives_ok(format($$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                                          acceptance_criteria, created_by_identity_id)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L, %L,
                                 'A requirement of every allowed type.', ARRAY['It must be accepted'],
                                 'b2000000-0000-4000-8000-000000000001')$$, 'Typed requirement ' || ty, ty),
                format('chk_requirement_type: requirement_type %s is accepted', ty))
  FROM unnest(ARRAY['ui', 'api', 'data', 'integration', 'functional', 'performance', 'security',
                    'usability', 'accessibility', 'compliance', 'config', 'deployment']) AS ty;
SELECT throws_ok($$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                                    acceptance_criteria, created_by_identity_id)
                   VALUES ('b3000000-0000-4000-8000-000000000001', 'Badly typed requirement', 'business',
                           'A requirement with a type that does not exist.', ARRAY['It must be refused'],
                           'b2000000-0000-4000-8000-000000000001')$$,
                 '23514', NULL, 'chk_requirement_type: requirement_type business is refused');

-- priority (4 tests), must_have on a draft (1 test).
SELECT lives_ok(format($$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                                          acceptance_criteria, created_by_identity_id, priority)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L, 'functional',
                                 'A requirement with a boundary priority.', ARRAY['It must be accepted'],
                                 'b2000000-0000-4000-8000-000000000001', %s)$$, 'Priority requirement ' || p, p),
                format('chk_requirement_priority: priority %s is accepted', p))
  FROM unnest(ARRAY[1, 10]) AS p;
SELECT throws_ok(format($$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                                           acceptance_criteria, created_by_identity_id, priority)
                          VALUES ('b3000000-0000-4000-8000-000000000001', 'Priority requirement', 'functional',
                                  'A requirement with a bad priority.', ARRAY['It must be refused'],
                                  'b2000000-0000-4000-8000-000000000001', %s)$$, p),
                 '23514', NULL, format('chk_requirement_priority: priority %s is refused', p))
  FROM unnest(ARRAY[0, 11]) AS p;
SELECT lives_ok($$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                                   acceptance_criteria, created_by_identity_id, must_have)
                  VALUES ('b3000000-0000-4000-8000-000000000001', 'Must-have requirement', 'functional',
                          'A must-have requirement in draft.', ARRAY['It must be accepted'],
                          'b2000000-0000-4000-8000-000000000001', true)$$,
                'chk_requirements_must_have_not_rejected: a must-have draft is accepted');

-- ------------------------------------------------------------------ activity_feed
-- Every source_type (7), activity_type (11), severity (4), origin (5) and a
-- refused one of each (4); in replica mode, past the stamping trigger.
SET LOCAL session_replication_role = replica;
SELECT lives_ok(format($$INSERT INTO claude.activity_feed (source_type, activity_type, title, origin)
                         VALUES ('system', 'created', 'origin test', %L)$$, o),
                format('chk_activity_origin: origin %s is accepted', o))
  FROM unnest(ARRAY['trigger', 'caller', 'job', 'system', 'unrecorded']) AS o;
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title, origin)
                   VALUES ('system', 'created', 'bad origin', 'forged')$$,
                 '23514', NULL, 'chk_activity_origin: origin forged is refused');
SELECT lives_ok(format($$INSERT INTO claude.activity_feed (source_type, activity_type, title)
                         VALUES (%L, 'created', 'source type test')$$, s),
                format('chk_activity_source_type: source_type %s is accepted', s))
  FROM unnest(ARRAY['feature', 'component', 'build_task', 'requirement', 'project', 'identity', 'system']) AS s;
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title)
                   VALUES ('task', 'created', 'bad source type')$$,
                 '23514', NULL, 'chk_activity_source_type: source_type task is refused');
SELECT lives_ok(format($$INSERT INTO claude.activity_feed (source_type, activity_type, title)
                         VALUES ('feature', %L, 'activity type test')$$, a),
                format('chk_activity_type: activity_type %s is accepted', a))
  FROM unnest(ARRAY['created', 'updated', 'status_changed', 'completed', 'started', 'assigned',
                    'blocked', 'unblocked', 'verified', 'cancelled', 'deleted']) AS a;
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title)
                   VALUES ('feature', 'approved', 'bad activity type')$$,
                 '23514', NULL, 'chk_activity_type: activity_type approved is refused');
SELECT lives_ok(format($$INSERT INTO claude.activity_feed (source_type, activity_type, title, severity)
                         VALUES ('system', 'updated', 'severity test', %L)$$, s),
                format('chk_activity_severity: severity %s is accepted', s))
  FROM unnest(ARRAY['info', 'warning', 'error', 'success']) AS s;
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title, severity)
                   VALUES ('system', 'updated', 'bad severity', 'critical')$$,
                 '23514', NULL, 'chk_activity_severity: severity critical is refused');

-- title at most 255 characters, counted as characters, not bytes (3 tests).
SELECT lives_ok(format($$INSERT INTO claude.activity_feed (source_type, activity_type, title) VALUES ('system', 'updated', %L)$$,
                       repeat('x', 255)),
                'chk_activity_title_length: a title of exactly 255 characters is accepted');
SELECT lives_ok(format($$INSERT INTO claude.activity_feed (source_type, activity_type, title) VALUES ('system', 'updated', %L)$$,
                       repeat('é', 255)),
                'chk_activity_title_length: 255 two-byte characters are accepted');
SELECT throws_ok(format($$INSERT INTO claude.activity_feed (source_type, activity_type, title) VALUES ('system', 'updated', %L)$$,
                        repeat('x', 256)),
                 '23514', NULL, 'chk_activity_title_length: a title of 256 characters is refused');
RESET session_replication_role;

-- ================================================================== replica mode
SET LOCAL session_replication_role = replica;

-- ------------------------------------------------------------------ every status value (25 tests)
-- Each status with the timestamps its consistency rule asks for.
SELECT lives_ok(format($$INSERT INTO claude.features (project_id, feature_name, feature_type, description,
                                                      status, started_date, completed_date)
                         VALUES ('b1000000-0000-4000-8000-000000000001', %L, 'feature',
                                 'A feature in every allowed status.', %L, %L, %L)$$,
                       'Status feature ' || s, s, sd, cd),
                format('chk_feature_status: status %s is accepted', s))
  FROM (VALUES ('not_started', NULL, NULL), ('planned', NULL, NULL),
               ('in_progress', '2024-01-01', NULL), ('blocked', '2024-01-01', NULL),
               ('on_hold', '2024-01-01', NULL), ('completed', '2024-01-01', '2024-01-02'),
               ('cancelled', NULL, NULL)) AS v(s, sd, cd);
SELECT lives_ok(format($$INSERT INTO claude.components (feature_id, component_name, component_type, status, implemented_at)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L, 'service', %L, %L)$$,
                       'Status ' || s, s, ia),
                format('chk_component_status: status %s is accepted', s))
  FROM (VALUES ('planned', NULL), ('in_progress', NULL), ('completed', '2024-01-02'),
               ('tested', '2024-01-02'), ('documented', '2024-01-02'), ('deprecated', NULL)) AS v(s, ia);
SELECT lives_ok(format($$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type,
                                                         status, assigned_to_identity_id, started_at, completed_at, actual_hours)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L, 'A task in every allowed status.',
                                 'code', %L, 'b2000000-0000-4000-8000-000000000001', %L, %L, %L)$$,
                       'Status task ' || s, s, sa, ca, ah),
                format('chk_task_status: status %s is accepted', s))
  FROM (VALUES ('todo', NULL, NULL, NULL), ('in_progress', '2024-01-01', NULL, NULL),
               ('blocked', '2024-01-01', NULL, NULL), ('review', '2024-01-01', NULL, NULL),
               ('completed', '2024-01-01', '2024-01-02', '3.5'), ('cancelled', NULL, NULL, NULL)) AS v(s, sa, ca, ah);
SELECT lives_ok(format($$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                                          acceptance_criteria, created_by_identity_id, status, verified_at)
                         VALUES ('b3000000-0000-4000-8000-000000000001', %L, 'functional',
                                 'A requirement in every allowed status.', ARRAY['It must be accepted'],
                                 'b2000000-0000-4000-8000-000000000001', %L, %L)$$,
                       'Status requirement ' || s, s, va),
                format('chk_requirement_status: status %s is accepted', s))
  FROM (VALUES ('draft', NULL), ('defined', NULL), ('approved', NULL), ('implemented', NULL),
               ('verified', '2024-01-03'), ('rejected', NULL)) AS v(s, va);

-- ------------------------------------------------------------------ refused rows, by constraint
-- Each statement breaks exactly one constraint, named in the expected message.
CREATE TEMP TABLE refused (k name, t name, d text, q text) ON COMMIT DROP;
INSERT INTO refused VALUES
-- status values outside the lists (4)
('chk_feature_status', 'features', 'status done',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Unknown status feature', 'feature', 'done')$$),
('chk_component_status', 'components', 'legacy status complete',
 $$INSERT INTO claude.components (feature_id, component_name, component_type, status)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'UnknownStatus', 'service', 'complete')$$),
('chk_task_status', 'build_tasks', 'status done',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Unknown status task', 'A task in no known status.', 'code', 'done')$$),
('chk_requirement_status', 'requirements', 'status accepted',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                    acceptance_criteria, created_by_identity_id, status)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Unknown status requirement', 'functional',
           'A requirement in no known status.', ARRAY['It must be refused'],
           'b2000000-0000-4000-8000-000000000001', 'accepted')$$),
-- self references, with the triggers out of the way (2)
('chk_features_not_own_parent', 'features', 'a feature that is its own parent',
 $$INSERT INTO claude.features (feature_id, project_id, parent_feature_id, feature_name, feature_type)
   VALUES ('b3000000-0000-4000-8000-0000000000fe', 'b1000000-0000-4000-8000-000000000001',
           'b3000000-0000-4000-8000-0000000000fe', 'Own parent feature', 'feature')$$),
('chk_tasks_not_blocked_by_self', 'build_tasks', 'a task blocked by itself',
 $$INSERT INTO claude.build_tasks (task_id, feature_id, task_name, task_description, task_type, blocked_by_task_id)
   VALUES ('b5000000-0000-4000-8000-0000000000fe', 'b3000000-0000-4000-8000-000000000001',
           'Self-blocked task', 'A task that waits for itself.', 'code', 'b5000000-0000-4000-8000-0000000000fe')$$),
-- labels and leases (SPEC section 10) (5)
('chk_task_labels', 'build_tasks', 'an upper-case label',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, labels)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Labelled task', 'A task with a bad label.', 'code', '{Backend}')$$),
('chk_task_labels', 'build_tasks', 'a label twice',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, labels)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Labelled task', 'A task with a label twice.', 'code', '{db,db}')$$),
('chk_task_labels', 'build_tasks', 'a 51-character label',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, labels)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Labelled task', 'A task with a long label.', 'code',
           ARRAY[repeat('a', 51)])$$),
('chk_feature_labels', 'features', 'a label starting with a hyphen',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, labels)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Labelled feature', 'feature', '{-ui}')$$),
('chk_task_lease', 'build_tasks', 'a lease on a todo task',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, lease_expires_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Leased task', 'A todo task holding a lease.', 'code', '2024-01-01')$$),
-- features.started_date (6)
('chk_features_started_date', 'features', 'not_started with a started_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, started_date)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Early start feature', 'feature', 'not_started', '2024-01-01')$$),
('chk_features_started_date', 'features', 'planned with a started_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, started_date)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Early start feature', 'feature', 'planned', '2024-01-01')$$),
('chk_features_started_date', 'features', 'in_progress without a started_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Unstarted feature', 'feature', 'in_progress')$$),
('chk_features_started_date', 'features', 'blocked without a started_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Unstarted feature', 'feature', 'blocked')$$),
('chk_features_started_date', 'features', 'on_hold without a started_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Unstarted feature', 'feature', 'on_hold')$$),
('chk_features_started_date', 'features', 'completed without a started_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, completed_date)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Unstarted feature', 'feature', 'completed', '2024-01-02')$$),
-- features.completed_date (4)
('chk_features_completed_date', 'features', 'completed without a completed_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, started_date)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Undated feature', 'feature', 'completed', '2024-01-01')$$),
('chk_features_completed_date', 'features', 'in_progress with a completed_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, started_date, completed_date)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Premature feature', 'feature', 'in_progress', '2024-01-01', '2024-01-02')$$),
('chk_features_completed_date', 'features', 'cancelled with a completed_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, completed_date)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Cancelled feature', 'feature', 'cancelled', '2024-01-02')$$),
('chk_features_completed_date', 'features', 'completed_date before started_date',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, started_date, completed_date)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Backwards feature', 'feature', 'completed', '2024-01-02', '2024-01-01')$$),
-- components.implemented_at (5)
('chk_components_implemented_at', 'components', 'planned with an implemented_at',
 $$INSERT INTO claude.components (feature_id, component_name, component_type, status, implemented_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'EarlyComponent', 'service', 'planned', '2024-01-01')$$),
('chk_components_implemented_at', 'components', 'in_progress with an implemented_at',
 $$INSERT INTO claude.components (feature_id, component_name, component_type, status, implemented_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'EarlyComponent', 'service', 'in_progress', '2024-01-01')$$),
('chk_components_implemented_at', 'components', 'completed without an implemented_at',
 $$INSERT INTO claude.components (feature_id, component_name, component_type, status)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'UndatedComponent', 'service', 'completed')$$),
('chk_components_implemented_at', 'components', 'tested without an implemented_at',
 $$INSERT INTO claude.components (feature_id, component_name, component_type, status)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'UndatedComponent', 'service', 'tested')$$),
('chk_components_implemented_at', 'components', 'documented without an implemented_at',
 $$INSERT INTO claude.components (feature_id, component_name, component_type, status)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'UndatedComponent', 'service', 'documented')$$),
-- build_tasks.started_at (5)
('chk_tasks_started_at', 'build_tasks', 'todo with a started_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, started_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Early task', 'A todo task that has started.', 'code', 'todo', '2024-01-01')$$),
('chk_tasks_started_at', 'build_tasks', 'in_progress without a started_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Unstarted task', 'A running task with no start.', 'code', 'in_progress',
           'b2000000-0000-4000-8000-000000000001')$$),
('chk_tasks_started_at', 'build_tasks', 'blocked without a started_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, blocked_reason)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Unstarted task', 'A blocked task with no start.', 'code', 'blocked',
           'waiting for a review')$$),
('chk_tasks_started_at', 'build_tasks', 'review without a started_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Unstarted task', 'A task in review with no start.', 'code', 'review',
           'b2000000-0000-4000-8000-000000000001')$$),
('chk_tasks_started_at', 'build_tasks', 'completed without a started_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   completed_at, actual_hours)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Unstarted task', 'A completed task with no start.', 'code', 'completed',
           'b2000000-0000-4000-8000-000000000001', '2024-01-02', 1)$$),
-- build_tasks.completed_at (4)
('chk_tasks_completed_at', 'build_tasks', 'completed without a completed_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   started_at, actual_hours)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Undated task', 'A completed task with no end.', 'code', 'completed',
           'b2000000-0000-4000-8000-000000000001', '2024-01-01', 1)$$),
('chk_tasks_completed_at', 'build_tasks', 'review with a completed_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   started_at, completed_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Premature task', 'A task in review that has ended.', 'code', 'review',
           'b2000000-0000-4000-8000-000000000001', '2024-01-01', '2024-01-02')$$),
('chk_tasks_completed_at', 'build_tasks', 'cancelled with a completed_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, cancellation_reason,
                                   completed_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Cancelled task', 'A cancelled task that has ended.', 'code', 'cancelled',
           'no longer needed', '2024-01-02')$$),
('chk_tasks_completed_at', 'build_tasks', 'completed_at before started_at',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   started_at, completed_at, actual_hours)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Backwards task', 'A task that ended before it started.', 'code', 'completed',
           'b2000000-0000-4000-8000-000000000001', '2024-01-02', '2024-01-01', 1)$$),
-- build_tasks.actual_hours, on completed tasks (2)
('chk_task_actual_hours', 'build_tasks', 'actual_hours 0',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   started_at, completed_at, actual_hours)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Free task', 'A completed task that took no time.', 'code', 'completed',
           'b2000000-0000-4000-8000-000000000001', '2024-01-01', '2024-01-02', 0)$$),
('chk_task_actual_hours', 'build_tasks', 'actual_hours -2',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   started_at, completed_at, actual_hours)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Negative task', 'A completed task with negative time.', 'code', 'completed',
           'b2000000-0000-4000-8000-000000000001', '2024-01-01', '2024-01-02', -2)$$),
-- requirements.verified_at (3)
('chk_requirements_verified_at', 'requirements', 'verified without a verified_at',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                    acceptance_criteria, created_by_identity_id, status)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Unverified requirement', 'functional',
           'A verified requirement with no date.', ARRAY['It must be refused'],
           'b2000000-0000-4000-8000-000000000001', 'verified')$$),
('chk_requirements_verified_at', 'requirements', 'implemented with a verified_at',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                    acceptance_criteria, created_by_identity_id, status, verified_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Premature requirement', 'functional',
           'An implemented requirement with a verification date.', ARRAY['It must be refused'],
           'b2000000-0000-4000-8000-000000000001', 'implemented', '2024-01-03')$$),
('chk_requirements_verified_at', 'requirements', 'draft with a verified_at',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                    acceptance_criteria, created_by_identity_id, status, verified_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Premature requirement', 'functional',
           'A draft requirement with a verification date.', ARRAY['It must be refused'],
           'b2000000-0000-4000-8000-000000000001', 'draft', '2024-01-03')$$),
-- requirements.must_have (1)
('chk_requirements_must_have_not_rejected', 'requirements', 'a rejected must-have',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                    acceptance_criteria, created_by_identity_id, status, must_have)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Rejected must-have', 'functional',
           'A must-have requirement that was rejected.', ARRAY['It must be refused'],
           'b2000000-0000-4000-8000-000000000001', 'rejected', true)$$);

-- 36 tests.
SELECT throws_ok(q, '23514', format('new row for relation "%s" violates check constraint "%s"', t, k),
                 format('%s: %s is refused', k, d))
  FROM refused ORDER BY k, d;

-- ------------------------------------------------------------------ accepted rows, by constraint (12 tests)
SELECT lives_ok(q, format('%s: %s is accepted', k, d))
  FROM (VALUES
('chk_features_completed_date', 'completed on the day it started',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, started_date, completed_date)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'One-day feature', 'feature', 'completed', '2024-01-01', '2024-01-01')$$),
('chk_features_started_date', 'cancelled after it started',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, status, started_date, cancellation_reason)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Abandoned feature', 'feature', 'cancelled', '2024-01-01', 'dropped')$$),
('chk_components_implemented_at', 'deprecated with an implemented_at',
 $$INSERT INTO claude.components (feature_id, component_name, component_type, status, implemented_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'RetiredComponent', 'service', 'deprecated', '2024-01-01')$$),
('chk_components_implemented_at', 'completed with an implemented_at',
 $$INSERT INTO claude.components (feature_id, component_name, component_type, status, implemented_at, actual_functions, file_path)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'DoneComponent', 'service', 'completed', '2024-01-01',
           ARRAY['run'], 'src/services/DoneComponent.ts')$$),
('chk_tasks_started_at', 'cancelled after it started',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, started_at, cancellation_reason)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Abandoned task', 'A task cancelled while running.', 'code', 'cancelled',
           '2024-01-01', 'no longer needed')$$),
('chk_tasks_completed_at', 'completed at the moment it started',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   started_at, completed_at, actual_hours)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Instant task', 'A task that took no wall-clock time.', 'code', 'completed',
           'b2000000-0000-4000-8000-000000000001', '2024-01-01', '2024-01-01', 0.01)$$),
('chk_task_actual_hours', 'actual_hours 0.01 on a completed task',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   started_at, completed_at, actual_hours)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Quick task', 'A task that took very little time.', 'code', 'completed',
           'b2000000-0000-4000-8000-000000000001', '2024-01-01', '2024-01-02', 0.01)$$),
('chk_features_not_own_parent', 'a top-level feature without a parent',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type) VALUES
   ('b1000000-0000-4000-8000-000000000001', 'Top-level feature', 'feature')$$),
('chk_task_labels', 'labels of a-z 0-9 : _ . - up to 50 characters',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, labels)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Labelled task', 'A task with good labels.', 'code',
           ARRAY['area:db', 'p1', 'v1.2_x-y', repeat('a', 50)])$$),
('chk_feature_labels', 'no labels at all',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type, labels)
   VALUES ('b1000000-0000-4000-8000-000000000001', 'Unlabelled feature', 'feature', '{}')$$),
('chk_task_lease', 'a lease on an in_progress task',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, assigned_to_identity_id,
                                   started_at, lease_expires_at)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Leased task', 'An in_progress task holding a lease.', 'code',
           'in_progress', 'b2000000-0000-4000-8000-000000000001', '2024-01-01', '2024-01-02')$$),
('chk_tasks_not_blocked_by_self', 'a task blocked by nothing',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Unblocked task', 'A task that waits for nobody.', 'code')$$),
('chk_requirements_verified_at', 'verified with a verified_at',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description, acceptance_criteria,
                                    created_by_identity_id, status, verified_at, must_have)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Verified must-have', 'functional',
           'A verified must-have requirement.', ARRAY['It must be accepted'],
           'b2000000-0000-4000-8000-000000000001', 'verified', '2024-01-03', true)$$),
('chk_requirements_must_have_not_rejected', 'a rejected nice-to-have',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description, acceptance_criteria,
                                    created_by_identity_id, status, must_have)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Rejected nice-to-have', 'functional',
           'A requirement nobody needs.', ARRAY['It must be accepted'],
           'b2000000-0000-4000-8000-000000000001', 'rejected', false)$$),
('chk_requirements_must_have_not_rejected', 'a must-have in every other status (implemented)',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description, acceptance_criteria,
                                    created_by_identity_id, status, must_have, implemented_by_component_id)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'Implemented must-have', 'functional',
           'An implemented must-have requirement.', ARRAY['It must be accepted'],
           'b2000000-0000-4000-8000-000000000001', 'implemented', true, 'b4000000-0000-4000-8000-000000000001')$$)
  ) AS v(k, d, q)
 ORDER BY k, d;

-- ------------------------------------------------------------------ unique constraints (3 tests)
SELECT throws_ok(q, '23505', format('duplicate key value violates unique constraint "%s"', k),
                 format('%s: %s is refused by the constraint', k, d))
  FROM (VALUES
('uq_projects_name', 'a duplicate project_name',
 $$INSERT INTO claude.projects (project_name) VALUES ('Check constraint project')$$),
('uq_identities_name', 'a duplicate identity_name',
 $$INSERT INTO claude.identities (identity_name) VALUES ('check-constraint-agent')$$),
('uq_components_feature_name', 'a duplicate component_name within a feature',
 $$INSERT INTO claude.components (feature_id, component_name, component_type)
   VALUES ('b3000000-0000-4000-8000-000000000001', 'CheckService', 'service')$$)
  ) AS v(k, d, q)
 ORDER BY k;

-- ------------------------------------------------------------------ NOT NULL (7 + 54 tests)
-- A complete valid row per table; then the same row with one column NULL.
CREATE TEMP TABLE base_rows (t name, r jsonb) ON COMMIT DROP;
INSERT INTO base_rows VALUES
('projects', jsonb_build_object('project_id', 'b1000000-0000-4000-8000-0000000000a0',
    'project_name', 'Not-null project', 'created_at', '2024-01-01', 'updated_at', '2024-01-01')),
('identities', jsonb_build_object('identity_id', 'b2000000-0000-4000-8000-0000000000a0',
    'identity_name', 'not-null-agent', 'created_at', '2024-01-01', 'updated_at', '2024-01-01')),
('features', jsonb_build_object('feature_id', 'b3000000-0000-4000-8000-0000000000a0',
    'project_id', 'b1000000-0000-4000-8000-000000000001', 'feature_name', 'Not-null feature',
    'feature_type', 'feature', 'priority', 5, 'status', 'not_started', 'completion_percentage', 0,
    'labels', '[]'::jsonb, 'created_at', '2024-01-01', 'updated_at', '2024-01-01')),
('components', jsonb_build_object('component_id', 'b4000000-0000-4000-8000-0000000000a0',
    'feature_id', 'b3000000-0000-4000-8000-000000000001', 'component_name', 'NotNullComponent',
    'component_type', 'service', 'planned_functions', '[]'::jsonb, 'planned_dependencies', '[]'::jsonb,
    'actual_functions', '[]'::jsonb, 'status', 'planned', 'has_tests', false, 'has_documentation', false,
    'created_at', '2024-01-01', 'updated_at', '2024-01-01')),
('build_tasks', jsonb_build_object('task_id', 'b5000000-0000-4000-8000-0000000000a0',
    'feature_id', 'b3000000-0000-4000-8000-000000000001', 'task_name', 'Not-null task',
    'task_description', 'A task with every required column.', 'task_type', 'code', 'status', 'todo',
    'priority', 5, 'labels', '[]'::jsonb, 'created_at', '2024-01-01', 'updated_at', '2024-01-01')),
('requirements', jsonb_build_object('requirement_id', 'b6000000-0000-4000-8000-0000000000a0',
    'feature_id', 'b3000000-0000-4000-8000-000000000001', 'requirement_name', 'Not-null requirement',
    'requirement_type', 'functional', 'description', 'A requirement with every required column.',
    'acceptance_criteria', '["It must be accepted"]'::jsonb, 'status', 'draft', 'priority', 5,
    'must_have', false, 'created_by_identity_id', 'b2000000-0000-4000-8000-000000000001',
    'created_at', '2024-01-01', 'updated_at', '2024-01-01')),
('activity_feed', jsonb_build_object('id', 'b7000000-0000-4000-8000-0000000000a0',
    'source_type', 'system', 'activity_type', 'created', 'title', 'Not-null entry',
    'severity', 'info', 'created_at', '2024-01-01', 'origin', 'unrecorded', 'xact_id', '0'));

SELECT lives_ok(format('INSERT INTO claude.%I SELECT * FROM jsonb_populate_record(NULL::claude.%I, %L)', t, t, r),
                format('%s: a row with every NOT NULL column set is accepted', t))
  FROM base_rows ORDER BY t;

SELECT throws_ok(
           format('INSERT INTO claude.%I SELECT * FROM jsonb_populate_record(NULL::claude.%I, %L::jsonb || jsonb_build_object(%L, NULL))',
                  t, t, r, c),
           -- a feed row of a month without a partition (2024-01) is refused by the default partition
           '23502', format('null value in column "%s" of relation "%s" violates not-null constraint', c,
                           CASE t WHEN 'activity_feed' THEN 'activity_feed_default' ELSE t END),
           format('%s.%s: NULL is refused', t, c))
  FROM base_rows
  JOIN (VALUES
      ('projects', 'project_id'), ('projects', 'project_name'), ('projects', 'created_at'), ('projects', 'updated_at'),
      ('identities', 'identity_id'), ('identities', 'identity_name'), ('identities', 'created_at'), ('identities', 'updated_at'),
      ('features', 'feature_id'), ('features', 'project_id'), ('features', 'feature_name'), ('features', 'feature_type'),
      ('features', 'priority'), ('features', 'status'), ('features', 'completion_percentage'),
      ('features', 'created_at'), ('features', 'updated_at'),
      ('components', 'component_id'), ('components', 'feature_id'), ('components', 'component_name'),
      ('components', 'component_type'), ('components', 'planned_functions'), ('components', 'planned_dependencies'),
      ('components', 'actual_functions'), ('components', 'status'), ('components', 'has_tests'),
      ('components', 'has_documentation'), ('components', 'created_at'), ('components', 'updated_at'),
      ('build_tasks', 'task_id'), ('build_tasks', 'feature_id'), ('build_tasks', 'task_name'),
      ('build_tasks', 'task_description'), ('build_tasks', 'task_type'), ('build_tasks', 'status'),
      ('build_tasks', 'priority'), ('build_tasks', 'created_at'), ('build_tasks', 'updated_at'),
      ('requirements', 'requirement_id'), ('requirements', 'feature_id'), ('requirements', 'requirement_name'),
      ('requirements', 'requirement_type'), ('requirements', 'acceptance_criteria'), ('requirements', 'status'),
      ('requirements', 'priority'), ('requirements', 'must_have'), ('requirements', 'created_at'),
      ('requirements', 'updated_at'),
      ('activity_feed', 'id'), ('activity_feed', 'source_type'), ('activity_feed', 'activity_type'),
      ('activity_feed', 'title'), ('activity_feed', 'severity'), ('activity_feed', 'created_at'),
      ('activity_feed', 'origin'), ('activity_feed', 'xact_id')
  ) AS v(t, c) USING (t)
 ORDER BY t, c;

RESET session_replication_role;

SELECT * FROM finish();
ROLLBACK;
