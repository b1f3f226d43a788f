-- The rows a cross-row rule reads are locked before the rule trigger reads
-- them (bt15 fires before bt20). The waits themselves need two sessions and
-- are shown in tests/python/test_concurrency.py; here: the triggers exist,
-- fire in that order and only on the columns that link rows, and the rules
-- they protect still accept and refuse as before.
BEGIN;
SELECT plan(16);

SELECT trigger_is('claude', tbl, 'bt15_lock_parent_rows', 'claude', fn,
                  format('%s: bt15_lock_parent_rows runs claude.%s()', tbl, fn))
  FROM (VALUES ('components', 'lock_component_parents'),
               ('build_tasks', 'lock_task_parents'),
               ('requirements', 'lock_requirement_parents')) AS t(tbl, fn);

-- (build_tasks has no bt10: its rule trigger sets the timestamps, lean_triggers)
SELECT is((SELECT array_agg(g.tgname::text ORDER BY g.tgname COLLATE "C")
             FROM pg_trigger g
            WHERE g.tgrelid = t::regclass AND NOT g.tgisinternal
              AND g.tgname IN ('bt10_touch_timestamps', 'bt15_lock_parent_rows', 'bt20_enforce_rules')),
          want,
          format('%s: the locks come after the timestamps and before the rules (BEFORE triggers fire in name order)', t))
  FROM (VALUES ('claude.components', ARRAY['bt10_touch_timestamps', 'bt15_lock_parent_rows', 'bt20_enforce_rules']),
               ('claude.build_tasks', ARRAY['bt15_lock_parent_rows', 'bt20_enforce_rules']),
               ('claude.requirements', ARRAY['bt10_touch_timestamps', 'bt15_lock_parent_rows', 'bt20_enforce_rules'])) AS x(t, want);

SELECT is((SELECT array_agg(a.attname::text ORDER BY a.attname)
             FROM pg_trigger g JOIN pg_attribute a ON a.attrelid = g.tgrelid AND a.attnum = ANY(g.tgattr)
            WHERE g.tgname = 'bt15_lock_parent_rows' AND g.tgrelid = t::regclass),
          cols, format('%s: fires on updates of %s only', t, array_to_string(cols, ', ')))
  FROM (VALUES ('claude.components', ARRAY['feature_id']),
               ('claude.build_tasks', ARRAY['component_id', 'feature_id']),
               ('claude.requirements', ARRAY['feature_id', 'implemented_by_component_id', 'status'])) AS x(t, cols);

SELECT (claude.add_project('Locks project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('locks-alice')->'data'->>'identity_id') AS alice \gset
SELECT (claude.add_feature(feature_name => 'Locks feature A', feature_type => 'feature', project_id => :'p')->'data'->>'feature_id') AS fa \gset
SELECT (claude.add_feature(feature_name => 'Locks feature B', feature_type => 'feature', project_id => :'p')->'data'->>'feature_id') AS fb \gset
SELECT (claude.add_component(:'fa', 'Locked component', 'service')->'data'->>'component_id') AS c \gset

SELECT is((claude.add_task('Task given a component', 'Attached to the locked component', 'code', component_id => :'c')
             -> 'data' ->> 'feature_id'), :'fa',
          'a task given only a component still joins the component''s feature');
SELECT throws_ok(format($$SELECT claude.add_task('Task in the wrong feature', 'Names a component of another feature', 'code',
                                                 component_id => %L, feature_id => %L)$$, :'c', :'fb'),
                 '23514', NULL, 'a task naming a component of another feature is still refused');
SELECT (claude.add_requirement(:'fb', 'Requirement elsewhere', 'functional', 'A requirement of feature B',
        ARRAY['Given it then it holds'], created_by_identity_id => :'alice')->'data'->>'requirement_id') AS r \gset
SELECT throws_ok(format($$UPDATE claude.requirements SET implemented_by_component_id = %L WHERE requirement_id = %L$$, :'c', :'r'),
                 '23514', NULL, 'a requirement still cannot be implemented by a component of another feature');
SELECT lives_ok(format($$SELECT claude.update_component(%L, '{"feature_id": "%s"}')$$, :'c', :'fb'),
                'a component still moves (its tasks are locked, then both features)');
SELECT is((SELECT count(*) FROM claude.build_tasks WHERE component_id = :'c' AND feature_id = :'fb')::int, 1,
          'and its task moved along');

SELECT lives_ok(format($$SELECT claude.update_feature_status(%L, 'cancelled', reason => 'No longer needed')$$, :'fa'),
                'feature A is cancelled');
SELECT throws_ok(format($$SELECT claude.add_component(%L, 'Late component', 'service')$$, :'fa'),
                 '55000', NULL, 'nothing is added to a cancelled feature');

SELECT * FROM finish();
ROLLBACK;
