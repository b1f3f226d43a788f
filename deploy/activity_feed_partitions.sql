-- Deploy buildtracker:activity_feed_partitions to pg
-- requires: activity_logging
-- requires: feed_checkpoints
-- SPEC section 13: the activity feed range-partitioned by month on
-- created_at (UTC months), so old months are dropped whole and a month's
-- reads touch a month's indexes. A database holding rows is converted in
-- place: the rows move verbatim (ids, times, stamps and checksums kept, so
-- every checkpoint still verifies), and every index, trigger, grant, comment
-- and function that depends on the feed's row type is rebuilt on the new
-- table from the catalog. Rows of a month without a partition land in
-- activity_feed_default; claude.ensure_feed_partitions (run by run_jobs)
-- creates the months ahead and moves such rows into their month.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '60min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.feed_partition_name(month date)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- pg_partman's monthly naming, so a DBA may hand the table to pg_partman
RETURN 'activity_feed_p' || lpad(extract(year FROM month)::integer::text, 4, '0')
       || '_' || lpad(extract(month FROM month)::integer::text, 2, '0');
COMMENT ON FUNCTION claude.feed_partition_name(date) IS
    'The name of the feed''s partition for the UTC month starting on month: activity_feed_pYYYY_MM (pg_partman''s monthly naming).';

CREATE FUNCTION claude.feed_month_start(at timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
COMMENT ON FUNCTION claude.feed_month_start(timestamptz) IS
    'The start of the UTC month holding at: the lower bound of its feed partition (the partitions do not depend on the session''s TimeZone).';

CREATE FUNCTION claude.comment_feed_partition_indexes()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    index record;
    commented integer := 0;
BEGIN
    -- a partition's copy of an index says what the feed's index says
    FOR index IN
        SELECT c.relname, obj_description(i.inhparent, 'pg_class') AS comment
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid AND c.relkind = 'i'
         WHERE i.inhparent IN (SELECT x.indexrelid FROM pg_index x WHERE x.indrelid = 'claude.activity_feed'::regclass)
           AND obj_description(i.inhparent, 'pg_class') IS DISTINCT FROM obj_description(c.oid, 'pg_class')
    LOOP
        EXECUTE format('COMMENT ON INDEX claude.%I IS %L', index.relname, index.comment);
        commented := commented + 1;
    END LOOP;
    RETURN commented;
END
$$;
COMMENT ON FUNCTION claude.comment_feed_partition_indexes() IS
    'Gives each partition''s copy of a feed index the comment of the feed''s index; returns how many it set.';

-- PostgreSQL does not pass a TRUNCATE trigger on to partitions, so each
-- partition gets the feed's own (bt05_append_only_truncate): a TRUNCATE of one
-- month is refused like one of the whole feed.
CREATE FUNCTION claude.guard_feed_partition(part regclass)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = part AND t.tgname = 'bt05_append_only_truncate') THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TRIGGER bt05_append_only_truncate BEFORE TRUNCATE ON %s'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_activity_feed()', part);
    RETURN true;
END
$$;
COMMENT ON FUNCTION claude.guard_feed_partition(regclass) IS
    'Gives a partition of the feed the append-only TRUNCATE guard (PostgreSQL does not pass TRUNCATE triggers on to partitions); false when it has it.';

