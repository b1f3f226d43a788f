-- Deploy buildtracker:legacy_import to pg
-- requires: api_tokens
-- SPEC section 9. On a database whose claude schema predates buildtracker,
-- the change schema set the old tables aside in claude_legacy. This change
-- brings every row back: values with a known mapping are normalised, rows
-- that cannot meet the constraints go to claude.legacy_quarantine with their
-- full data and the reason, and a summary is printed. The old tables stay in
-- claude_legacy, untouched, until the DBA drops them (docs/UPGRADING.md).
-- On a fresh install it only creates the (empty) quarantine table.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '60min';

SET LOCAL ROLE buildtracker_owner;
CREATE TABLE claude.legacy_quarantine (
    quarantine_id  uuid        NOT NULL DEFAULT gen_random_uuid(),
    source_table   text        NOT NULL,
    source_id      text,
    row_data       jsonb       NOT NULL,
    reason         text        NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT legacy_quarantine_pkey PRIMARY KEY (quarantine_id)
);
COMMENT ON TABLE claude.legacy_quarantine IS 'Rows of an older claude schema that could not meet the constraints, kept whole with the reason; see docs/UPGRADING.md to bring them back.';
COMMENT ON COLUMN claude.legacy_quarantine.quarantine_id IS 'Primary key.';
COMMENT ON COLUMN claude.legacy_quarantine.source_table IS 'The legacy table the row came from.';
COMMENT ON COLUMN claude.legacy_quarantine.source_id IS 'The row''s primary key in that table.';
COMMENT ON COLUMN claude.legacy_quarantine.row_data IS 'The whole legacy row, as it was.';
COMMENT ON COLUMN claude.legacy_quarantine.reason IS 'Every reason the row could not be imported.';
COMMENT ON COLUMN claude.legacy_quarantine.quarantined_at IS 'When the upgrade set it aside.';
RESET ROLE;

