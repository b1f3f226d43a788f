-- Foreign keys of schema claude (SPEC section 2): every reference refuses a
-- missing parent, and every delete rule does what it promises.
-- Foreign keys are triggers, so this file always runs with
-- session_replication_role = origin (the default). Rows are written in their
-- initial statuses, with names long enough for the workflow rules.
BEGIN;
SELECT plan(61);

-- ------------------------------------------------------------------ catalogue (13 tests)
SELECT fk_ok('claude', t::name, c::name, 'claude', pt::name, pc::name,
             format('claude.%s.%s references claude.%s.%s', t, c, pt, pc))
  FROM (VALUES
      ('features',     'project_id',                  'projects',    'project_id'),
      ('features',     'parent_feature_id',           'features',    'feature_id'),
      ('features',     'planned_by_identity_id',      'identities',  'identity_id'),
      ('features',     'implemented_by_identity_id',  'identities',  'identity_id'),
      ('components',   'feature_id',                  'features',    'feature_id'),
      ('build_tasks',  'feature_id',                  'features',    'feature_id'),
      ('build_tasks',  'component_id',                'components',  'component_id'),
      ('build_tasks',  'assigned_to_identity_id',     'identities',  'identity_id'),
      ('build_tasks',  'blocked_by_task_id',          'build_tasks', 'task_id'),
      ('requirements', 'feature_id',                  'features',    'feature_id'),
      ('requirements', 'implemented_by_component_id', 'components',  'component_id'),
      ('requirements', 'created_by_identity_id',      'identities',  'identity_id')
  ) AS v(t, c, pt, pc);

-- confdeltype: c = CASCADE, n = SET NULL, r = RESTRICT.
SELECT set_eq(
    $$SELECT conrelid::regclass::text, conname::text, confdeltype::text
        FROM pg_constraint
       WHERE connamespace = 'claude'::regnamespace AND contype = 'f'$$,
    $$VALUES ('claude.features',     'fk_features_project',        'r'),
             ('claude.features',     'fk_features_parent',         'n'),
             ('claude.features',     'fk_features_planned_by',     'r'),
             ('claude.features',     'fk_features_implemented_by', 'r'),
             ('claude.components',   'fk_components_feature',      'c'),
             ('claude.build_tasks',  'fk_tasks_feature',           'c'),
             ('claude.build_tasks',  'fk_tasks_component',         'n'),
             ('claude.build_tasks',  'fk_tasks_assignee',          'r'),
             ('claude.build_tasks',  'fk_tasks_blocked_by',        'n'),
             ('claude.requirements', 'fk_requirements_feature',    'c'),
             ('claude.requirements', 'fk_requirements_component',  'n'),
             ('claude.requirements', 'fk_requirements_created_by', 'r'),
             ('claude.task_dependencies', 'fk_dependency_task', 'c'),
             ('claude.task_dependencies', 'fk_dependency_depends_on', 'c'),
             ('claude.api_tokens',   'fk_api_tokens_identity',     'c')$$,
    'the fifteen foreign keys of claude, with their delete rules');

-- ------------------------------------------------------------------ fixture
INSERT INTO claude.projects (project_id, project_name) VALUES
    ('c1000000-0000-4000-8000-000000000001', 'Foreign key project'),
    ('c1000000-0000-4000-8000-000000000002', 'Empty foreign key project');
INSERT INTO claude.identities (identity_id, identity_name) VALUES
    ('c2000000-0000-4000-8000-000000000001', 'fk-planner'),
    ('c2000000-0000-4000-8000-000000000002', 'fk-implementer'),
    ('c2000000-0000-4000-8000-000000000003', 'fk-assignee'),
    ('c2000000-0000-4000-8000-000000000004', 'fk-author'),
    ('c2000000-0000-4000-8000-000000000005', 'fk-bystander');
INSERT INTO claude.features (feature_id, project_id, parent_feature_id, feature_name, feature_type, description,
                             planned_by_identity_id, implemented_by_identity_id) VALUES
    ('c3000000-0000-4000-8000-000000000001', 'c1000000-0000-4000-8000-000000000001', NULL,
     'Parent feature', 'feature', 'A feature with a child feature.', NULL, NULL),
    ('c3000000-0000-4000-8000-000000000002', 'c1000000-0000-4000-8000-000000000001',
     'c3000000-0000-4000-8000-000000000001',
     'Child feature', 'feature', 'A feature under the parent feature.', NULL, NULL),
    ('c3000000-0000-4000-8000-000000000003', 'c1000000-0000-4000-8000-000000000001', NULL,
     'Working feature', 'feature', 'A feature with components, tasks and requirements.',
     'c2000000-0000-4000-8000-000000000001', 'c2000000-0000-4000-8000-000000000002');
