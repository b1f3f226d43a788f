-- Deploy buildtracker:export_import to pg
-- requires: comments
-- requires: task_leases
-- requires: feed_checkpoints
-- SPEC section 10: export as JSON Lines (one entity a line, ids kept, the
-- feed and comments included) and import in one transaction (all or nothing,
-- every refused line reported). Export -> import into an empty database ->
-- export gives the same lines. The lines hold what the rows hold; the feed's
-- stamps (origin, db_user, xact_id, checksum) belong to the database that
-- writes a row, so they are left out and the importing database stamps its
-- own (origin import).
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.export_tables()
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['projects', 'identities', 'features', 'components', 'build_tasks', 'requirements',
             'task_dependencies', 'comments', 'activity_feed'];
COMMENT ON FUNCTION claude.export_tables() IS
    'The tables an export holds, in the order their lines are written (a line''s "record" is the table name).';

CREATE FUNCTION claude.feed_stamp_columns()
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['origin', 'db_user', 'xact_id', 'checksum'];
COMMENT ON FUNCTION claude.feed_stamp_columns() IS
    'The feed''s columns that describe the database which wrote a row (not the row): left out of an export, refused in an import line.';

CREATE FUNCTION claude.export_records(project_id uuid DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER
-- times as UTC text: the same lines under any session time zone
SET search_path = pg_catalog, pg_temp
SET "TimeZone" = 'UTC'
AS $$
DECLARE
    stamps text[] := claude.feed_stamp_columns();
BEGIN
    IF project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claude.projects p WHERE p.project_id = export_records.project_id) THEN
        PERFORM claude.raise_not_found('project', project_id);
    END IF;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'projects') || to_jsonb(p))::text
      FROM claude.projects p WHERE export_records.project_id IS NULL OR p.project_id = export_records.project_id
     ORDER BY p.created_at, p.project_id;
    -- every identity: they are shared by projects and few
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'identities') || to_jsonb(i))::text
      FROM claude.identities i ORDER BY i.created_at, i.identity_id;
    -- parents before children
    RETURN QUERY
    WITH RECURSIVE tree(feature_id, depth) AS (
        SELECT f.feature_id, 0 FROM claude.features f WHERE f.parent_feature_id IS NULL
        UNION ALL
        SELECT c.feature_id, t.depth + 1 FROM claude.features c JOIN tree t ON c.parent_feature_id = t.feature_id
         WHERE t.depth < 10000)
    SELECT (jsonb_build_object('record', 'features') || to_jsonb(f))::text
      FROM claude.features f LEFT JOIN (SELECT t.feature_id, min(t.depth) AS depth FROM tree t GROUP BY t.feature_id) d
           ON d.feature_id = f.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY COALESCE(d.depth, 0), f.created_at, f.feature_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'components') || to_jsonb(c))::text
      FROM claude.components c JOIN claude.features f ON f.feature_id = c.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY c.created_at, c.component_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'build_tasks') || to_jsonb(t))::text
      FROM claude.build_tasks t JOIN claude.features f ON f.feature_id = t.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY t.created_at, t.task_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'requirements') || to_jsonb(r))::text
      FROM claude.requirements r JOIN claude.features f ON f.feature_id = r.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY r.created_at, r.requirement_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'task_dependencies') || to_jsonb(d))::text
      FROM claude.task_dependencies d JOIN claude.build_tasks t ON t.task_id = d.task_id
      JOIN claude.features f ON f.feature_id = t.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY d.task_id, d.depends_on_task_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'comments') || to_jsonb(c))::text
      FROM claude.comments c
     WHERE export_records.project_id IS NULL
        OR (SELECT e.project_id FROM claude.entity_project(c.entity_type, c.entity_id) e) = export_records.project_id
     ORDER BY c.created_at, c.comment_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'activity_feed') || (to_jsonb(a) - stamps))::text
      FROM claude.activity_feed a
     WHERE export_records.project_id IS NULL
        OR a.project_name = (SELECT p.project_name FROM claude.projects p WHERE p.project_id = export_records.project_id)
     ORDER BY a.created_at, a.id;
