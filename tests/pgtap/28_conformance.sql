-- Conformance with the seed (issue 3/7): validate_status_transition, the
-- seed's callable check of one status change; feature_ready_to_complete only
-- when complete_feature would accept the feature; a component completed
-- without a coverage figure is warned about, as verification counts it (0%).
BEGIN;
SELECT plan(12);

-- ------------------------------------------------------------------ validate_status_transition (6 tests)
SELECT is(claude.validate_status_transition('feature', 'not_started', 'planned') -> 'errors', '[]'::jsonb,
          'an allowed move: no errors');
SELECT is(claude.validate_status_transition('feature', 'not_started', 'planned') ->> 'action', 'plan',
          'and the action that makes it, from claude.status_transitions');
SELECT is(claude.validate_status_transition('feature', 'not_started', 'completed') -> 'errors' -> 0 ->> 'code', '55000',
          'a move the state machine does not allow: 55000');
SELECT is(claude.validate_status_transition('build_task', 'todo', 'done') -> 'errors',
          '[{"code": "23514", "field": "to_status", "message": "status must be one of blocked, cancelled, completed, in_progress, review, todo"}]'::jsonb,
          'an unknown status: 23514 naming the field and the statuses');
SELECT is(claude.validate_status_transition('task', 'todo', 'in_progress') -> 'errors' -> 0 ->> 'field', 'entity_type',
          'an unknown entity type is named');
SET LOCAL ROLE buildtracker_reader;
SELECT is(claude.validate_status_transition('requirement', 'draft', 'defined') -> 'errors', '[]'::jsonb,
          'a reader may call it');
RESET ROLE;

-- ------------------------------------------------------------------ ready to complete, coverage (6 tests)
SELECT claude.add_project('Conformance project') -> 'data' ->> 'project_id' AS p \gset
SELECT claude.add_identity('conformance-dev') -> 'data' ->> 'identity_id' AS alice \gset
SELECT claude.add_feature('Conformance feature', 'api', :'p', description => 'A feature put on hold mid-way.',
                          planned_by_identity_id => :'alice') -> 'data' ->> 'feature_id' AS f \gset
SELECT claude.update_feature_status(:'f', 'planned') IS NOT NULL AS planned \gset
SELECT claude.update_feature_status(:'f', 'in_progress', implemented_by_identity_id => :'alice') IS NOT NULL AS started \gset
SELECT claude.add_component(:'f', 'First part', 'service', ARRAY['run']) -> 'data' ->> 'component_id' AS c1 \gset
SELECT claude.add_component(:'f', 'Second part', 'service', ARRAY['run']) -> 'data' ->> 'component_id' AS c2 \gset
SELECT claude.update_component_status(:'c1', 'in_progress') IS NOT NULL AS c1_started \gset
SELECT claude.update_component_status(:'c2', 'in_progress') IS NOT NULL AS c2_started \gset
SELECT claude.complete_component(:'c1', ARRAY['run'], 'src/first.py', has_tests => true) AS done1 \gset
SELECT is((:'done1'::jsonb) -> 'validation' -> 'warnings', '["no test coverage reported (counted as 0%, below 80%)"]'::jsonb,
          'a component completed without a coverage figure is warned about (counted as 0%)');
SELECT is((:'done1'::jsonb) -> 'metadata' ->> 'feature_ready_to_complete', 'false', 'one component left: not ready');
SELECT claude.update_feature_status(:'f', 'on_hold', reason => 'Waiting for a decision') IS NOT NULL AS held \gset
SELECT claude.complete_component(:'c2', ARRAY['run'], 'src/second.py', has_tests => true,
                                 test_coverage_percentage => 90) AS done2 \gset
SELECT is((:'done2'::jsonb) -> 'validation' -> 'warnings', '[]'::jsonb, 'coverage of 90%: no warning');
SELECT is((:'done2'::jsonb) -> 'metadata' ->> 'feature_ready_to_complete', 'false',
          'every component done, but the feature is on hold: not ready to complete');
SELECT throws_ok(format($$SELECT claude.complete_feature(%L)$$, :'f'), '55000', NULL,
                 'as complete_feature says: 55000 while on hold');
SELECT claude.update_feature_status(:'f', 'in_progress') IS NOT NULL AS resumed \gset
SELECT lives_ok(format($$SELECT claude.complete_feature(%L)$$, :'f'),
                'once resumed, the feature completes');

SELECT * FROM finish();
ROLLBACK;
