-- Nothing joins a completed or cancelled feature: not a component, task or
-- requirement (tested with their workflows), not a child feature; and no
-- requirement of a completed feature becomes must-have. So a completed
-- feature's gate keeps passing. Raw DML by the owner is refused the same way.
BEGIN;
SELECT plan(17);
\ir include/ids_and_errors.psql

SELECT (claude.add_project('Guards project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('guards-alice')->'data'->>'identity_id') AS alice \gset

CREATE FUNCTION pg_temp.feature(name text, project uuid, planner uuid) RETURNS uuid LANGUAGE sql AS $$
    SELECT (claude.add_feature(feature_name => name, feature_type => 'feature', project_id => project,
                               description => 'A feature for the completed-feature guards',
                               planned_by_identity_id => planner)->'data'->>'feature_id')::uuid
$$;
SELECT pg_temp.feature('Guards done', :'p', :'alice') AS done \gset
SELECT pg_temp.feature('Guards dropped', :'p', :'alice') AS dropped \gset
SELECT pg_temp.feature('Guards open', :'p', :'alice') AS open \gset
SELECT pg_temp.feature('Guards orphan', :'p', :'alice') AS orphan \gset
SELECT (claude.add_requirement(:'done', 'Optional requirement', 'functional', 'Nice to have, not needed for completion',
        ARRAY['Given it then it is optional'], created_by_identity_id => :'alice')->'data'->>'requirement_id') AS optional \gset
SELECT (claude.add_requirement(:'open', 'Open requirement', 'functional', 'Belongs to a feature still being built',
        ARRAY['Given it then it may become must-have'], created_by_identity_id => :'alice')->'data'->>'requirement_id') AS open_req \gset
-- a child that exists before its parent completes
SELECT (claude.add_feature(feature_name => 'Early child', feature_type => 'feature', project_id => :'p',
                           parent_feature_id => :'done')->'data'->>'feature_id') AS early \gset
SELECT claude.update_feature_status(:'early', 'cancelled', reason => 'Folded into the parent');
SELECT claude.update_feature_status(:'done', 'planned');
SELECT claude.update_feature_status(:'done', 'in_progress', implemented_by_identity_id => :'alice');
SELECT claude.complete_feature(:'done');
SELECT claude.update_feature_status(:'dropped', 'cancelled', reason => 'Out of scope');

SELECT is((SELECT status FROM claude.features WHERE feature_id = :'done'), 'completed',
          'setup: the feature with a cancelled child and an optional requirement is completed');

-- child features
SELECT throws_ok(format($$SELECT claude.add_feature(feature_name => 'Late child', feature_type => 'feature', project_id => %L,
                                                     parent_feature_id => %L)$$, :'p', :'done'),
                 '55000', NULL, 'a child feature cannot be added to a completed feature');
SELECT is(pg_temp.err(format($$SELECT claude.add_feature(feature_name => 'Late child', feature_type => 'feature',
                                                         project_id => %L, parent_feature_id => %L)$$, :'p', :'dropped'))
            -> 'detail' -> 'errors' -> 0 ->> 'message',
          'a child feature cannot be added to a cancelled feature',
          'nor to a cancelled one, and the error says so');
SELECT throws_ok(format($$SELECT claude.update_feature(%L, '{"parent_feature_id": "%s"}')$$, :'orphan', :'done'),
                 '55000', NULL, 'an existing feature cannot be moved under a completed feature');
SELECT throws_ok(format($$UPDATE claude.features SET parent_feature_id = %L WHERE feature_id = %L$$, :'done', :'orphan'),
                 '55000', NULL, 'raw DML by the owner is refused the same way');
SELECT lives_ok(format($$SELECT claude.update_feature(%L, '{"parent_feature_id": "%s"}')$$, :'orphan', :'open'),
                'a feature still moves under an open feature');
SELECT lives_ok(format($$SELECT claude.update_feature(%L, '{"feature_name": "Early child renamed"}')$$, :'early'),
                'a child that was there before its parent completed can still be edited');

-- must-have requirements
SELECT throws_ok(format($$SELECT claude.update_requirement(%L, '{"must_have": true}')$$, :'optional'),
                 '55000', NULL, 'a requirement of a completed feature cannot become must-have');
SELECT is(pg_temp.err(format($$UPDATE claude.requirements SET must_have = true WHERE requirement_id = %L$$, :'optional'))
            -> 'detail' -> 'errors' -> 0 ->> 'field',
          'must_have', 'raw DML is refused the same way, on must_have');
SELECT lives_ok(format($$SELECT claude.update_requirement(%L, '{"must_have": true}')$$, :'open_req'),
                'a requirement of an open feature can become must-have');
SELECT lives_ok(format($$SELECT claude.update_requirement(%L, '{"description": "Still nice to have, reworded later"}')$$, :'optional'),
                'other edits of a completed feature''s requirement are unaffected');

SELECT is((claude.can_complete_feature(:'done') ->> 'can_complete')::boolean, true,
          'the completed feature''s gate still passes');
SELECT is((SELECT count(*) FROM claude.features WHERE parent_feature_id = :'done')::int, 1,
          'it still has only the child it had');

-- deleting a completed feature (SPEC section 10): refused, unless the owner forces it
SELECT throws_ok(format($$SELECT claude.delete_feature(%L)$$, :'done'), '55000', NULL,
                 'a completed feature cannot be deleted (its verified requirements are history)');
SET LOCAL ROLE buildtracker_writer;
SELECT throws_ok(format($$SELECT claude.delete_feature(%L, force => true)$$, :'done'), '42501', NULL,
                 'force is refused to the writer role');
SELECT lives_ok(format($$SELECT claude.delete_feature(%L)$$, :'orphan'),
                'a writer still deletes a feature that is not completed');
RESET ROLE;
SELECT is((claude.delete_feature(:'done', force => true)) -> 'data' ->> 'status', 'completed',
          'the owner deletes a completed feature with force => true');

SELECT * FROM finish();
ROLLBACK;