END
$$;
COMMENT ON FUNCTION claude.export_records(uuid) IS
    'The database (or one project, with every identity) as JSON Lines, one row a line with its table in "record": projects, identities, features (parents first), components, build_tasks, requirements, task_dependencies, comments, activity_feed (without the stamps origin, db_user, xact_id, checksum); times in UTC; the same data gives the same lines. Errors: P0002 (no such project).';

CREATE FUNCTION claude.import_records(records jsonb, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET "TimeZone" = 'UTC'
AS $$
DECLARE
    -- every exported table but the feed, whose own triggers stamp and seal the rows
    entity_tables text[] := array_remove(claude.export_tables(), 'activity_feed');
    errors jsonb := '[]'::jsonb;
    counts jsonb := '{}'::jsonb;
    line jsonb;
    line_no integer := 0;
    tbl text;
    unknown text;
    parents jsonb := '[]'::jsonb;
    blockers jsonb := '[]'::jsonb;
    problem record;
    known jsonb;
    state text;
    message text;
BEGIN
    -- the caller's role, as delete_feature's force: an import writes history
    -- (ids, times, statuses) that no workflow function would accept
    IF NOT pg_has_role(CASE WHEN current_setting('role') = 'none' THEN session_user::text
                            ELSE current_setting('role') END, 'buildtracker_owner', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'cannot import: only the owner role may',
            DETAIL = jsonb_build_object('errors', claude.err('records', 'import is for the owner role only', '42501'))::text;
    END IF;
    IF jsonb_typeof(records) IS DISTINCT FROM 'array' THEN
        PERFORM claude.raise_errors(claude.err('records', 'records must be a JSON array of exported lines'), 'cannot import');
    END IF;
    -- what was wrong before the import is not the import's fault: only new
    -- violations refuse it
    SELECT COALESCE(jsonb_agg(jsonb_build_array(v.invariant, v.entity_id)), '[]') INTO known
      FROM claude.check_invariants() v;
    -- The lines are rows as they were: the rule, timestamp and logging
    -- triggers stay off for this transaction (constraints, foreign keys and
    -- uniqueness still hold); check_invariants() below checks the result.
    FOREACH tbl IN ARRAY entity_tables LOOP
        EXECUTE format('ALTER TABLE claude.%I DISABLE TRIGGER USER', tbl);
    END LOOP;
    PERFORM set_config('buildtracker.feed_origin', 'import', true);
    FOR line IN SELECT value FROM jsonb_array_elements(records) LOOP
        line_no := line_no + 1;
        tbl := line ->> 'record';
        IF jsonb_typeof(line) IS DISTINCT FROM 'object' OR tbl IS NULL OR NOT tbl = ANY (claude.export_tables()) THEN
            errors := errors || jsonb_set(claude.err(format('line %s', line_no),
                format('"record" must be one of %s', array_to_string(claude.export_tables(), ', '))), '{0,line}', to_jsonb(line_no));
            CONTINUE;
        END IF;
        -- a key no column takes would be lost silently: refused
        SELECT string_agg(k, ', ' ORDER BY k) INTO unknown
          FROM jsonb_object_keys(line - 'record') k
         WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                            WHERE a.attrelid = format('claude.%I', tbl)::regclass AND a.attname = k
                              AND a.attnum > 0 AND NOT a.attisdropped)
            OR (tbl = 'activity_feed' AND k = ANY (claude.feed_stamp_columns()));
        IF unknown IS NOT NULL THEN
            errors := errors || jsonb_set(claude.err(format('line %s', line_no),
                format('%s has no column %s', tbl, unknown)), '{0,line}', to_jsonb(line_no));
            CONTINUE;
        END IF;
        -- links inside a table are set once every row is in (any line order)
        IF tbl = 'features' AND line ->> 'parent_feature_id' IS NOT NULL THEN
            parents := parents || jsonb_build_array(jsonb_build_object('id', line -> 'feature_id', 'link', line -> 'parent_feature_id', 'line', line_no));
            line := line - 'parent_feature_id';
        ELSIF tbl = 'build_tasks' AND line ->> 'blocked_by_task_id' IS NOT NULL THEN
            blockers := blockers || jsonb_build_array(jsonb_build_object('id', line -> 'task_id', 'link', line -> 'blocked_by_task_id', 'line', line_no));
            line := line - 'blocked_by_task_id';
        END IF;
        -- identities are shared by projects (every export holds them all):
        -- one already here under the same name is the same identity
        IF tbl = 'identities' AND EXISTS (SELECT 1 FROM claude.identities i
                                           WHERE i.identity_id = (line ->> 'identity_id')::uuid
                                             AND i.identity_name = line ->> 'identity_name') THEN
            counts := jsonb_set(counts, '{identities_already_present}',
                                to_jsonb(COALESCE((counts ->> 'identities_already_present')::integer, 0) + 1));
            CONTINUE;
        END IF;
        BEGIN
            -- a feed row's id is unique: the partitioned feed's key is (id,
            -- created_at), so the same id at another time is refused here
            IF tbl = 'activity_feed' AND EXISTS (SELECT 1 FROM claude.activity_feed a WHERE a.id = (line ->> 'id')::uuid) THEN
                RAISE EXCEPTION USING ERRCODE = 'unique_violation',
                    MESSAGE = format('id %s is already in the activity feed', line ->> 'id');
            END IF;
            EXECUTE format('INSERT INTO claude.%1$I SELECT * FROM jsonb_populate_record(NULL::claude.%1$I, $1)', tbl)
              USING line - 'record';
            counts := jsonb_set(counts, ARRAY[tbl], to_jsonb(COALESCE((counts ->> tbl)::integer, 0) + 1));
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            errors := errors || jsonb_set(claude.err(format('line %s', line_no), format('%s: %s', tbl, message), state),
                                          '{0,line}', to_jsonb(line_no));
        END;
    END LOOP;
    FOR problem IN SELECT * FROM jsonb_to_recordset(parents) AS x(id uuid, link uuid, line integer) LOOP
        BEGIN
            UPDATE claude.features f SET parent_feature_id = problem.link WHERE f.feature_id = problem.id;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            errors := errors || jsonb_set(claude.err(format('line %s', problem.line), 'features: ' || message, state),
                                          '{0,line}', to_jsonb(problem.line));
        END;
    END LOOP;
    FOR problem IN SELECT * FROM jsonb_to_recordset(blockers) AS x(id uuid, link uuid, line integer) LOOP
        BEGIN
            UPDATE claude.build_tasks t SET blocked_by_task_id = problem.link WHERE t.task_id = problem.id;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            errors := errors || jsonb_set(claude.err(format('line %s', problem.line), 'build_tasks: ' || message, state),
                                          '{0,line}', to_jsonb(problem.line));
        END;
    END LOOP;
    PERFORM set_config('buildtracker.feed_origin', '', true);
    FOREACH tbl IN ARRAY entity_tables LOOP
        EXECUTE format('ALTER TABLE claude.%I ENABLE TRIGGER USER', tbl);
    END LOOP;
    -- what the rules would have refused, found on the result
    IF errors = '[]'::jsonb THEN
        FOR problem IN SELECT * FROM claude.check_invariants() v
                        WHERE NOT known @> jsonb_build_array(jsonb_build_array(v.invariant, v.entity_id)) LOOP
            errors := errors || claude.err(problem.invariant,
                format('%s %s: %s', problem.entity, problem.entity_id, problem.detail), '23514');
        END LOOP;
    END IF;
    -- all or nothing: one error naming every refused line rolls it all back
    PERFORM claude.raise_errors(errors, format('cannot import %s lines', line_no),
        'Nothing was imported; fix the lines named and import the file again.');
    RETURN jsonb_build_object('lines', line_no, 'imported', counts, 'actor', COALESCE(actor, claude.current_actor()));
END
$$;
COMMENT ON FUNCTION claude.import_records(jsonb, text) IS
    'Admin only (the owner role): loads exported lines (a JSON array of export_records objects) in the caller''s transaction, all or nothing. Rows keep their ids, times and statuses; constraints, foreign keys and uniqueness hold, and check_invariants() may find nothing new afterwards; feed rows keep id and created_at (origin import). Every refused line is named (field "line N", with its number in "line"). An identity already present with the same id and name is the same one (counted as identities_already_present), so several projects'' exports load into one database. Returns {"lines", "imported": {table: count}, "actor"}. Call it in a statement of its own: it switches the tables'' triggers off and on. Errors: 42501, 23514, 23505, 23503.';

GRANT EXECUTE ON FUNCTION claude.export_records(uuid) TO buildtracker_reader;

COMMIT;