INSERT INTO claude.components (component_id, feature_id, component_name, component_type) VALUES
    ('c4000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-000000000003', 'KeptService', 'service'),
    ('c4000000-0000-4000-8000-000000000002', 'c3000000-0000-4000-8000-000000000003', 'DoomedService', 'service');
INSERT INTO claude.build_tasks (task_id, feature_id, component_id, task_name, task_description, task_type,
                                assigned_to_identity_id) VALUES
    ('c5000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-000000000003',
     'c4000000-0000-4000-8000-000000000001', 'Assigned task', 'A task with an assignee.', 'code',
     'c2000000-0000-4000-8000-000000000003'),
    ('c5000000-0000-4000-8000-000000000002', 'c3000000-0000-4000-8000-000000000003',
     'c4000000-0000-4000-8000-000000000002', 'Component task', 'A task on the doomed component.', 'code', NULL),
    ('c5000000-0000-4000-8000-000000000003', 'c3000000-0000-4000-8000-000000000003',
     NULL, 'Blocking task', 'A task another task waits for.', 'code', NULL);
INSERT INTO claude.build_tasks (task_id, feature_id, task_name, task_description, task_type, blocked_by_task_id) VALUES
    ('c5000000-0000-4000-8000-000000000004', 'c3000000-0000-4000-8000-000000000003',
     'Waiting task', 'A task that waits for the blocking task.', 'code', 'c5000000-0000-4000-8000-000000000003');
INSERT INTO claude.requirements (requirement_id, feature_id, requirement_name, requirement_type, description,
                                 acceptance_criteria, created_by_identity_id, implemented_by_component_id) VALUES
    ('c6000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-000000000003',
     'Component requirement', 'functional', 'A requirement implemented by the doomed component.',
     ARRAY['It must survive the component'], 'c2000000-0000-4000-8000-000000000004',
     'c4000000-0000-4000-8000-000000000002');

-- ------------------------------------------------------------------ missing parents (24 tests)
-- Each reference once with an existing parent (accepted), once with a
-- missing one (23503), the statements otherwise identical.
CREATE TEMP TABLE fk_cases (n int, d text, q text, ok text, missing text) ON COMMIT DROP;
INSERT INTO fk_cases VALUES
(1, 'features.project_id',
 $$INSERT INTO claude.features (project_id, feature_name, feature_type) VALUES (%L, 'Referencing feature', 'feature')$$,
 'c1000000-0000-4000-8000-000000000001', 'c1000000-0000-4000-8000-0000000000ff'),
(2, 'features.parent_feature_id',
 $$INSERT INTO claude.features (project_id, parent_feature_id, feature_name, feature_type)
   VALUES ('c1000000-0000-4000-8000-000000000001', %L, 'Referencing feature', 'feature')$$,
 'c3000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-0000000000ff'),
(3, 'features.planned_by_identity_id',
 $$INSERT INTO claude.features (project_id, planned_by_identity_id, feature_name, feature_type)
   VALUES ('c1000000-0000-4000-8000-000000000001', %L, 'Referencing feature', 'feature')$$,
 'c2000000-0000-4000-8000-000000000001', 'c2000000-0000-4000-8000-0000000000ff'),
(4, 'features.implemented_by_identity_id',
 $$INSERT INTO claude.features (project_id, implemented_by_identity_id, feature_name, feature_type)
   VALUES ('c1000000-0000-4000-8000-000000000001', %L, 'Referencing feature', 'feature')$$,
 'c2000000-0000-4000-8000-000000000002', 'c2000000-0000-4000-8000-0000000000ff'),
(5, 'components.feature_id',
 $$INSERT INTO claude.components (feature_id, component_name, component_type) VALUES (%L, 'ReferencingService', 'service')$$,
 'c3000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-0000000000ff'),
(6, 'build_tasks.feature_id',
 $$INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type)
   VALUES (%L, 'Referencing task', 'A task that names its feature.', 'code')$$,
 'c3000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-0000000000ff'),
