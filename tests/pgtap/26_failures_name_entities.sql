-- Gate and blocker failures carry the ids of the entities at fault
-- (entity_id in each DETAIL error item), so an agent can go straight to them.
BEGIN;
SELECT plan(8);
\ir include/ids_and_errors.psql

SELECT (claude.add_project('Entity ids project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('entity-ids-dev')->'data'->>'identity_id') AS dev \gset
SELECT (claude.add_feature(feature_name => 'Entity ids feature', feature_type => 'feature', project_id => :'p',
                           description => 'A feature whose gate fails on every kind of child',
                           planned_by_identity_id => :'dev')->'data'->>'feature_id') AS f \gset
SELECT claude.update_feature_status(:'f', 'planned') IS NOT NULL AS ok \gset
SELECT claude.update_feature_status(:'f', 'in_progress', implemented_by_identity_id => :'dev') IS NOT NULL AS ok \gset
SELECT (claude.add_component(:'f', 'Open component', 'service')->'data'->>'component_id') AS c \gset
SELECT (claude.add_task('Open task one', 'A task that is still open', 'code', feature_id => :'f')->'data'->>'task_id') AS t \gset
SELECT (claude.add_requirement(:'f', 'Must have requirement', 'functional', 'A must-have requirement not verified yet',
        ARRAY['Given it then it must be verified'], must_have => true, created_by_identity_id => :'dev')
        ->'data'->>'requirement_id') AS r \gset
SELECT (claude.add_feature(feature_name => 'Open child feature', feature_type => 'feature', project_id => :'p',
                           parent_feature_id => :'f')->'data'->>'feature_id') AS child \gset

-- the completion gate
SELECT is(jsonb_array_length(claude.feature_gate_failures(:'f')), 4, 'four failing conditions');
SELECT is(ARRAY(SELECT e ->> 'entity_id' FROM jsonb_array_elements(claude.feature_gate_failures(:'f')) AS e),
          ARRAY[:'c', :'r', :'t', :'child'],
          'each names its entity: component, requirement, task, child feature (gate order)');
SELECT is(claude.feature_completion_failures(:'f'),
          ARRAY(SELECT e ->> 'message' FROM jsonb_array_elements(claude.feature_gate_failures(:'f')) AS e),
          'feature_completion_failures is the same gate, as sentences');
SELECT throws_ok(format($$SELECT claude.complete_feature(%L)$$, :'f'), '55000', NULL, 'completing it is refused');
SELECT is(ARRAY(SELECT e ->> 'entity_id' FROM jsonb_array_elements(
                    pg_temp.err(format($$SELECT claude.complete_feature(%L)$$, :'f')) #> '{detail,errors}') AS e),
          ARRAY[:'c', :'r', :'t', :'child'], 'the refusal lists every entity at fault by id');

-- a start refused for an open blocker
SELECT (claude.add_task('Waiting task', 'A task that waits on another', 'code', feature_id => :'f',
                        blocked_by_task_id => :'t')->'data'->>'task_id') AS waiting \gset
SELECT throws_ok(format($$SELECT claude.start_task(%L, %L)$$, :'waiting', :'dev'), '55000', NULL,
                 'a task whose blocker is open cannot start');
SELECT is(pg_temp.err(format($$SELECT claude.start_task(%L, %L)$$, :'waiting', :'dev')) #>> '{detail,errors,0,entity_id}',
          :'t', 'the refusal names the open blocker by id');
SELECT is(pg_temp.err(format($$SELECT claude.start_task(%L, %L)$$, :'waiting', :'dev')) #>> '{detail,errors,0,field}',
          'blocked_by_task_id', 'on the blocked_by_task_id field');

SELECT * FROM finish();
ROLLBACK;
