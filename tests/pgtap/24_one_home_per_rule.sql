-- Each rule in one place (release 1.0.0):
-- * the statuses each workflow action applies to live only in
--   claude.status_transitions (column action); the functions read them there;
-- * "nothing joins a completed or cancelled feature" is one helper,
--   claude.closed_feature_error, called by the four rule triggers;
-- * every generated constraint checker covers every constraint of its table
--   (compared with pg_constraint), and claude.rebuild_generated() brings a
--   checker up to date after a constraint is added.
BEGIN;
SELECT plan(27);
\ir include/ids_and_errors.psql

-- ---------------------------------------------------------------- actions
SELECT is(claude.action_from_statuses('build_task', 'cancel'), ARRAY['blocked', 'in_progress', 'review', 'todo'],
          'cancel applies to every unfinished task status, read from status_transitions');
SELECT is(claude.action_from_statuses('build_task', 'complete'), ARRAY['in_progress', 'review'],
          'complete applies to in_progress and review');
SELECT is(claude.action_from_statuses('build_task', 'no_such_action'), '{}'::text[],
          'an unknown action applies to no status');
SELECT is_empty($$SELECT action, entity_type FROM claude.status_transitions
                   GROUP BY action, entity_type HAVING count(DISTINCT to_status) > 1$$,
                'each action of an entity leads to one status');
SELECT is_empty($$SELECT p.proname FROM pg_proc p
                   WHERE p.pronamespace = 'claude'::regnamespace
                     -- the generated checkers hold the CHECK constraints' own expressions
                     AND COALESCE(obj_description(p.oid, 'pg_proc'), '') NOT LIKE 'Generated%'
                     AND (p.prosrc ~* 'status\s*=\s*ANY\s*\(\s*ARRAY\['
                          OR p.prosrc ~* '(require_status|lock_task|refuse_task_action|move_task)\([^;]*ARRAY\[')$$,
                'no function writes down the statuses an action applies to');

SELECT (claude.add_project('One home project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('one-home-dev')->'data'->>'identity_id') AS dev \gset
SELECT (claude.add_feature(feature_name => 'One home feature', feature_type => 'feature', project_id => :'p')
        ->'data'->>'feature_id') AS f \gset
CREATE FUNCTION pg_temp.task(name text, feature uuid) RETURNS uuid LANGUAGE sql AS $$
    SELECT (claude.add_task(name, 'A task for the one-home tests', 'code', feature_id => feature)->'data'->>'task_id')::uuid
$$;
SELECT pg_temp.task('Reviewed task', :'f') AS reviewed \gset
SELECT pg_temp.task('Blocked review task', :'f') AS held \gset
SELECT claude.start_task(:'reviewed', :'dev') IS NOT NULL AS ok \gset
SELECT claude.submit_task_for_review(:'reviewed') IS NOT NULL AS ok \gset
SELECT claude.start_task(:'held', :'dev') IS NOT NULL AS ok \gset
SELECT claude.block_task(:'held', 'Waiting for a reviewer') IS NOT NULL AS ok \gset

-- the table is the rule: take a row away and the function refuses, add one and it accepts
DELETE FROM claude.status_transitions WHERE entity_type = 'build_task' AND from_status = 'review' AND action = 'complete';
SELECT throws_ok(format($$SELECT claude.complete_task(%L, 2)$$, :'reviewed'), '55000',
                 'cannot complete task "Reviewed task": it is review; complete applies only to status in_progress',
                 'without its status_transitions row, complete_task refuses a task in review');
SELECT is(pg_temp.err(format($$SELECT claude.complete_task(%L, 2)$$, :'reviewed')) #>> '{detail,errors,0,message}',
          'it is review; complete applies only to status in_progress',
          'the error names the statuses read from the table');
SELECT throws_ok(format($$SELECT claude.submit_task_for_review(%L)$$, :'held'), '55000', NULL,
                 'submit_task_for_review refuses a blocked task');
INSERT INTO claude.status_transitions (entity_type, from_status, to_status, action, needs)
VALUES ('build_task', 'blocked', 'review', 'submit', 'test only: straight from blocked to review');
SELECT is(claude.submit_task_for_review(:'held') -> 'data' ->> 'status', 'review',
          'with a blocked row for submit, submit_task_for_review takes a blocked task to review');

-- ---------------------------------------------------------------- nothing joins a closed feature
SELECT is(claude.closed_feature_error('feature_id', 'a task', 'completed'),
          '[{"code": "55000", "field": "feature_id", "message": "a task cannot be added to a completed feature"}]'::jsonb,
          'closed_feature_error: 55000 for a completed feature');
SELECT is(claude.closed_feature_error('parent_feature_id', 'a child feature', 'cancelled') -> 0 ->> 'message',
          'a child feature cannot be added to a cancelled feature', 'and for a cancelled one');
SELECT is(claude.closed_feature_error('feature_id', 'a task', s), '[]'::jsonb,
          format('no error for a %s feature', COALESCE(s, 'missing')))
  FROM unnest(ARRAY['not_started', 'planned', 'in_progress', 'blocked', NULL]) AS s;
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
                 WHERE p.pronamespace = 'claude'::regnamespace AND p.prosrc LIKE '%closed_feature_error(%'
                 ORDER BY 1),
          ARRAY['enforce_component_rules', 'enforce_feature_rules', 'enforce_requirement_rules', 'enforce_task_rules'],
          'the four rule triggers call the helper');