(7, 'build_tasks.component_id',
 $$INSERT INTO claude.build_tasks (feature_id, component_id, task_name, task_description, task_type)
   VALUES ('c3000000-0000-4000-8000-000000000003', %L, 'Referencing task', 'A task that names its component.', 'code')$$,
 'c4000000-0000-4000-8000-000000000001', 'c4000000-0000-4000-8000-0000000000ff'),
(8, 'build_tasks.assigned_to_identity_id',
 $$INSERT INTO claude.build_tasks (feature_id, assigned_to_identity_id, task_name, task_description, task_type)
   VALUES ('c3000000-0000-4000-8000-000000000001', %L, 'Referencing task', 'A task that names its assignee.', 'code')$$,
 'c2000000-0000-4000-8000-000000000003', 'c2000000-0000-4000-8000-0000000000ff'),
(9, 'build_tasks.blocked_by_task_id',
 $$INSERT INTO claude.build_tasks (feature_id, blocked_by_task_id, task_name, task_description, task_type)
   VALUES ('c3000000-0000-4000-8000-000000000001', %L, 'Referencing task', 'A task that names its blocker.', 'code')$$,
 'c5000000-0000-4000-8000-000000000001', 'c5000000-0000-4000-8000-0000000000ff'),
(10, 'requirements.feature_id',
 $$INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description,
                                    acceptance_criteria, created_by_identity_id)
   VALUES (%L, 'Referencing requirement', 'functional', 'A requirement that names its feature.',
           ARRAY['It must name an existing feature'], 'c2000000-0000-4000-8000-000000000004')$$,
 'c3000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-0000000000ff'),
(11, 'requirements.implemented_by_component_id',
 $$INSERT INTO claude.requirements (feature_id, implemented_by_component_id, requirement_name, requirement_type,
                                    description, acceptance_criteria, created_by_identity_id)
   VALUES ('c3000000-0000-4000-8000-000000000003', %L, 'Referencing requirement', 'functional',
           'A requirement that names its component.', ARRAY['It must name an existing component'],
           'c2000000-0000-4000-8000-000000000004')$$,
 'c4000000-0000-4000-8000-000000000001', 'c4000000-0000-4000-8000-0000000000ff'),
(12, 'requirements.created_by_identity_id',
 $$INSERT INTO claude.requirements (feature_id, created_by_identity_id, requirement_name, requirement_type,
                                    description, acceptance_criteria)
   VALUES ('c3000000-0000-4000-8000-000000000001', %L, 'Referencing requirement', 'functional',
           'A requirement that names its author.', ARRAY['It must name an existing author'])$$,
 'c2000000-0000-4000-8000-000000000004', 'c2000000-0000-4000-8000-0000000000ff');

SELECT lives_ok(format(q, ok), format('%s naming an existing row is accepted', d))
  FROM fk_cases ORDER BY n;
SELECT throws_ok(format(q, missing), '23503', NULL, format('%s naming a missing row is refused', d))
  FROM fk_cases ORDER BY n;

-- ------------------------------------------------------------------ ON DELETE SET NULL
-- Deleting a component (6 tests).
SELECT lives_ok($$DELETE FROM claude.components WHERE component_id = 'c4000000-0000-4000-8000-000000000002'$$,
                'a component with tasks and requirements can be deleted');
SELECT is(count(*), 1::bigint, 'its task survives the component')
  FROM claude.build_tasks WHERE task_id = 'c5000000-0000-4000-8000-000000000002';
SELECT is(component_id, NULL, 'fk_tasks_component: build_tasks.component_id is set to null')
  FROM claude.build_tasks WHERE task_id = 'c5000000-0000-4000-8000-000000000002';
SELECT is(feature_id, 'c3000000-0000-4000-8000-000000000003'::uuid, 'the task keeps its feature')
  FROM claude.build_tasks WHERE task_id = 'c5000000-0000-4000-8000-000000000002';
SELECT is(count(*), 1::bigint, 'its requirement survives the component')
  FROM claude.requirements WHERE requirement_id = 'c6000000-0000-4000-8000-000000000001';
SELECT is(implemented_by_component_id, NULL,
          'fk_requirements_component: requirements.implemented_by_component_id is set to null')
  FROM claude.requirements WHERE requirement_id = 'c6000000-0000-4000-8000-000000000001';