-- Conversions that answer null instead of failing: a value that does not
-- convert is treated as missing (and the row says why it was quarantined).
CREATE FUNCTION pg_temp.as_uuid(v text) RETURNS uuid LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN RETURN v::uuid; EXCEPTION WHEN OTHERS THEN RETURN NULL; END $$;
CREATE FUNCTION pg_temp.as_int(v text) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN RETURN round(v::numeric)::integer; EXCEPTION WHEN OTHERS THEN RETURN NULL; END $$;
CREATE FUNCTION pg_temp.as_num(v text) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN RETURN v::numeric; EXCEPTION WHEN OTHERS THEN RETURN NULL; END $$;
CREATE FUNCTION pg_temp.as_ts(v text) RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
BEGIN RETURN v::timestamptz; EXCEPTION WHEN OTHERS THEN RETURN NULL; END $$;
CREATE FUNCTION pg_temp.as_bool(v text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN RETURN v::boolean; EXCEPTION WHEN OTHERS THEN RETURN NULL; END $$;
CREATE FUNCTION pg_temp.as_texts(v jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(v) WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(v)) ELSE '{}'::text[] END $$;
-- a JSON null is missing too
CREATE FUNCTION pg_temp.present(v jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT NULLIF(v, 'null'::jsonb) $$;
CREATE FUNCTION pg_temp.blank(v text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT btrim(COALESCE(v, ''), E' \t\r\n\f\v') = '' $$;

DO $import$
DECLARE
    legacy_table text;
    column_name text;
    summary text[] := '{}';
    counts record;
BEGIN
    IF to_regnamespace('claude_legacy') IS NULL THEN
        RAISE NOTICE 'fresh install: no legacy claude schema to import';
        RETURN;
    END IF;

    -- Stage every legacy row as JSON: src is the row as it was, r the row
    -- being normalised, why the reasons it cannot be imported, fixed what
    -- was normalised.
    FOREACH legacy_table IN ARRAY ARRAY['projects', 'identities', 'features', 'components', 'build_tasks',
                                        'requirements', 'activity_feed'] LOOP
        EXECUTE format('CREATE TEMP TABLE st_%s (src jsonb, r jsonb, why text[] DEFAULT ''{}'', fixed text[] DEFAULT ''{}'') ON COMMIT DROP',
                       legacy_table);
        IF to_regclass(format('claude_legacy.%I', legacy_table)) IS NOT NULL THEN
            EXECUTE format('INSERT INTO st_%s (src, r) SELECT to_jsonb(x), to_jsonb(x) FROM claude_legacy.%I x',
                           legacy_table, legacy_table);
        END IF;
    END LOOP;

    -- ------------------------------------------------------------ projects, identities
    UPDATE st_projects SET why = why || 'missing project_id'::text WHERE pg_temp.as_uuid(r->>'project_id') IS NULL;
    UPDATE st_projects SET why = why || 'missing project_name'::text WHERE pg_temp.blank(r->>'project_name');
    UPDATE st_projects SET why = why || 'project_name over 255 characters'::text WHERE char_length(r->>'project_name') > 255;
    UPDATE st_projects s SET why = why || 'duplicate project_name'::text
     WHERE cardinality(why) = 0
       AND EXISTS (SELECT 1 FROM st_projects o WHERE cardinality(o.why) = 0
                      AND o.r->>'project_name' = s.r->>'project_name' AND o.r->>'project_id' < s.r->>'project_id');
    UPDATE st_identities SET why = why || 'missing identity_id'::text WHERE pg_temp.as_uuid(r->>'identity_id') IS NULL;
    UPDATE st_identities SET why = why || 'missing identity_name'::text WHERE pg_temp.blank(r->>'identity_name');
    UPDATE st_identities SET why = why || 'identity_name over 255 characters'::text WHERE char_length(r->>'identity_name') > 255;
    UPDATE st_identities s SET why = why || 'duplicate identity_name'::text
     WHERE cardinality(why) = 0
       AND EXISTS (SELECT 1 FROM st_identities o WHERE cardinality(o.why) = 0
                      AND o.r->>'identity_name' = s.r->>'identity_name' AND o.r->>'identity_id' < s.r->>'identity_id');

    -- ------------------------------------------------------------ features
    UPDATE st_features SET r = r || '{"feature_type": "infrastructure"}', fixed = fixed || 'feature_type system -> infrastructure'::text
     WHERE r->>'feature_type' = 'system';
    UPDATE st_features SET r = r || '{"status": "not_started"}', fixed = fixed || 'missing status -> not_started'::text
     WHERE r->>'status' IS NULL;
    UPDATE st_features SET r = r || '{"priority": 5}', fixed = fixed || 'missing priority -> 5'::text
     WHERE r->>'priority' IS NULL;
    UPDATE st_features SET r = r || '{"completion_percentage": 0}', fixed = fixed || 'missing completion_percentage -> 0'::text
     WHERE r->>'completion_percentage' IS NULL;
    UPDATE st_features SET why = why || 'missing feature_id'::text WHERE pg_temp.as_uuid(r->>'feature_id') IS NULL;
    UPDATE st_features SET why = why || 'missing feature_name'::text WHERE pg_temp.blank(r->>'feature_name');
    UPDATE st_features SET why = why || 'feature_name over 255 characters'::text WHERE char_length(r->>'feature_name') > 255;
    UPDATE st_features SET why = why || format('unknown feature_type %s', COALESCE(r->>'feature_type', 'null'))
     WHERE COALESCE(r->>'feature_type', '') NOT IN ('feature', 'enhancement', 'bug_fix', 'refactoring', 'integration',
                                                 'infrastructure', 'ui', 'api', 'data');
    UPDATE st_features SET why = why || format('unknown status %s', r->>'status')
     WHERE r->>'status' NOT IN ('not_started', 'planned', 'in_progress', 'blocked', 'on_hold', 'completed', 'cancelled');
    UPDATE st_features SET why = why || format('priority %s out of 1-10', r->>'priority')
     WHERE pg_temp.as_int(r->>'priority') IS NULL OR pg_temp.as_int(r->>'priority') NOT BETWEEN 1 AND 10;
    UPDATE st_features SET why = why || format('completion_percentage %s out of 0-100', r->>'completion_percentage')
     WHERE pg_temp.as_int(r->>'completion_percentage') IS NULL OR pg_temp.as_int(r->>'completion_percentage') NOT BETWEEN 0 AND 100;
    UPDATE st_features f SET why = why || 'project does not exist (orphan)'::text
     WHERE NOT EXISTS (SELECT 1 FROM st_projects p WHERE cardinality(p.why) = 0 AND p.r->>'project_id' = f.r->>'project_id');
    -- references that no longer resolve are cleared (the old value stays in claude_legacy)
    UPDATE st_features f SET r = r || '{"parent_feature_id": null}', fixed = fixed || 'parent feature does not exist -> cleared'::text
     WHERE r->>'parent_feature_id' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM st_features p WHERE cardinality(p.why) = 0 AND p.r->>'feature_id' = f.r->>'parent_feature_id'
                          AND p.r->>'project_id' = f.r->>'project_id' AND p.r->>'feature_id' <> f.r->>'feature_id');
    FOREACH column_name IN ARRAY ARRAY['planned_by_identity_id', 'implemented_by_identity_id'] LOOP
        UPDATE st_features f SET r = r || jsonb_build_object(column_name, NULL),
                                 fixed = fixed || format('%s does not exist -> cleared', column_name)
         WHERE f.r->>column_name IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM st_identities i WHERE cardinality(i.why) = 0 AND i.r->>'identity_id' = f.r->>column_name);
    END LOOP;
    -- dates consistent with the status (SPEC section 4)
    UPDATE st_features SET r = r || '{"started_date": null}', fixed = fixed || 'started_date of an unstarted feature -> cleared'::text
     WHERE r->>'status' IN ('not_started', 'planned') AND r->>'started_date' IS NOT NULL;
    UPDATE st_features SET r = r || jsonb_build_object('started_date', COALESCE(pg_temp.present(r->'completed_date'), pg_temp.present(r->'updated_at'), pg_temp.present(r->'created_at'), to_jsonb(now()))),
                           fixed = fixed || 'missing started_date -> derived'::text
     WHERE r->>'status' IN ('in_progress', 'blocked', 'on_hold', 'completed') AND r->>'started_date' IS NULL;
    UPDATE st_features SET r = r || jsonb_build_object('completed_date', COALESCE(pg_temp.present(r->'updated_at'), pg_temp.present(r->'created_at'), to_jsonb(now()))),
                           fixed = fixed || 'missing completed_date -> derived'::text
     WHERE r->>'status' = 'completed' AND r->>'completed_date' IS NULL;
    UPDATE st_features SET r = r || '{"completed_date": null}', fixed = fixed || 'completed_date of an unfinished feature -> cleared'::text
     WHERE r->>'status' <> 'completed' AND r->>'completed_date' IS NOT NULL;
    UPDATE st_features SET r = r || jsonb_build_object('started_date', r->'completed_date'),
                           fixed = fixed || 'started_date after completed_date -> completed_date'::text
     WHERE pg_temp.as_ts(r->>'completed_date') < pg_temp.as_ts(r->>'started_date');

    -- ------------------------------------------------------------ components
    UPDATE st_components SET r = r || '{"status": "completed"}', fixed = fixed || 'status complete -> completed'::text
     WHERE r->>'status' = 'complete';
    UPDATE st_components SET r = r || '{"status": "planned"}', fixed = fixed || 'missing status -> planned'::text
     WHERE r->>'status' IS NULL;
    UPDATE st_components SET r = r || jsonb_build_object('component_type', m.new_type),
                             fixed = fixed || format('component_type %s -> %s', m.old_type, m.new_type)
      FROM (VALUES ('component', 'ui_component'), ('ui', 'ui_component'), ('api', 'api_endpoint'), ('crud', 'repository'))
           AS m(old_type, new_type)
     WHERE r->>'component_type' = m.old_type;
    FOREACH column_name IN ARRAY ARRAY['planned_functions', 'planned_dependencies', 'actual_functions'] LOOP
        UPDATE st_components SET r = r || jsonb_build_object(column_name, '[]'::jsonb),
                                 fixed = fixed || format('missing %s -> none', column_name)
         WHERE jsonb_typeof(r->column_name) IS DISTINCT FROM 'array';
    END LOOP;
    FOREACH column_name IN ARRAY ARRAY['has_tests', 'has_documentation'] LOOP
        UPDATE st_components SET r = r || jsonb_build_object(column_name, false),
                                 fixed = fixed || format('missing %s -> false', column_name)
         WHERE pg_temp.as_bool(r->>column_name) IS NULL;
    END LOOP;
    UPDATE st_components SET why = why || 'missing component_id'::text WHERE pg_temp.as_uuid(r->>'component_id') IS NULL;
    UPDATE st_components SET why = why || 'missing component_name'::text WHERE pg_temp.blank(r->>'component_name');
    UPDATE st_components SET why = why || 'component_name over 255 characters'::text WHERE char_length(r->>'component_name') > 255;
    UPDATE st_components SET why = why || format('unknown component_type %s', COALESCE(r->>'component_type', 'null'))
     WHERE COALESCE(r->>'component_type', '') NOT IN ('ui_component', 'page', 'layout', 'dialog', 'hook', 'store', 'api_endpoint',
           'service', 'repository', 'middleware', 'worker', 'database', 'module', 'utility', 'config', 'types', 'test');
    UPDATE st_components SET why = why || format('unknown status %s', r->>'status')
     WHERE r->>'status' NOT IN ('planned', 'in_progress', 'completed', 'tested', 'documented', 'deprecated');
    UPDATE st_components SET why = why || format('test_coverage_percentage %s out of 0-100', r->>'test_coverage_percentage')
     WHERE r->>'test_coverage_percentage' IS NOT NULL
       AND (pg_temp.as_num(r->>'test_coverage_percentage') IS NULL
            OR pg_temp.as_num(r->>'test_coverage_percentage') NOT BETWEEN 0 AND 100);
    UPDATE st_components SET why = why || format('lines_of_code %s is negative or not a number', r->>'lines_of_code')
     WHERE r->>'lines_of_code' IS NOT NULL AND COALESCE(pg_temp.as_int(r->>'lines_of_code'), -1) < 0;
    UPDATE st_components c SET why = why || 'feature does not exist or was quarantined (orphan)'::text
     WHERE NOT EXISTS (SELECT 1 FROM st_features f WHERE cardinality(f.why) = 0 AND f.r->>'feature_id' = c.r->>'feature_id');
    UPDATE st_components s SET why = why || 'duplicate component_name within the feature'::text
     WHERE cardinality(why) = 0
       AND EXISTS (SELECT 1 FROM st_components o WHERE cardinality(o.why) = 0
                      AND o.r->>'feature_id' = s.r->>'feature_id' AND o.r->>'component_name' = s.r->>'component_name'
                      AND (o.r->>'created_at', o.r->>'component_id') < (s.r->>'created_at', s.r->>'component_id'));
    UPDATE st_components SET r = r || '{"implemented_at": null}', fixed = fixed || 'implemented_at of an unfinished component -> cleared'::text
     WHERE r->>'status' IN ('planned', 'in_progress') AND r->>'implemented_at' IS NOT NULL;
    UPDATE st_components SET r = r || jsonb_build_object('implemented_at', COALESCE(pg_temp.present(r->'updated_at'), pg_temp.present(r->'created_at'), to_jsonb(now()))),
                             fixed = fixed || 'missing implemented_at -> derived'::text
     WHERE r->>'status' IN ('completed', 'tested', 'documented') AND r->>'implemented_at' IS NULL;

    -- ------------------------------------------------------------ build tasks
    UPDATE st_build_tasks t SET r = t.r || jsonb_build_object('feature_id', c.r->'feature_id'),
                                fixed = t.fixed || 'missing feature_id -> taken from the component'::text
      FROM st_components c
     WHERE t.r->>'feature_id' IS NULL AND cardinality(c.why) = 0 AND c.r->>'component_id' = t.r->>'component_id';
    UPDATE st_build_tasks SET r = r || '{"status": "todo"}', fixed = fixed || 'missing status -> todo'::text WHERE r->>'status' IS NULL;
    UPDATE st_build_tasks SET r = r || '{"priority": 5}', fixed = fixed || 'missing priority -> 5'::text WHERE r->>'priority' IS NULL;
    UPDATE st_build_tasks SET why = why || 'missing task_id'::text WHERE pg_temp.as_uuid(r->>'task_id') IS NULL;
    UPDATE st_build_tasks SET why = why || 'missing task_name'::text WHERE pg_temp.blank(r->>'task_name');
    UPDATE st_build_tasks SET why = why || 'task_name over 255 characters'::text WHERE char_length(r->>'task_name') > 255;
    UPDATE st_build_tasks SET why = why || 'missing task_description'::text WHERE r->>'task_description' IS NULL;
    UPDATE st_build_tasks SET why = why || format('unknown task_type %s', COALESCE(r->>'task_type', 'null'))
     WHERE COALESCE(r->>'task_type', '') NOT IN ('code', 'test', 'review', 'design', 'documentation', 'research', 'bug_fix',
                                              'refactor', 'deployment', 'meeting');
    UPDATE st_build_tasks SET why = why || format('unknown status %s', r->>'status')
     WHERE r->>'status' NOT IN ('todo', 'in_progress', 'blocked', 'review', 'completed', 'cancelled');
    UPDATE st_build_tasks SET why = why || format('priority %s out of 1-10', r->>'priority')
     WHERE pg_temp.as_int(r->>'priority') IS NULL OR pg_temp.as_int(r->>'priority') NOT BETWEEN 1 AND 10;
    FOREACH column_name IN ARRAY ARRAY['estimated_hours', 'actual_hours'] LOOP
        UPDATE st_build_tasks SET why = why || format('%s %s is not a positive number', column_name, r->>column_name)
         WHERE r->>column_name IS NOT NULL AND COALESCE(pg_temp.as_num(r->>column_name), 0) <= 0;
    END LOOP;
    UPDATE st_build_tasks t SET why = why || 'neither its feature nor its component exists (orphan)'::text
     WHERE NOT EXISTS (SELECT 1 FROM st_features f WHERE cardinality(f.why) = 0 AND f.r->>'feature_id' = t.r->>'feature_id');
    UPDATE st_build_tasks t SET r = r || '{"component_id": null}', fixed = fixed || 'component does not exist in the feature -> cleared'::text
     WHERE r->>'component_id' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM st_components c WHERE cardinality(c.why) = 0 AND c.r->>'component_id' = t.r->>'component_id'
                          AND c.r->>'feature_id' = t.r->>'feature_id');
    UPDATE st_build_tasks t SET r = r || '{"assigned_to_identity_id": null}', fixed = fixed || 'assignee does not exist -> cleared'::text
     WHERE r->>'assigned_to_identity_id' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM st_identities i WHERE cardinality(i.why) = 0 AND i.r->>'identity_id' = t.r->>'assigned_to_identity_id');
    UPDATE st_build_tasks t SET r = r || '{"blocked_by_task_id": null}', fixed = fixed || 'blocking task does not exist -> cleared'::text
     WHERE r->>'blocked_by_task_id' IS NOT NULL
       AND (r->>'blocked_by_task_id' = r->>'task_id'
            OR NOT EXISTS (SELECT 1 FROM st_build_tasks b WHERE cardinality(b.why) = 0 AND b.r->>'task_id' = t.r->>'blocked_by_task_id'));
    UPDATE st_build_tasks SET r = r || '{"started_at": null}', fixed = fixed || 'started_at of a todo task -> cleared'::text
     WHERE r->>'status' = 'todo' AND r->>'started_at' IS NOT NULL;
    UPDATE st_build_tasks SET r = r || jsonb_build_object('started_at', COALESCE(pg_temp.present(r->'completed_at'), pg_temp.present(r->'updated_at'), pg_temp.present(r->'created_at'), to_jsonb(now()))),
                              fixed = fixed || 'missing started_at -> derived'::text
     WHERE r->>'status' IN ('in_progress', 'blocked', 'review', 'completed') AND r->>'started_at' IS NULL;
    UPDATE st_build_tasks SET r = r || jsonb_build_object('completed_at', COALESCE(pg_temp.present(r->'updated_at'), pg_temp.present(r->'created_at'), to_jsonb(now()))),
                              fixed = fixed || 'missing completed_at -> derived'::text
     WHERE r->>'status' = 'completed' AND r->>'completed_at' IS NULL;
    UPDATE st_build_tasks SET r = r || '{"completed_at": null}', fixed = fixed || 'completed_at of an unfinished task -> cleared'::text
     WHERE r->>'status' <> 'completed' AND r->>'completed_at' IS NOT NULL;
    UPDATE st_build_tasks SET r = r || jsonb_build_object('started_at', r->'completed_at'),
                              fixed = fixed || 'started_at after completed_at -> completed_at'::text
     WHERE pg_temp.as_ts(r->>'completed_at') < pg_temp.as_ts(r->>'started_at');

    -- ------------------------------------------------------------ requirements
    UPDATE st_requirements SET r = r || '{"status": "draft"}', fixed = fixed || 'missing status -> draft'::text WHERE r->>'status' IS NULL;
    UPDATE st_requirements SET r = r || '{"priority": 5}', fixed = fixed || 'missing priority -> 5'::text WHERE r->>'priority' IS NULL;
    UPDATE st_requirements SET r = r || '{"must_have": false}', fixed = fixed || 'missing must_have -> false'::text
     WHERE pg_temp.as_bool(r->>'must_have') IS NULL;
    UPDATE st_requirements SET r = r || '{"acceptance_criteria": []}', fixed = fixed || 'missing acceptance_criteria -> none'::text
     WHERE jsonb_typeof(r->'acceptance_criteria') IS DISTINCT FROM 'array';
    UPDATE st_requirements SET why = why || 'missing requirement_id'::text WHERE pg_temp.as_uuid(r->>'requirement_id') IS NULL;
    UPDATE st_requirements SET why = why || 'missing requirement_name'::text WHERE pg_temp.blank(r->>'requirement_name');
    UPDATE st_requirements SET why = why || 'requirement_name over 255 characters'::text WHERE char_length(r->>'requirement_name') > 255;
    UPDATE st_requirements SET why = why || format('unknown requirement_type %s', COALESCE(r->>'requirement_type', 'null'))
     WHERE COALESCE(r->>'requirement_type', '') NOT IN ('ui', 'api', 'data', 'integration', 'functional', 'performance',
           'security', 'usability', 'accessibility', 'compliance', 'config', 'deployment');
    UPDATE st_requirements SET why = why || format('unknown status %s', r->>'status')
     WHERE r->>'status' NOT IN ('draft', 'defined', 'approved', 'implemented', 'verified', 'rejected');
    UPDATE st_requirements SET why = why || format('priority %s out of 1-10', r->>'priority')
     WHERE pg_temp.as_int(r->>'priority') IS NULL OR pg_temp.as_int(r->>'priority') NOT BETWEEN 1 AND 10;
    UPDATE st_requirements SET why = why || 'a must-have requirement cannot be rejected'::text
     WHERE (r->>'must_have')::boolean AND r->>'status' = 'rejected';
    UPDATE st_requirements q SET why = why || 'feature does not exist or was quarantined (orphan)'::text
     WHERE NOT EXISTS (SELECT 1 FROM st_features f WHERE cardinality(f.why) = 0 AND f.r->>'feature_id' = q.r->>'feature_id');
    UPDATE st_requirements q SET r = r || '{"implemented_by_component_id": null}',
                             fixed = fixed || 'implementing component does not exist in the feature -> cleared'::text
     WHERE r->>'implemented_by_component_id' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM st_components c WHERE cardinality(c.why) = 0
                          AND c.r->>'component_id' = q.r->>'implemented_by_component_id' AND c.r->>'feature_id' = q.r->>'feature_id');
    UPDATE st_requirements q SET r = r || '{"created_by_identity_id": null}', fixed = fixed || 'creator does not exist -> cleared'::text
     WHERE r->>'created_by_identity_id' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM st_identities i WHERE cardinality(i.why) = 0 AND i.r->>'identity_id' = q.r->>'created_by_identity_id');
    UPDATE st_requirements SET r = r || jsonb_build_object('verified_at', COALESCE(pg_temp.present(r->'updated_at'), pg_temp.present(r->'created_at'), to_jsonb(now()))),
                               fixed = fixed || 'missing verified_at -> derived'::text
     WHERE r->>'status' = 'verified' AND r->>'verified_at' IS NULL;
    UPDATE st_requirements SET r = r || '{"verified_at": null}', fixed = fixed || 'verified_at of an unverified requirement -> cleared'::text
     WHERE r->>'status' <> 'verified' AND r->>'verified_at' IS NOT NULL;

    -- ------------------------------------------------------------ activity feed
    UPDATE st_activity_feed SET r = r || '{"severity": "info"}', fixed = fixed || 'missing severity -> info'::text
     WHERE r->>'severity' IS NULL;
    UPDATE st_activity_feed SET r = r || jsonb_build_object('title', left(r->>'title', 255),
                                    'summary', concat_ws(E'\n', 'Full title: ' || (r->>'title'), r->>'summary')),
                                fixed = fixed || 'title over 255 characters -> cut, full title kept in summary'::text
     WHERE char_length(r->>'title') > 255;
    UPDATE st_activity_feed SET why = why || 'missing id'::text WHERE pg_temp.as_uuid(r->>'id') IS NULL;
    UPDATE st_activity_feed SET why = why || 'missing title'::text WHERE pg_temp.blank(r->>'title');
    UPDATE st_activity_feed SET why = why || 'actor or project_name over 255 characters'::text
     WHERE char_length(r->>'actor') > 255 OR char_length(r->>'project_name') > 255;
    UPDATE st_activity_feed SET why = why || format('unknown source_type %s', COALESCE(r->>'source_type', 'null'))
     WHERE COALESCE(r->>'source_type', '') NOT IN ('feature', 'component', 'build_task', 'requirement', 'project', 'identity', 'system');
    UPDATE st_activity_feed SET why = why || format('unknown activity_type %s', COALESCE(r->>'activity_type', 'null'))
     WHERE COALESCE(r->>'activity_type', '') NOT IN ('created', 'updated', 'status_changed', 'completed', 'started', 'assigned',
           'blocked', 'unblocked', 'verified', 'cancelled', 'deleted');
    UPDATE st_activity_feed SET why = why || format('unknown severity %s', r->>'severity')
     WHERE r->>'severity' NOT IN ('info', 'warning', 'error', 'success');

    -- ------------------------------------------------------------ write
    -- The rows keep their own ids, names, statuses and dates: the rule,
    -- timestamp, roll-up and logging triggers stay off while they are copied
    -- (constraints and foreign keys stay on and check every row).
    ALTER TABLE claude.projects DISABLE TRIGGER USER;
    ALTER TABLE claude.identities DISABLE TRIGGER USER;
    ALTER TABLE claude.features DISABLE TRIGGER USER;
    ALTER TABLE claude.components DISABLE TRIGGER USER;
    ALTER TABLE claude.build_tasks DISABLE TRIGGER USER;
    ALTER TABLE claude.requirements DISABLE TRIGGER USER;
    ALTER TABLE claude.activity_feed DISABLE TRIGGER USER;

    INSERT INTO claude.projects (project_id, project_name, created_at, updated_at)
    SELECT (r->>'project_id')::uuid, r->>'project_name',
           COALESCE(pg_temp.as_ts(r->>'created_at'), now()), COALESCE(pg_temp.as_ts(r->>'updated_at'), now())
      FROM st_projects WHERE cardinality(why) = 0;
    INSERT INTO claude.identities (identity_id, identity_name, created_at, updated_at)
    SELECT (r->>'identity_id')::uuid, r->>'identity_name',
           COALESCE(pg_temp.as_ts(r->>'created_at'), now()), COALESCE(pg_temp.as_ts(r->>'updated_at'), now())
      FROM st_identities WHERE cardinality(why) = 0;
    INSERT INTO claude.features (feature_id, project_id, feature_name, feature_type, description, priority, status,
                                 completion_percentage, planned_date, planned_by_identity_id, started_date, completed_date,
                                 implemented_by_identity_id, design_doc_path, implementation_notes, blocked_reason,
                                 cancellation_reason, created_at, updated_at)
    SELECT (r->>'feature_id')::uuid, (r->>'project_id')::uuid, r->>'feature_name', r->>'feature_type', r->>'description',
           (r->>'priority')::integer, r->>'status', (r->>'completion_percentage')::integer, pg_temp.as_ts(r->>'planned_date'),
           (r->>'planned_by_identity_id')::uuid, pg_temp.as_ts(r->>'started_date'), pg_temp.as_ts(r->>'completed_date'),
           (r->>'implemented_by_identity_id')::uuid, r->>'design_doc_path', r->>'implementation_notes', r->>'blocked_reason',
           r->>'cancellation_reason', COALESCE(pg_temp.as_ts(r->>'created_at'), now()),
           COALESCE(pg_temp.as_ts(r->>'updated_at'), now())
      FROM st_features WHERE cardinality(why) = 0;
    UPDATE claude.features f SET parent_feature_id = (s.r->>'parent_feature_id')::uuid
      FROM st_features s
     WHERE cardinality(s.why) = 0 AND s.r->>'parent_feature_id' IS NOT NULL AND f.feature_id = (s.r->>'feature_id')::uuid;
    INSERT INTO claude.components (component_id, feature_id, component_name, component_type, file_path, planned_functions,
                                   planned_dependencies, actual_functions, status, lines_of_code, has_tests,
                                   test_coverage_percentage, has_documentation, doc_path, implemented_at, created_at, updated_at)
    SELECT (r->>'component_id')::uuid, (r->>'feature_id')::uuid, r->>'component_name', r->>'component_type', r->>'file_path',
           pg_temp.as_texts(r->'planned_functions'), pg_temp.as_texts(r->'planned_dependencies'),
           pg_temp.as_texts(r->'actual_functions'), r->>'status', pg_temp.as_int(r->>'lines_of_code'),
           (r->>'has_tests')::boolean, pg_temp.as_num(r->>'test_coverage_percentage'), (r->>'has_documentation')::boolean,
           r->>'doc_path', pg_temp.as_ts(r->>'implemented_at'), COALESCE(pg_temp.as_ts(r->>'created_at'), now()),
           COALESCE(pg_temp.as_ts(r->>'updated_at'), now())
      FROM st_components WHERE cardinality(why) = 0;
    INSERT INTO claude.build_tasks (task_id, feature_id, component_id, task_name, task_description, task_type, status,
                                    priority, assigned_to_identity_id, estimated_hours, actual_hours, started_at,
                                    completed_at, blocked_reason, completion_notes, cancellation_reason, created_at, updated_at)
    SELECT (r->>'task_id')::uuid, (r->>'feature_id')::uuid, (r->>'component_id')::uuid, r->>'task_name', r->>'task_description',
           r->>'task_type', r->>'status', (r->>'priority')::integer, (r->>'assigned_to_identity_id')::uuid,
           pg_temp.as_num(r->>'estimated_hours'), pg_temp.as_num(r->>'actual_hours'), pg_temp.as_ts(r->>'started_at'),
           pg_temp.as_ts(r->>'completed_at'), r->>'blocked_reason', r->>'completion_notes', r->>'cancellation_reason',
           COALESCE(pg_temp.as_ts(r->>'created_at'), now()), COALESCE(pg_temp.as_ts(r->>'updated_at'), now())
      FROM st_build_tasks WHERE cardinality(why) = 0;
    UPDATE claude.build_tasks t SET blocked_by_task_id = (s.r->>'blocked_by_task_id')::uuid
      FROM st_build_tasks s
     WHERE cardinality(s.why) = 0 AND s.r->>'blocked_by_task_id' IS NOT NULL AND t.task_id = (s.r->>'task_id')::uuid;
    INSERT INTO claude.requirements (requirement_id, feature_id, requirement_name, requirement_type, description,
                                     acceptance_criteria, status, priority, must_have, implemented_by_component_id,
                                     verified_at, verified_by_test_run_id, created_by_identity_id, created_at, updated_at)
    SELECT (r->>'requirement_id')::uuid, (r->>'feature_id')::uuid, r->>'requirement_name', r->>'requirement_type',
           r->>'description', pg_temp.as_texts(r->'acceptance_criteria'), r->>'status', (r->>'priority')::integer,
           (r->>'must_have')::boolean, (r->>'implemented_by_component_id')::uuid, pg_temp.as_ts(r->>'verified_at'),
           pg_temp.as_uuid(r->>'verified_by_test_run_id'), (r->>'created_by_identity_id')::uuid,
           COALESCE(pg_temp.as_ts(r->>'created_at'), now()), COALESCE(pg_temp.as_ts(r->>'updated_at'), now())
      FROM st_requirements WHERE cardinality(why) = 0;
    INSERT INTO claude.activity_feed (id, source_type, source_id, actor, activity_type, title, summary, project_name,
                                      severity, created_at)
    SELECT (r->>'id')::uuid, r->>'source_type', pg_temp.as_uuid(r->>'source_id'), r->>'actor', r->>'activity_type',
           r->>'title', r->>'summary', r->>'project_name', r->>'severity', COALESCE(pg_temp.as_ts(r->>'created_at'), now())
      FROM st_activity_feed WHERE cardinality(why) = 0;

    -- Every imported entity gets its creation row, so its history starts here.
    INSERT INTO claude.activity_feed (source_type, source_id, actor, activity_type, title, summary, project_name, severity, changes)
    SELECT e.source_type, e.source_id, claude.current_actor(), 'created', left(e.title, 255),
           'Imported from the older claude schema by the buildtracker upgrade'
               || COALESCE('; normalised: ' || array_to_string(e.fixed, '; '), ''),
           e.project_name, 'info', jsonb_build_object('legacy_import', true)
      FROM (SELECT 'feature' AS source_type, (s.r->>'feature_id')::uuid AS source_id,
                   'Feature imported: ' || (s.r->>'feature_name') AS title, p.project_name, NULLIF(s.fixed, '{}') AS fixed
              FROM st_features s JOIN claude.projects p ON p.project_id = (s.r->>'project_id')::uuid
             WHERE cardinality(s.why) = 0
            UNION ALL
            SELECT 'component', (s.r->>'component_id')::uuid, 'Component imported: ' || (s.r->>'component_name'),
                   claude.project_name_of((s.r->>'feature_id')::uuid), NULLIF(s.fixed, '{}')
              FROM st_components s WHERE cardinality(s.why) = 0
            UNION ALL
            SELECT 'build_task', (s.r->>'task_id')::uuid, 'Task imported: ' || (s.r->>'task_name'),
                   claude.project_name_of((s.r->>'feature_id')::uuid), NULLIF(s.fixed, '{}')
              FROM st_build_tasks s WHERE cardinality(s.why) = 0
            UNION ALL
            SELECT 'requirement', (s.r->>'requirement_id')::uuid, 'Requirement imported: ' || (s.r->>'requirement_name'),
                   claude.project_name_of((s.r->>'feature_id')::uuid), NULLIF(s.fixed, '{}')
              FROM st_requirements s WHERE cardinality(s.why) = 0) AS e;

    -- sealed like every other row (the seal trigger was off with the others)
    UPDATE claude.activity_feed a SET checksum = claude.activity_checksum(a) WHERE a.checksum IS NULL;

    ALTER TABLE claude.projects ENABLE TRIGGER USER;
    ALTER TABLE claude.identities ENABLE TRIGGER USER;
    ALTER TABLE claude.features ENABLE TRIGGER USER;
    ALTER TABLE claude.components ENABLE TRIGGER USER;
    ALTER TABLE claude.build_tasks ENABLE TRIGGER USER;
    ALTER TABLE claude.requirements ENABLE TRIGGER USER;
    ALTER TABLE claude.activity_feed ENABLE TRIGGER USER;

    -- The completion percentage is derived data: bring it in line with the
    -- imported components and tasks (each change is logged as an update).
    PERFORM claude.refresh_feature_completion((s.r->>'feature_id')::uuid)
       FROM st_features s WHERE cardinality(s.why) = 0;

    -- ------------------------------------------------------------ quarantine and summary
    FOREACH legacy_table IN ARRAY ARRAY['projects', 'identities', 'features', 'components', 'build_tasks',
                                        'requirements', 'activity_feed'] LOOP
        EXECUTE format(
            'INSERT INTO claude.legacy_quarantine (source_table, source_id, row_data, reason)
             SELECT %L, src->>%L, src, array_to_string(why, ''; '') FROM st_%s WHERE cardinality(why) > 0',
            legacy_table,
            CASE legacy_table WHEN 'build_tasks' THEN 'task_id' WHEN 'activity_feed' THEN 'id'
                              WHEN 'identities' THEN 'identity_id' ELSE rtrim(legacy_table, 's') || '_id' END,
            legacy_table);
        EXECUTE format(
            'SELECT count(*) AS total, count(*) FILTER (WHERE cardinality(why) = 0) AS imported,
                    count(*) FILTER (WHERE cardinality(why) = 0 AND cardinality(fixed) > 0) AS normalised,
                    count(*) FILTER (WHERE cardinality(why) > 0) AS quarantined
               FROM st_%s', legacy_table)
           INTO counts;
        summary := summary || format('%s: %s rows, %s imported (%s normalised), %s quarantined',
                                     legacy_table, counts.total, counts.imported, counts.normalised, counts.quarantined);
    END LOOP;

    INSERT INTO claude.activity_feed (source_type, actor, activity_type, title, summary, severity, changes)
    VALUES ('system', claude.current_actor(), 'updated', 'Upgraded an older claude schema to buildtracker',
            array_to_string(summary, E'\n'),
            CASE WHEN EXISTS (SELECT 1 FROM claude.legacy_quarantine) THEN 'warning' ELSE 'success' END,
            jsonb_build_object('legacy_import', true, 'summary', to_jsonb(summary)));

    RAISE NOTICE E'legacy upgrade summary (old tables kept in schema claude_legacy):\n  %',
        array_to_string(summary, E'\n  ');
    RAISE NOTICE E'normalised:\n  %', COALESCE((
        SELECT string_agg(format('%s x %s', n, f), E'\n  ' ORDER BY f)
          FROM (SELECT f, count(*) AS n FROM (
                    SELECT unnest(fixed) AS f FROM st_features WHERE cardinality(why) = 0
                    UNION ALL SELECT unnest(fixed) FROM st_components WHERE cardinality(why) = 0
                    UNION ALL SELECT unnest(fixed) FROM st_build_tasks WHERE cardinality(why) = 0
                    UNION ALL SELECT unnest(fixed) FROM st_requirements WHERE cardinality(why) = 0
                    UNION ALL SELECT unnest(fixed) FROM st_activity_feed WHERE cardinality(why) = 0) AS all_fixed
                 GROUP BY f) AS c), 'nothing');
    RAISE NOTICE E'quarantined (see claude.legacy_quarantine):\n  %', COALESCE((
        SELECT string_agg(format('%s %s: %s', source_table, source_id, reason), E'\n  ' ORDER BY source_table, source_id)
          FROM claude.legacy_quarantine), 'nothing');
END
$import$;

COMMIT;
