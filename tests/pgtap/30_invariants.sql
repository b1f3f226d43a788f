-- claude.check_invariants(): empty on a consistent database, and names each
-- kind of violation when one is forced in (with triggers or a constraint
-- switched off inside this rolled-back transaction).
BEGIN;
SELECT plan(9);

SELECT (claude.add_project('Invariant project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('invariant-alice')->'data'->>'identity_id') AS alice \gset
SELECT (claude.add_feature(feature_name => 'Invariant feature', feature_type => 'feature', project_id => :'p',
        description => 'A feature whose invariants are checked')->'data'->>'feature_id') AS f \gset
SELECT (claude.add_feature(feature_name => 'Invariant child', feature_type => 'feature', project_id => :'p',
        parent_feature_id => :'f')->'data'->>'feature_id') AS f2 \gset
SELECT (claude.add_task('Invariant task one', 'First task of the feature', 'code', feature_id => :'f')->'data'->>'task_id') AS t1 \gset
SELECT (claude.add_task('Invariant task two', 'Second task of the feature', 'code', feature_id => :'f',
        blocked_by_task_id => :'t1')->'data'->>'task_id') AS t2 \gset

SELECT is((SELECT count(*) FROM claude.check_invariants() WHERE entity_id IN (:'f', :'f2', :'t1', :'t2'))::int, 0,
          'a database written through the gateway has no violations');

ALTER TABLE claude.build_tasks DROP CONSTRAINT chk_tasks_started_at;
SET LOCAL session_replication_role = replica;   -- user triggers off from here on
UPDATE claude.build_tasks SET started_at = now() WHERE task_id = :'t2';   -- a todo task with a start date
UPDATE claude.features SET completion_percentage = 42 WHERE feature_id = :'f';
UPDATE claude.features SET parent_feature_id = :'f2' WHERE feature_id = :'f';
UPDATE claude.build_tasks SET blocked_by_task_id = :'t2' WHERE task_id = :'t1';
INSERT INTO claude.features (feature_id, project_id, feature_name, feature_type)
VALUES ('3a000000-0000-4000-8000-000000000001', :'p', 'Unlogged feature', 'feature');
UPDATE claude.activity_feed SET title = 'rewritten history' WHERE source_id = :'t1' AND activity_type = 'created';
RESET session_replication_role;

SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants() WHERE invariant = 'completion_rollup' AND entity_id = :'f'),
          'a roll-up that differs from its recomputation is reported');
SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants() WHERE invariant = 'feature_parent_cycle' AND entity_id = :'f'),
          'a parent cycle is reported (first feature)');
SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants() WHERE invariant = 'feature_parent_cycle' AND entity_id = :'f2'),
          'a parent cycle is reported (second feature)');
SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants() WHERE invariant = 'task_dependency_cycle' AND entity_id = :'t1'),
          'a dependency cycle is reported');
SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants() WHERE invariant = 'creation_logged'
                  AND entity_id = '3a000000-0000-4000-8000-000000000001'),
          'an entity without its creation row is reported');
SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants() WHERE invariant = 'activity_unaltered'),
          'an altered activity row is reported');
SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants() WHERE invariant = 'task_dates' AND entity_id = :'t2'),
          'a timestamp inconsistent with the status is reported');
SELECT ok(has_function_privilege('buildtracker_reader', 'claude.check_invariants()', 'EXECUTE'),
          'readers may check the invariants');

SELECT * FROM finish();
ROLLBACK;