SELECT is_empty($$SELECT p.proname FROM pg_proc p
                   WHERE p.pronamespace = 'claude'::regnamespace AND p.proname <> 'closed_feature_error'
                     AND p.prosrc LIKE '%cannot be added to a%'$$,
                'no other function words the rule itself');

-- ---------------------------------------------------------------- generated checkers cover every constraint
-- The constraints (and NOT NULL columns) of a table whose message is not in
-- its generated checker: the builder writes each message as a literal.
CREATE FUNCTION pg_temp.unchecked(tbl text) RETURNS text[] LANGUAGE sql AS $$
    SELECT COALESCE(array_agg(x.name ORDER BY x.name), '{}')
      FROM (SELECT k.conname::text AS name,
                   COALESCE(obj_description(k.oid, 'pg_constraint'), 'violates ' || k.conname) AS message
              FROM pg_constraint k
             WHERE k.conrelid = format('claude.%I', tbl)::regclass AND k.contype IN ('c', 'f', 'u')
            UNION ALL
            SELECT a.attname || ' not null', a.attname || ' is required'
              FROM pg_attribute a
             WHERE a.attrelid = format('claude.%I', tbl)::regclass AND a.attnum > 0
               AND NOT a.attisdropped AND a.attnotnull) AS x
     WHERE position(quote_literal(x.message) IN
                    (SELECT p.prosrc FROM pg_proc p
                      WHERE p.oid = format('claude.check_%1$s_constraints(claude.%1$I, claude.%1$I)', tbl)::regprocedure)) = 0
$$;
SELECT is(pg_temp.unchecked(t), '{}'::text[], format('the checker of %s covers every constraint', t))
  FROM unnest(ARRAY['projects', 'identities', 'features', 'components', 'build_tasks', 'requirements']) AS t;

-- a constraint added without rebuilding is found missing; rebuild_generated mends it
ALTER TABLE claude.projects ADD CONSTRAINT chk_projects_name_not_test CHECK (project_name <> 'forbidden name');
COMMENT ON CONSTRAINT chk_projects_name_not_test ON claude.projects IS 'project_name must not be forbidden name';
SELECT is(pg_temp.unchecked('projects'), ARRAY['chk_projects_name_not_test'],
          'a new constraint is reported until the checkers are rebuilt');
SELECT cmp_ok(claude.rebuild_generated(), '>=', 10, 'rebuild_generated rebuilds the checkers and row_changes');
SELECT is(pg_temp.unchecked('projects'), '{}'::text[], 'after rebuild_generated the checker covers it');

SELECT * FROM finish();
ROLLBACK;
