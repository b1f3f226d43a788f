-- Corner cases of the error contract: database-owned timestamps cannot be
-- forged alongside a status change; a must-have rejection is a refused move
-- (55000); update_* and validate() name every failed check at once, also
-- values that do not convert and rule failures of the other fields.
BEGIN;
SELECT plan(13);

SET LOCAL buildtracker.actor = 'pgtap';
SELECT (claude.add_project('Completeness project')->'data'->>'project_id') AS p \gset
SELECT (claude.add_identity('completeness-alice')->'data'->>'identity_id') AS alice \gset
SELECT (claude.add_feature(feature_name => 'Completeness feature', feature_type => 'feature', project_id => :'p',
        description => 'A feature to exercise the error contract')->'data'->>'feature_id') AS f \gset
SELECT claude.update_feature_status(:'f', 'planned', planned_by_identity_id => :'alice') IS NOT NULL AS planned \gset
SELECT claude.update_feature_status(:'f', 'in_progress', implemented_by_identity_id => :'alice') IS NOT NULL AS started \gset
SELECT (claude.add_component(:'f', 'Completeness part', 'service')->'data'->>'component_id') AS c \gset
SELECT (claude.add_task('Completeness task', 'A task for the error contract', 'code', feature_id => :'f')->'data'->>'task_id') AS t \gset
SELECT claude.start_task(:'t', :'alice') IS NOT NULL AS task_started \gset
SELECT (claude.add_requirement(:'f', 'Completeness requirement', 'functional', 'It must report every failed check',
        ARRAY['Given bad input then every error is named'], must_have => true,
        created_by_identity_id => :'alice')->'data'->>'requirement_id') AS r \gset

-- forged timestamps together with a status change
SELECT throws_ok(format($$UPDATE claude.build_tasks SET status = 'review', started_at = '1990-01-01' WHERE task_id = %L$$, :'t'),
                 '23514', NULL, 'a task''s started_at cannot be written together with a status change');
SELECT throws_ok(format($$UPDATE claude.features SET status = 'blocked', blocked_reason = 'x', started_date = '1990-01-01' WHERE feature_id = %L$$, :'f'),
                 '23514', NULL, 'a feature''s started_date cannot be written together with a status change');
SELECT throws_ok(format($$UPDATE claude.components SET status = 'in_progress', implemented_at = '1990-01-01' WHERE component_id = %L$$, :'c'),
                 '23514', NULL, 'a component''s implemented_at cannot be written together with a status change');
SELECT throws_ok(format($$UPDATE claude.requirements SET status = 'defined', verified_at = '1990-01-01' WHERE requirement_id = %L$$, :'r'),
                 '23514', NULL, 'a requirement''s verified_at cannot be written together with a status change');
SELECT is((SELECT started_at > '2000-01-01' FROM claude.build_tasks WHERE task_id = :'t'), true,
          'the task''s started_at is still the one the database set');

-- a must-have requirement is never rejected: a refused move
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'rejected', 'not needed')$$, :'r'),
                 '55000', NULL, 'rejecting a must-have requirement is refused with 55000');
SELECT throws_ok(format($$UPDATE claude.requirements SET status = 'rejected' WHERE requirement_id = %L$$, :'r'),
                 '55000', NULL, 'a raw rejection of a must-have requirement is refused with 55000');

-- every failed check of an update at once
CREATE FUNCTION pg_temp.detail_fields(statement text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE detail text;
BEGIN
    EXECUTE statement;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN ARRAY(SELECT e->>'field' FROM jsonb_array_elements(detail::jsonb->'errors') e ORDER BY 1);
END $$;
-- An unknown key is refused before the row's lock (SPEC section 12, bounded
-- work), with every value that does not convert; the row's rules are tried
-- once the keys are right.
SELECT is(pg_temp.detail_fields(format($$SELECT claude.update_task(%L, '{"colour": 1, "priority": "high", "task_name": "abc"}')$$, :'t')),
          ARRAY['colour', 'priority'],
          'update_task names the unknown key and the unconvertible value, before any lock');
SELECT is(pg_temp.detail_fields(format($$SELECT claude.update_task(%L, '{"priority": "high", "task_name": "abc"}')$$, :'t')),
          ARRAY['priority', 'task_name'],
          'with known keys it names the unconvertible value and the rule failure of another field');
SELECT is(pg_temp.detail_fields(format($$SELECT claude.update_requirement(%L, '{"must_have": "maybe", "description": "short"}')$$, :'r')),
          ARRAY['description', 'must_have'],
          'update_requirement names the unconvertible value and the too-short description');

-- validate(): unknown fields and unconvertible values get their field name
SELECT is((SELECT array_agg(e->>'field' ORDER BY e->>'field')
             FROM jsonb_array_elements(claude.validate('build_task', jsonb_build_object(
                 'task_name', 'abc', 'task_description', 'A valid description', 'task_type', 'code',
                 'feature_id', :'f', 'priority', 'high', 'colour', 'blue'))->'errors') e),
          ARRAY['colour', 'priority', 'task_name'],
          'validate(create) names the unknown field, the unconvertible value and the short name');
SELECT is((SELECT bool_and(e->>'code' = '23514')
             FROM jsonb_array_elements(claude.validate('build_task', jsonb_build_object(
                 'task_name', 'abc', 'feature_id', :'f', 'priority', 'high'))->'errors') e),
          true, 'validate(create) reports conversion failures as 23514');
SELECT is((SELECT count(*) FROM claude.build_tasks WHERE feature_id = :'f')::int, 1,
          'validate wrote nothing');

SELECT * FROM finish();
ROLLBACK;