-- A partition is made as a plain table shaped like the feed, with the range
-- as a CHECK, then attached: ATTACH takes only SHARE UPDATE EXCLUSIVE on the
-- feed (a table made with PARTITION OF would take ACCESS EXCLUSIVE and stop
-- every writer), and the CHECK spares it a scan. Rows of that month waiting
-- in the default partition move in first, in the same transaction.
CREATE FUNCTION claude.create_feed_partition(month date)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    first timestamptz := claude.feed_month_start(month::timestamp AT TIME ZONE 'UTC');
    next timestamptz := first + interval '1 month';
    part text := claude.feed_partition_name((first AT TIME ZONE 'UTC')::date);
    -- the bounds spelled in UTC: the text of a timestamptz follows the
    -- session's TimeZone and DateStyle, and some zone abbreviations read back
    -- as other zones
    first_utc text := to_char(first AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00';
    next_utc text := to_char(next AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00';
    moved bigint := 0;
BEGIN
    IF to_regclass('claude.' || part) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE claude.%I (LIKE claude.activity_feed INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                   ' INCLUDING COMMENTS INCLUDING STORAGE INCLUDING COMPRESSION)', part);
    EXECUTE format('ALTER TABLE claude.%I ADD CONSTRAINT %I CHECK (created_at >= %L AND created_at < %L)',
                   part, part || '_range', first_utc, next_utc);
    EXECUTE format('COMMENT ON TABLE claude.%I IS %L', part,
                   format('Partition of claude.activity_feed: the rows created in %s (UTC).', to_char(first AT TIME ZONE 'UTC', 'YYYY-MM')));
    IF to_regclass('claude.activity_feed_default') IS NOT NULL THEN
        -- writers of this month wait while its rows move (a rare case: months
        -- are made ahead; imported or legacy rows of old months)
        LOCK TABLE claude.activity_feed_default IN SHARE ROW EXCLUSIVE MODE;
        EXECUTE format('INSERT INTO claude.%I SELECT * FROM claude.activity_feed_default d'
                       ' WHERE d.created_at >= $1 AND d.created_at < $2', part) USING first, next;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved > 0 THEN
            -- the guard (claude.guard_activity_feed) recognises this statement
            DELETE FROM claude.activity_feed_default d WHERE d.created_at >= first AND d.created_at < next;
        END IF;
    END IF;
    EXECUTE format('ALTER TABLE claude.activity_feed ATTACH PARTITION claude.%I FOR VALUES FROM (%L) TO (%L)',
                   part, first_utc, next_utc);
    -- the partition constraint now holds the range
    EXECUTE format('ALTER TABLE claude.%I DROP CONSTRAINT %I', part, part || '_range');
    PERFORM claude.guard_feed_partition(format('claude.%I', part)::regclass);
    PERFORM claude.comment_feed_partition_indexes();
    RETURN moved;
END
$$;
COMMENT ON FUNCTION claude.create_feed_partition(date) IS
    'Creates and attaches the feed''s partition for the UTC month holding month, moving that month''s rows out of activity_feed_default; NULL when it exists, else the number of rows moved.';

CREATE FUNCTION claude.partman_schema()
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    schema text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = 'pg_partman');
    managed boolean := false;
BEGIN
    -- without access to pg_partman's configuration the feed is not handed to it
    -- (claude.use_pg_partman grants the owner role that access)
    IF schema IS NOT NULL AND has_schema_privilege(schema, 'USAGE')
       AND has_table_privilege(format('%I.part_config', schema), 'SELECT') THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.part_config WHERE parent_table = %L)', schema, 'claude.activity_feed')
           INTO managed;
    END IF;
    RETURN CASE WHEN managed THEN schema END;
END
$$;
COMMENT ON FUNCTION claude.partman_schema() IS
    'The schema of the pg_partman extension when it manages claude.activity_feed (claude.use_pg_partman), else NULL.';

CREATE FUNCTION claude.ensure_feed_partitions(months_ahead integer DEFAULT 3)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    month date;
    moved bigint;
    created text[] := '{}'::text[];
    rows_moved bigint := 0;
    partman text := claude.partman_schema();
