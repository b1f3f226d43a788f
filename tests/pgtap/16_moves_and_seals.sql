-- A component that moves takes its tasks along (a task always belongs to the
-- feature of its component); one that implements a requirement stays; the
-- activity seal does not depend on the session's time zone.
BEGIN;
SELECT plan(8);

SELECT (claude.add_project('Moves project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('moves-alice')->'data'->>'identity_id') AS alice \gset
SELECT (claude.add_feature(feature_name => 'Moves feature A', feature_type => 'feature', project_id => :'p')->'data'->>'feature_id') AS fa \gset
SELECT (claude.add_feature(feature_name => 'Moves feature B', feature_type => 'feature', project_id => :'p')->'data'->>'feature_id') AS fb \gset
SELECT (claude.add_component(:'fa', 'Mover', 'service')->'data'->>'component_id') AS c \gset
SELECT (claude.add_component(:'fa', 'Keeper', 'service')->'data'->>'component_id') AS k \gset
SELECT (claude.add_task('Task on the mover', 'Work on the component that moves', 'code', component_id => :'c')->'data'->>'task_id') AS t \gset
SELECT (claude.add_requirement(:'fa', 'Kept requirement', 'functional', 'The keeper implements this requirement',
        ARRAY['Given the keeper then it works'], created_by_identity_id => :'alice')->'data'->>'requirement_id') AS r \gset
UPDATE claude.requirements SET implemented_by_component_id = :'k' WHERE requirement_id = :'r';

SELECT lives_ok(format($$SELECT claude.update_component(%L, '{"feature_id": "%s"}')$$, :'c', :'fb'),
                'a component moves to another feature');
SELECT is((SELECT feature_id::text FROM claude.build_tasks WHERE task_id = :'t'), :'fb',
          'its task moved with it');
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE source_id = :'t' AND activity_type = 'updated'
            AND changes ? 'feature_id')::int, 1,
          'the task''s move is logged');
SELECT lives_ok(format($$SELECT claude.start_task(%L, %L)$$, :'t', :'alice'),
                'the moved task can still be started');
SELECT throws_ok(format($$SELECT claude.update_component(%L, '{"feature_id": "%s"}')$$, :'k', :'fb'),
                 '55000', NULL, 'a component that implements a requirement cannot move');
SELECT is((SELECT count(*) FROM claude.check_invariants() WHERE invariant = 'task_component_feature')::int, 0,
          'no task names a component of another feature');

SET LOCAL TIME ZONE 'Europe/Berlin';
SELECT is((SELECT count(*) FROM claude.check_invariants() WHERE invariant = 'activity_unaltered'
            AND entity_id IN (SELECT id FROM claude.activity_feed WHERE project_name = 'Moves project'))::int, 0,
          'rows sealed in one time zone check out in another');
SELECT claude.log_activity('system', NULL, 'updated', 'Logged from Berlin') IS NOT NULL AS logged \gset
SET LOCAL TIME ZONE 'UTC';
SELECT is((SELECT count(*) FROM claude.check_invariants() WHERE invariant = 'activity_unaltered')::int, 0,
          'a row sealed from Berlin checks out from UTC');

SELECT * FROM finish();
ROLLBACK;