-- Deleting a blocking task (3 tests).
SELECT lives_ok($$DELETE FROM claude.build_tasks WHERE task_id = 'c5000000-0000-4000-8000-000000000003'$$,
                'a task other tasks wait for can be deleted');
SELECT is(count(*), 1::bigint, 'the waiting task survives its blocker')
  FROM claude.build_tasks WHERE task_id = 'c5000000-0000-4000-8000-000000000004';
SELECT is(blocked_by_task_id, NULL, 'fk_tasks_blocked_by: build_tasks.blocked_by_task_id is set to null')
  FROM claude.build_tasks WHERE task_id = 'c5000000-0000-4000-8000-000000000004';

-- Deleting a parent feature (3 tests).
SELECT lives_ok($$DELETE FROM claude.features WHERE feature_id = 'c3000000-0000-4000-8000-000000000001'$$,
                'a feature with a child feature can be deleted');
SELECT is(count(*), 1::bigint, 'the child feature survives its parent')
  FROM claude.features WHERE feature_id = 'c3000000-0000-4000-8000-000000000002';
SELECT is(parent_feature_id, NULL, 'fk_features_parent: features.parent_feature_id is set to null')
  FROM claude.features WHERE feature_id = 'c3000000-0000-4000-8000-000000000002';

-- ------------------------------------------------------------------ ON DELETE RESTRICT (7 tests)
SELECT throws_ok($$DELETE FROM claude.projects WHERE project_id = 'c1000000-0000-4000-8000-000000000001'$$,
                 '23503',
                 'update or delete on table "projects" violates foreign key constraint "fk_features_project" on table "features"',
                 'fk_features_project: a project with features cannot be deleted');
SELECT throws_ok(format('DELETE FROM claude.identities WHERE identity_id = %L', i), '23503',
                 format('update or delete on table "identities" violates foreign key constraint "%s" on table "%s"', k, t),
                 format('%s: an identity referenced as %s cannot be deleted', k, d))
  FROM (VALUES ('c2000000-0000-4000-8000-000000000001', 'fk_features_planned_by',     'features',     'planned_by_identity_id'),
               ('c2000000-0000-4000-8000-000000000002', 'fk_features_implemented_by', 'features',     'implemented_by_identity_id'),
               ('c2000000-0000-4000-8000-000000000003', 'fk_tasks_assignee',          'build_tasks',  'assigned_to_identity_id'),
               ('c2000000-0000-4000-8000-000000000004', 'fk_requirements_created_by', 'requirements', 'created_by_identity_id')
       ) AS v(i, k, t, d);
SELECT lives_ok($$DELETE FROM claude.identities WHERE identity_id = 'c2000000-0000-4000-8000-000000000005'$$,
                'an identity nobody references can be deleted');
SELECT lives_ok($$DELETE FROM claude.projects WHERE project_id = 'c1000000-0000-4000-8000-000000000002'$$,
                'a project without features can be deleted');

-- ------------------------------------------------------------------ ON DELETE CASCADE (5 tests)
SELECT is((SELECT count(*) FROM claude.components   WHERE feature_id = 'c3000000-0000-4000-8000-000000000003')
        + (SELECT count(*) FROM claude.build_tasks  WHERE feature_id = 'c3000000-0000-4000-8000-000000000003')
        + (SELECT count(*) FROM claude.requirements WHERE feature_id = 'c3000000-0000-4000-8000-000000000003') > 0,
          true, 'the working feature has components, tasks and requirements before it is deleted');
SELECT lives_ok($$DELETE FROM claude.features WHERE feature_id = 'c3000000-0000-4000-8000-000000000003'$$,
                'a feature with components, tasks and requirements can be deleted');
SELECT is(count(*), 0::bigint, 'fk_components_feature: its components are deleted with it')
  FROM claude.components WHERE feature_id = 'c3000000-0000-4000-8000-000000000003';
SELECT is(count(*), 0::bigint, 'fk_tasks_feature: its tasks are deleted with it')
  FROM claude.build_tasks WHERE feature_id = 'c3000000-0000-4000-8000-000000000003';
SELECT is(count(*), 0::bigint, 'fk_requirements_feature: its requirements are deleted with it')
  FROM claude.requirements WHERE feature_id = 'c3000000-0000-4000-8000-000000000003';

SELECT * FROM finish();
ROLLBACK;