BEGIN
    IF months_ahead IS NULL OR months_ahead NOT BETWEEN 0 AND 36 THEN
        PERFORM claude.raise_errors(claude.err('months_ahead', 'months_ahead must be between 0 and 36'),
                                    'cannot create feed partitions');
    END IF;
    IF (SELECT c.relkind FROM pg_class c WHERE c.oid = 'claude.activity_feed'::regclass) <> 'p' THEN
        RETURN jsonb_build_object('partitioned', false, 'created', '[]'::jsonb, 'rows_moved', 0);
    END IF;
    -- The months ahead, unless pg_partman manages the feed: then its own
    -- maintenance (pg_partman_bgw, or partman.run_maintenance_proc() from
    -- cron) makes them. Not called from here: pg_partman 4 sets search_path
    -- at session level, which would leave this function's pinned path in the
    -- caller's session. And every month with rows waiting in the default
    -- partition, either way (pg_partman tolerates partitions it did not make:
    -- they carry its names).
    FOR month IN
        SELECT m::date FROM generate_series(date_trunc('month', now() AT TIME ZONE 'UTC'),
                                            date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => months_ahead),
                                            interval '1 month') m
         WHERE partman IS NULL
        UNION
        SELECT DISTINCT date_trunc('month', d.created_at AT TIME ZONE 'UTC')::date FROM claude.activity_feed_default d
        ORDER BY 1
    LOOP
        moved := claude.create_feed_partition(month);
        IF moved IS NOT NULL THEN
            created := created || claude.feed_partition_name(month);
            rows_moved := rows_moved + moved;
        END IF;
    END LOOP;
    -- partitions made by pg_partman get the TRUNCATE guard too; one another
    -- role owns (pg_partman's maintenance run by a superuser) cannot get it
    -- from here, nor can prune_activity drop it: named in the result
    PERFORM claude.guard_feed_partition(c.oid)
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'claude.activity_feed'::regclass AND c.relowner = 'buildtracker_owner'::regrole;
    RETURN jsonb_build_object('partitioned', true, 'created', to_jsonb(created), 'rows_moved', rows_moved,
                              'maintained_by', CASE WHEN partman IS NULL THEN 'buildtracker' ELSE 'pg_partman' END,
                              'owned_by_another_role', to_jsonb(ARRAY(
                                  SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                                   WHERE i.inhparent = 'claude.activity_feed'::regclass
                                     AND c.relowner <> 'buildtracker_owner'::regrole ORDER BY 1)));
END
$$;
COMMENT ON FUNCTION claude.ensure_feed_partitions(integer) IS
    'For the DBA (owner only; run_jobs runs it for writers): creates the feed''s monthly partitions from this UTC month to months_ahead (0-36, default 3) months ahead (left to pg_partman''s maintenance when it manages the feed, see claude.use_pg_partman), and one for every month with rows in activity_feed_default, moving them there; gives every partition the TRUNCATE guard; returns {"partitioned", "created": [names], "rows_moved", "maintained_by": buildtracker|pg_partman, "owned_by_another_role": [names the owner role cannot guard or prune: set pg_partman_bgw.role = buildtracker_owner]}. Run by run_jobs.';

-- Run by a superuser once, after installing the extension pg_partman: pg_partman
-- insists on making the default partition itself, so ours (emptied first)
-- makes way; the partitions keep their names (pg_partman's monthly naming).
-- No pinned search_path (it is not SECURITY DEFINER): pg_partman's
-- create_parent sets search_path at session level and restores the value it
-- found, which must be the caller's.
CREATE FUNCTION claude.use_pg_partman(premake integer DEFAULT 3)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    partman text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                      WHERE e.extname = 'pg_partman');
    part record;
BEGIN
    IF partman IS NULL THEN
        PERFORM claude.raise_errors(claude.err('pg_partman', 'the pg_partman extension is not installed in this database',
                                               '55000'), 'cannot hand the feed to pg_partman');
    END IF;
    IF premake IS NULL OR premake NOT BETWEEN 1 AND 36 THEN
        PERFORM claude.raise_errors(claude.err('premake', 'premake must be between 1 and 36'),
                                    'cannot hand the feed to pg_partman');
    END IF;
    IF claude.partman_schema() IS NOT NULL THEN
        RETURN jsonb_build_object('maintained_by', 'pg_partman', 'already', true);
    END IF;
    -- run_jobs runs the maintenance as the owner role, which owns every partition
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO buildtracker_owner', partman);
    EXECUTE format('GRANT ALL ON ALL TABLES IN SCHEMA %I TO buildtracker_owner', partman);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO buildtracker_owner', partman);
    EXECUTE format('GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA %I TO buildtracker_owner', partman);
    PERFORM claude.ensure_feed_partitions(0);
    ALTER TABLE claude.activity_feed DETACH PARTITION claude.activity_feed_default;
    -- detached, it takes no new rows: empty now means nothing is lost
    IF EXISTS (SELECT 1 FROM claude.activity_feed_default) THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = 'the default partition of the feed still holds rows; run claude.ensure_feed_partitions() and retry';
    END IF;
    DROP TABLE claude.activity_feed_default;
    EXECUTE format('SELECT %I.create_parent(p_parent_table := %L, p_control := %L, p_type := %L, p_interval := %L,'
                   ' p_premake := %s)', partman, 'claude.activity_feed', 'created_at', 'native', 'monthly', premake);
    -- and the template table create_parent just made
    EXECUTE format('GRANT ALL ON ALL TABLES IN SCHEMA %I TO buildtracker_owner', partman);
    -- months ahead whether or not rows arrive (pg_partman's default waits for data)
    EXECUTE format('UPDATE %I.part_config SET infinite_time_partitions = true WHERE parent_table = %L',
                   partman, 'claude.activity_feed');
    FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'claude.activity_feed'::regclass LOOP
        EXECUTE format('ALTER TABLE claude.%I OWNER TO buildtracker_owner', part.relname);
    END LOOP;
    COMMENT ON TABLE claude.activity_feed_default IS
        'Partition of claude.activity_feed: rows of a month that has no partition yet; claude.ensure_feed_partitions moves them into their month.';
    PERFORM claude.guard_feed_partition(i.inhrelid::regclass)
       FROM pg_inherits i WHERE i.inhparent = 'claude.activity_feed'::regclass;
    PERFORM claude.comment_feed_partition_indexes();
    RETURN jsonb_build_object('maintained_by', 'pg_partman', 'already', false,
                              'partitions', (SELECT jsonb_agg(p.partition_name) FROM claude.feed_partitions() p));
END
$$;
COMMENT ON FUNCTION claude.use_pg_partman(integer) IS
    'For a superuser, once, after CREATE EXTENSION pg_partman: registers claude.activity_feed with pg_partman (monthly, premake 1-36 months ahead, default 3): from then on pg_partman''s maintenance makes the months ahead (run_jobs still moves rows out of the default partition); the partitions keep their names and owner. Run pg_partman''s maintenance as buildtracker_owner (pg_partman_bgw.role), so that the months it makes can be guarded and pruned. Returns {"maintained_by", "already", "partitions"}.';

CREATE FUNCTION claude.feed_partitions()
RETURNS TABLE (partition_name text, range_start timestamptz, range_end timestamptz, estimated_rows bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT c.relname::text, m.first, m.first + interval '1 month', GREATEST(c.reltuples, 0)::bigint
      FROM pg_class parent
      JOIN pg_inherits i ON i.inhparent = parent.oid
      JOIN pg_class c ON c.oid = i.inhrelid
      -- the month is in the name (claude.feed_partition_name); the default partition has none
      CROSS JOIN LATERAL (SELECT CASE WHEN c.relname ~ '^activity_feed_p[0-9]{4}_[0-9]{2}$'
                                      THEN to_date(substr(c.relname, 16), 'YYYY_MM')::timestamp AT TIME ZONE 'UTC' END AS first) m
     WHERE parent.relname = 'activity_feed' AND parent.relnamespace = 'claude'::regnamespace
     ORDER BY m.first NULLS FIRST;
END;
COMMENT ON FUNCTION claude.feed_partitions() IS
    'The feed''s partitions: name, UTC month range (NULL for activity_feed_default) and the planner''s row estimate.';

-- Rebuilds claude.activity_feed as a partitioned (or, for the revert, a plain)
-- table holding the same rows. What PostgreSQL ties to the table or its row
-- type is read from the catalog first and made again afterwards, so no
-- definition is copied here: indexes, triggers, grants, comments, and the
-- functions that take or return a feed row or read it in a SQL-standard body.
CREATE FUNCTION claude.rebuild_activity_feed(partitioned boolean)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    feed regclass := 'claude.activity_feed'::regclass;
    table_comment text := obj_description(feed, 'pg_class');
    grants text[];
    index_defs text[];
    index_comments text[];
    trigger_defs text[];
    dependent record;
    functions jsonb := '[]'::jsonb;
    ordered jsonb := '[]'::jsonb;
    pending jsonb;
    f jsonb;
    copied bigint;
    month date;
    statement text;
    progress integer;
    -- where the rows wait during the rebuild (named in dynamic SQL: it exists only then)
    old_table text := 'activity_feed_rebuilt_from';
BEGIN
    IF (SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = feed) = partitioned THEN
        RETURN NULL;
    END IF;
    LOCK TABLE claude.activity_feed IN ACCESS EXCLUSIVE MODE;
    SELECT array_agg(format('GRANT %s ON claude.activity_feed TO %I', a.privilege_type, r.rolname))
      INTO grants
      FROM pg_class c, aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
     WHERE c.oid = feed AND a.grantee <> c.relowner;
    SELECT array_agg(pg_get_indexdef(i.indexrelid) ORDER BY ic.relname),
           array_agg(format('COMMENT ON INDEX claude.%I IS %L', ic.relname, obj_description(i.indexrelid, 'pg_class'))
                     ORDER BY ic.relname) FILTER (WHERE obj_description(i.indexrelid, 'pg_class') IS NOT NULL)
      INTO index_defs, index_comments
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = feed AND NOT i.indisprimary;
    SELECT array_agg(pg_get_triggerdef(t.oid) ORDER BY t.tgname)
      INTO trigger_defs
      FROM pg_trigger t WHERE t.tgrelid = feed AND NOT t.tgisinternal;
    -- functions tied to the table, its row type, or (transitively) to such a function
    FOR dependent IN
        WITH RECURSIVE tied(oid) AS (
            SELECT d.objid FROM pg_depend d
             WHERE d.classid = 'pg_proc'::regclass
               AND ((d.refclassid = 'pg_class'::regclass AND d.refobjid = feed)
                    OR (d.refclassid = 'pg_type'::regclass
                        AND d.refobjid IN (SELECT t.oid FROM pg_type t WHERE t.typrelid = feed
                                           UNION SELECT t.typarray FROM pg_type t WHERE t.typrelid = feed)))
            UNION
            SELECT d.objid FROM pg_depend d JOIN tied ON d.refobjid = tied.oid
             WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_proc'::regclass
        )
        SELECT p.oid, p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition,
               obj_description(p.oid, 'pg_proc') AS comment,
               (SELECT array_agg(format('GRANT EXECUTE ON FUNCTION %s TO %I', p.oid::regprocedure, r.rolname))
                  FROM aclexplode(p.proacl) a JOIN pg_roles r ON r.oid = a.grantee
                 WHERE a.grantee <> p.proowner) AS grants,
               ARRAY(SELECT d.refobjid FROM pg_depend d
                      WHERE d.objid = p.oid AND d.classid = 'pg_proc'::regclass
                        AND d.refclassid = 'pg_proc'::regclass AND d.refobjid IN (SELECT oid FROM tied)) AS needs
          FROM pg_proc p WHERE p.oid IN (SELECT oid FROM tied)
    LOOP
        functions := functions || jsonb_build_object('oid', dependent.oid, 'signature', dependent.signature,
            'definition', dependent.definition, 'comment', dependent.comment,
            'grants', COALESCE(to_jsonb(dependent.grants), '[]'), 'needs', to_jsonb(dependent.needs));
    END LOOP;
    -- in dependency order (a function after those it calls in its body), once
    pending := functions;
    WHILE jsonb_array_length(pending) > 0 LOOP
        progress := jsonb_array_length(pending);
        FOR f IN SELECT e FROM jsonb_array_elements(pending) e
                  WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(pending) o
                                     WHERE e -> 'needs' @> jsonb_build_array(o -> 'oid')) LOOP
            ordered := ordered || jsonb_build_array(f);
            pending := (SELECT COALESCE(jsonb_agg(e), '[]') FROM jsonb_array_elements(pending) e WHERE e -> 'oid' <> f -> 'oid');
        END LOOP;
        IF jsonb_array_length(pending) = progress THEN
            RAISE EXCEPTION 'functions tied to the activity feed depend on each other in a cycle: %', pending;
        END IF;
    END LOOP;
    -- dropped dependents first, so a dependency nobody expected stops the change
    FOR f IN SELECT x.e FROM jsonb_array_elements(ordered) WITH ORDINALITY AS x(e, n) ORDER BY x.n DESC LOOP
        EXECUTE 'DROP FUNCTION ' || (f ->> 'signature');
    END LOOP;

    EXECUTE format('ALTER TABLE claude.activity_feed RENAME TO %I', old_table);
    IF partitioned THEN
        EXECUTE format('CREATE TABLE claude.activity_feed (LIKE claude.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                       ' INCLUDING COMMENTS INCLUDING STORAGE INCLUDING COMPRESSION) PARTITION BY RANGE (created_at)',
                       old_table);
        CREATE TABLE claude.activity_feed_default (LIKE claude.activity_feed INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                                                   INCLUDING COMMENTS INCLUDING STORAGE INCLUDING COMPRESSION);
        ALTER TABLE claude.activity_feed ATTACH PARTITION claude.activity_feed_default DEFAULT;
        PERFORM claude.guard_feed_partition('claude.activity_feed_default'::regclass);
        COMMENT ON TABLE claude.activity_feed_default IS
            'Partition of claude.activity_feed: rows of a month that has no partition yet; claude.ensure_feed_partitions moves them into their month.';
        FOR month IN EXECUTE format(
            'SELECT DISTINCT date_trunc(''month'', o.created_at AT TIME ZONE ''UTC'')::date FROM claude.%I o
             UNION
             SELECT m::date FROM generate_series(date_trunc(''month'', now() AT TIME ZONE ''UTC''),
                                                 date_trunc(''month'', now() AT TIME ZONE ''UTC'') + interval ''3 months'',
                                                 interval ''1 month'') m', old_table)
        LOOP
            PERFORM claude.create_feed_partition(month);
        END LOOP;
    ELSE
        EXECUTE format('CREATE TABLE claude.activity_feed (LIKE claude.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                       ' INCLUDING COMMENTS INCLUDING STORAGE INCLUDING COMPRESSION)', old_table);
    END IF;
    -- verbatim: the new table has no trigger yet to stamp or seal them again
    EXECUTE format('INSERT INTO claude.activity_feed SELECT * FROM claude.%I', old_table);
    GET DIAGNOSTICS copied = ROW_COUNT;
    -- DROP TABLE, not DELETE: the append-only guard is not asked. No CASCADE:
    -- what depends on the feed was remade above or must stop the change (a
    -- view or foreign key of someone else's is not dropped unseen).
    EXECUTE format('DROP TABLE claude.%I', old_table);

    -- a partitioned table's unique key must hold the partition key
    IF partitioned THEN
        ALTER TABLE claude.activity_feed ADD CONSTRAINT activity_feed_pkey PRIMARY KEY (id, created_at);
    ELSE
        ALTER TABLE claude.activity_feed ADD CONSTRAINT activity_feed_pkey PRIMARY KEY (id);
    END IF;
    EXECUTE format('COMMENT ON TABLE claude.activity_feed IS %L', table_comment);
    FOREACH statement IN ARRAY COALESCE(index_defs, '{}') || COALESCE(index_comments, '{}')
                               || COALESCE(trigger_defs, '{}') || COALESCE(grants, '{}') LOOP
        EXECUTE statement;
    END LOOP;
    PERFORM claude.comment_feed_partition_indexes();
    -- made again dependencies first
    FOR f IN SELECT x.e FROM jsonb_array_elements(ordered) WITH ORDINALITY AS x(e, n) ORDER BY x.n LOOP
        EXECUTE f ->> 'definition';
        IF f ->> 'comment' IS NOT NULL THEN
            EXECUTE format('COMMENT ON FUNCTION %s IS %L', f ->> 'signature', f ->> 'comment');
        END IF;
        FOR statement IN SELECT g FROM jsonb_array_elements_text(f -> 'grants') g LOOP
            EXECUTE statement;
        END LOOP;
    END LOOP;
    RETURN copied;
END
$$;
COMMENT ON FUNCTION claude.rebuild_activity_feed(boolean) IS
    'The upgrade (partitioned true) and its revert (false): rebuilds claude.activity_feed as a partitioned or plain table holding the same rows verbatim, and remakes from the catalog its indexes, triggers, grants, comments and the functions tied to its row type; returns the rows copied (NULL when it already has that form).';

SELECT claude.rebuild_activity_feed(true);

COMMIT;
