-- Deploy buildtracker:activity_logging to pg
-- requires: completion_rollup
-- requires: feed_checkpoints
-- requires: task_leases
-- SPEC section 5: one activity row per insert, status change, other update
-- and delete of a feature, component, task or requirement; an append-only
-- feed; warnings and errors published with pg_notify; log_activity and
-- get_activity for applications.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.guard_activity_feed()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    stack text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- Only the DELETE statement of claude.prune_activity passes: its frame
        -- must call this trigger directly. A session setting would let anyone
        -- who may DELETE (the owner) switch the guard off unseen; getting past
        -- this check takes DDL (replacing prune_activity or the trigger).
        -- Matched on what PostgreSQL never translates (the statement's text
        -- and the function's signature), so it works under any lc_messages.
        GET DIAGNOSTICS stack = PG_CONTEXT;
        IF strpos((string_to_array(stack, E'\n'))[2], 'DELETE FROM claude.activity_feed a WHERE a.xact_id < prune_horizon') > 0
           AND (string_to_array(stack, E'\n'))[3] ~ '(^|[^"])\mclaude\.prune_activity\(interval,text\)' THEN
            RETURN OLD;
        END IF;
        -- and the move of a month's rows out of the default partition into
        -- their new partition (copied first, in the same transaction)
        IF strpos((string_to_array(stack, E'\n'))[2],
                  'DELETE FROM claude.activity_feed_default d WHERE d.created_at >= first AND d.created_at < next') > 0
           AND (string_to_array(stack, E'\n'))[3] ~ '(^|[^"])\mclaude\.create_feed_partition\(date\)' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'object_not_in_prerequisite_state',
        MESSAGE = format('the activity feed is append-only: %s is not allowed', TG_OP),
        DETAIL = jsonb_build_object('errors', claude.err('activity_feed',
                     format('%s on the activity feed is not allowed', TG_OP), '55000'))::text,
        HINT = 'Old rows can be pruned with claude.prune_activity(older_than), which records the pruning.';
END
$$;
COMMENT ON FUNCTION claude.guard_activity_feed() IS
    'Trigger: refuses UPDATE, DELETE and TRUNCATE on the activity feed, even for the owner; only the DELETE statements inside claude.prune_activity and claude.create_feed_partition (which moves rows it has just copied) pass (checked on the call stack, not by a setting anyone could make).';

CREATE OR REPLACE TRIGGER bt05_append_only
    BEFORE UPDATE OR DELETE ON claude.activity_feed
    FOR EACH ROW EXECUTE FUNCTION claude.guard_activity_feed();
CREATE OR REPLACE TRIGGER bt05_append_only_truncate
    BEFORE TRUNCATE ON claude.activity_feed
    FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_activity_feed();

CREATE OR REPLACE FUNCTION claude.notify_activity()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Delivered by PostgreSQL at commit, and not at all on rollback.
    PERFORM pg_notify('buildtracker_activity', jsonb_build_object(
        'id', NEW.id, 'activity_type', NEW.activity_type, 'title', NEW.title,
        'severity', NEW.severity, 'project_name', NEW.project_name,
        'source_type', NEW.source_type, 'source_id', NEW.source_id)::text);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.notify_activity() IS
    'Trigger: publishes warning and error activity rows on channel buildtracker_activity (JSON: id, activity_type, title, severity, project_name, source_type, source_id).';

CREATE OR REPLACE TRIGGER bt90_notify
    AFTER INSERT ON claude.activity_feed
    FOR EACH ROW WHEN (NEW.severity IN ('warning', 'error'))
    EXECUTE FUNCTION claude.notify_activity();

CREATE OR REPLACE FUNCTION claude.log_activity(
    source_type text,
    source_id uuid,
    activity_type text,
    title text,
    summary text DEFAULT NULL,
    actor text DEFAULT NULL,
    project_name text DEFAULT NULL,
    severity text DEFAULT 'info',
    changes jsonb DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id uuid;
    errors jsonb := '[]'::jsonb;
BEGIN
    IF claude.too_short(title, 1) THEN
        errors := errors || claude.err('title', 'title is required');
    END IF;
    IF source_type IS NULL OR source_type NOT IN ('feature', 'component', 'build_task', 'requirement', 'project', 'identity', 'system') THEN
        errors := errors || claude.err('source_type', 'source_type must be one of feature, component, build_task, requirement, project, identity, system');
    END IF;
    IF activity_type IS NULL OR activity_type NOT IN ('created', 'updated', 'status_changed', 'completed', 'started', 'assigned',
                                                      'blocked', 'unblocked', 'verified', 'cancelled', 'deleted') THEN
        errors := errors || claude.err('activity_type', 'activity_type must be one of created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted');
    END IF;
    IF COALESCE(severity, 'info') NOT IN ('info', 'warning', 'error', 'success') THEN
        errors := errors || claude.err('severity', 'severity must be one of info, warning, error, success');
    END IF;
    IF jsonb_typeof(changes) = 'object' AND changes ?| claude.reserved_feed_keys() THEN
        errors := errors || claude.err('changes', format('changes may not hold %s: only the database writes them',
            (SELECT string_agg(k, ', ') FROM unnest(claude.reserved_feed_keys()) k WHERE changes ? k)));
    END IF;
    PERFORM claude.raise_errors(errors, 'cannot log activity');
    new_id := claude.append_activity('caller', log_activity.source_type, log_activity.source_id,
        log_activity.activity_type, left(btrim(log_activity.title), 255), log_activity.summary,
        COALESCE(log_activity.actor, claude.current_actor()), log_activity.project_name,
        COALESCE(log_activity.severity, 'info'), log_activity.changes);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION claude.log_activity(text, uuid, text, text, text, text, text, text, jsonb) IS
    'The seed''s logging function, for applications'' own events: validates the values, refuses the keys only the database writes in changes (claude.reserved_feed_keys), truncates the title to 255 characters, defaults the actor; the row is marked origin caller. Returns the new row''s id. Errors: 23514.';

CREATE OR REPLACE FUNCTION claude.project_name_of(feature_id uuid)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    name text;
BEGIN
    SELECT p.project_name INTO name
      FROM claude.features f JOIN claude.projects p ON p.project_id = f.project_id
     WHERE f.feature_id = project_name_of.feature_id;
    IF NOT FOUND THEN
        -- the feature is being deleted in this statement (cascade): its history knows
        SELECT a.project_name INTO name
          FROM claude.activity_feed a
         WHERE a.source_type = 'feature' AND a.source_id = project_name_of.feature_id AND a.project_name IS NOT NULL
         ORDER BY a.created_at DESC LIMIT 1;
    END IF;
    RETURN name;
END
$$;
COMMENT ON FUNCTION claude.project_name_of(uuid) IS
    'Project name of a feature, also while the feature is being deleted (taken from its history then).';

CREATE OR REPLACE FUNCTION claude.log_entity_activity()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source_type text := CASE TG_TABLE_NAME WHEN 'features' THEN 'feature' WHEN 'components' THEN 'component'
                                           WHEN 'build_tasks' THEN 'build_task' ELSE 'requirement' END;
    label text := replace(initcap(replace(source_type, '_', ' ')), 'Build Task', 'Task');
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    row_data jsonb := COALESCE(new_row, old_row);
    entity_id uuid := (row_data ->> CASE source_type WHEN 'build_task' THEN 'task_id' ELSE source_type || '_id' END)::uuid;
    entity_name text := row_data ->> CASE source_type WHEN 'build_task' THEN 'task_name' ELSE source_type || '_name' END;
    old_status text := old_row ->> 'status';
    new_status text := new_row ->> 'status';
    diff jsonb;
    kind text;
    severity text := 'info';
    title text;
    summary text;
    reason text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        kind := 'created';
        title := format('%s created: %s', label, entity_name);
        summary := format('New %s %s', COALESCE(row_data ->> (source_type || '_type'), row_data ->> 'task_type'), replace(source_type, '_', ' '));
    ELSIF TG_OP = 'DELETE' THEN
        kind := 'deleted';
        title := format('%s deleted: %s', label, entity_name);
        summary := format('Deleted while %s', old_status);
        diff := jsonb_build_object('deleted', old_row);
    ELSE
        -- generated for this table (claude.build_row_changes), inlined: no query
        diff := claude.row_changes(NEW, OLD);
        IF diff IS NULL THEN
            RETURN NULL;  -- nothing but updated_at changed
        END IF;
        IF new_status IS DISTINCT FROM old_status THEN
            kind := CASE
                WHEN new_status = 'completed' THEN 'completed'
                WHEN new_status = 'verified' THEN 'verified'
                WHEN new_status = 'cancelled' THEN 'cancelled'
                WHEN new_status = 'blocked' THEN 'blocked'
                WHEN new_status = 'in_progress' AND old_status = 'blocked' THEN 'unblocked'
                WHEN new_status = 'in_progress' AND old_status IN ('todo', 'planned') THEN 'started'
                ELSE 'status_changed' END;
            severity := CASE WHEN kind IN ('completed', 'verified') THEN 'success'
                             WHEN kind IN ('blocked', 'cancelled') THEN 'warning' ELSE 'info' END;
            reason := COALESCE(claude.current_note(),
                               CASE WHEN new_status IN ('blocked', 'on_hold') THEN new_row ->> 'blocked_reason'
                                    WHEN new_status = 'cancelled' THEN new_row ->> 'cancellation_reason' END);
            title := format('%s %s: %s', label,
                            replace(CASE WHEN source_type = 'build_task' AND old_status = 'in_progress' AND new_status = 'todo'
                                         THEN 'released'
                                         WHEN kind = 'status_changed' THEN new_status ELSE kind END, '_', ' '),
                            entity_name);
            summary := format('Status %s -> %s', old_status, new_status) || COALESCE('. Reason: ' || reason, '');
        ELSIF diff ? 'assigned_to_identity_id' AND old_status = 'in_progress'
              AND (old_row ->> 'lease_expires_at')::timestamptz < now() THEN
            -- claim_next_task took over a task whose lease had expired
            kind := 'reclaimed';
            severity := 'warning';
            title := format('%s reclaimed: %s', label, entity_name);
            summary := format('The lease of %s expired at %s; now held by %s',
                COALESCE((SELECT i.identity_name FROM claude.identities i
                           WHERE i.identity_id = (old_row ->> 'assigned_to_identity_id')::uuid), 'nobody'),
                old_row ->> 'lease_expires_at',
                COALESCE((SELECT i.identity_name FROM claude.identities i
                           WHERE i.identity_id = (new_row ->> 'assigned_to_identity_id')::uuid), 'nobody'));
        ELSIF diff ? 'assigned_to_identity_id' THEN
            kind := 'assigned';
            title := format('%s assigned: %s', label, entity_name);
            summary := 'Assignee changed; fields changed: ' || (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(diff) AS k);
        ELSE
            kind := 'updated';
            title := format('%s updated: %s', label, entity_name);
            summary := 'Fields changed: ' || (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(diff) AS k)
                       || COALESCE('. Note: ' || claude.current_note(), '');
        END IF;
    END IF;

    INSERT INTO claude.activity_feed AS a (source_type, source_id, actor, activity_type, title, summary,
                                           project_name, severity, changes)
    VALUES (source_type, entity_id, claude.current_actor(), kind, left(title, 255), summary,
            CASE WHEN source_type = 'feature'
                 THEN (SELECT p.project_name FROM claude.projects p WHERE p.project_id = (row_data ->> 'project_id')::uuid)
                 ELSE claude.project_name_of((row_data ->> 'feature_id')::uuid) END,
            severity, diff);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.log_entity_activity() IS
    'Trigger: writes one activity row per insert, status change (most specific type), other update (with the changed fields, old and new) and delete (with the last state) of a feature, component, task or requirement.';

CREATE OR REPLACE TRIGGER bt90_log_activity
    AFTER INSERT OR UPDATE OR DELETE ON claude.features
    FOR EACH ROW EXECUTE FUNCTION claude.log_entity_activity();
CREATE OR REPLACE TRIGGER bt90_log_activity
    AFTER INSERT OR UPDATE OR DELETE ON claude.components
    FOR EACH ROW EXECUTE FUNCTION claude.log_entity_activity();
CREATE OR REPLACE TRIGGER bt90_log_activity
    AFTER INSERT OR UPDATE OR DELETE ON claude.build_tasks
    FOR EACH ROW EXECUTE FUNCTION claude.log_entity_activity();
CREATE OR REPLACE TRIGGER bt90_log_activity
    AFTER INSERT OR UPDATE OR DELETE ON claude.requirements
    FOR EACH ROW EXECUTE FUNCTION claude.log_entity_activity();

-- Built per call from the filters that are set (values bound as parameters),
-- so each call is planned for its own filters and uses the matching index;
-- a.* is expanded at run time, so a column added later is returned too.
CREATE OR REPLACE FUNCTION claude.get_activity(
    project_name text DEFAULT NULL,
    source_type text DEFAULT NULL,
    source_id uuid DEFAULT NULL,
    actor text DEFAULT NULL,
    activity_type text DEFAULT NULL,
    severities text[] DEFAULT NULL,
    since timestamptz DEFAULT NULL,
    before timestamptz DEFAULT NULL,
    max_rows integer DEFAULT 50,
    before_id uuid DEFAULT NULL)
RETURNS SETOF claude.activity_feed
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    filters text[] := '{}'::text[];
BEGIN
    IF project_name IS NOT NULL THEN filters := filters || 'a.project_name = $1'::text; END IF;
    IF source_type IS NOT NULL THEN filters := filters || 'a.source_type = $2'::text; END IF;
    IF source_id IS NOT NULL THEN filters := filters || 'a.source_id = $3'::text; END IF;
    IF actor IS NOT NULL THEN filters := filters || 'a.actor = $4'::text; END IF;
    IF activity_type IS NOT NULL THEN filters := filters || 'a.activity_type = $5'::text; END IF;
    IF severities IS NOT NULL THEN filters := filters || 'a.severity = ANY ($6)'::text; END IF;
    IF since IS NOT NULL THEN filters := filters || 'a.created_at >= $7'::text; END IF;
    IF before IS NOT NULL AND before_id IS NOT NULL THEN
        -- keyset on (created_at, id): rows sharing a created_at are not skipped
        filters := filters || '(a.created_at, a.id) < ($8, $10)'::text;
    ELSIF before IS NOT NULL THEN
        filters := filters || 'a.created_at < $8'::text;
    END IF;
    RETURN QUERY EXECUTE
        'SELECT a.* FROM claude.activity_feed a'
        || COALESCE(' WHERE ' || NULLIF(array_to_string(filters, ' AND '), ''), '')
        || ' ORDER BY a.created_at DESC, a.id DESC LIMIT $9'
      USING project_name, source_type, source_id, actor, activity_type, severities, since, before,
            LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000), before_id;
END
$$;
COMMENT ON FUNCTION claude.get_activity(text, text, uuid, text, text, text[], timestamptz, timestamptz, integer, uuid) IS
    'The activity feed, newest first, filtered; page backwards by passing the last row''s created_at as before and its id as before_id. max_rows 0-1000, default 50.';

CREATE OR REPLACE FUNCTION claude.prune_activity(older_than interval, actor text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pruned bigint;
    cutoff timestamptz := now() - older_than;
    last_pruned claude.feed_checkpoints;
    prune_horizon xid8;
    month_rows bigint;
    month record;
    dropped text[] := '{}'::text[];
    dropping oid[] := '{}'::oid[];
    dropped_rows bigint := 0;
    lock_wait text;
BEGIN
    -- the cutoff itself, not the interval's spelling ('-1000 months +30001 days'
    -- compares as 1 day but reaches 415 days into the future)
    IF older_than IS NULL OR cutoff > now() - interval '1 day' THEN
        PERFORM claude.raise_errors(claude.err('older_than',
            'older_than must reach at least 1 day back (its cutoff must be before now() - 1 day)'),
            'cannot prune the activity feed');
    END IF;
    -- Whole checkpoints only, so every row left is still verifiable: seal
    -- what is final, then remove the checkpoints whose rows all predate the cutoff.
    PERFORM claude.seal_feed(prune_activity.actor);
    SELECT * INTO last_pruned FROM claude.feed_checkpoints c
     WHERE c.last_at < cutoff ORDER BY c.checkpoint_id DESC LIMIT 1;
    IF last_pruned.checkpoint_id IS NULL THEN
        RETURN 0;
    END IF;
    prune_horizon := last_pruned.through_xid;
    -- A partitioned feed (activity_feed_partitions) loses whole months: a
    -- month that ended before the cutoff and holds no row past the horizon is
    -- dropped, not emptied row by row. Named by month (feed_partition_name);
    -- a plain feed has no partitions and skips this. Each such month is
    -- locked against inserts (SHARE) before it is counted, so nothing written
    -- meanwhile can be dropped with it; a month another role owns (made by
    -- pg_partman's maintenance as a superuser) is emptied row by row instead.
    FOR month IN
        SELECT c.oid AS part, c.relname
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'claude.activity_feed'::regclass
           AND c.relname ~ '^activity_feed_p[0-9]{4}_[0-9]{2}$'
           AND c.relowner = 'buildtracker_owner'::regrole
           AND (to_date(substr(c.relname, 16), 'YYYY_MM')::timestamp + interval '1 month') AT TIME ZONE 'UTC' <= cutoff
         ORDER BY c.relname
    LOOP
        EXECUTE format('LOCK TABLE %s IN SHARE MODE', month.part::regclass);
        EXECUTE format('SELECT count(*) FILTER (WHERE p.xact_id < $1), count(*) FROM %s p', month.part::regclass)
           INTO month_rows, pruned USING prune_horizon;
        CONTINUE WHEN month_rows <> pruned;
        dropping := dropping || month.part;
        dropped := dropped || month.relname::text;
        dropped_rows := dropped_rows + month_rows;
    END LOOP;
    -- the rest row by row; the guard (claude.guard_activity_feed) recognises this statement
    DELETE FROM claude.activity_feed a WHERE a.xact_id < prune_horizon AND NOT a.tableoid = ANY (dropping);
    GET DIAGNOSTICS pruned = ROW_COUNT;
    pruned := pruned + dropped_rows;
    PERFORM claude.append_activity('system', 'system', NULL, 'deleted',
        format('Activity feed pruned: %s rows older than %s', pruned, older_than),
        format('The rows of checkpoints 1 to %s (all created before %s) were deleted by claude.prune_activity',
               last_pruned.checkpoint_id, cutoff)
        || CASE WHEN cardinality(dropped) > 0
                THEN format('; whole months dropped: %s', array_to_string(dropped, ', ')) ELSE '' END,
        COALESCE(prune_activity.actor, claude.current_actor()), NULL, 'warning',
        jsonb_build_object('pruned_through_checkpoint', last_pruned.checkpoint_id)
        || CASE WHEN cardinality(dropped) > 0
                THEN jsonb_build_object('dropped_partitions', to_jsonb(dropped)) ELSE '{}' END);
    -- Last, so the lock a DROP takes on the whole feed (ACCESS EXCLUSIVE, until
    -- commit) is held as briefly as possible; it waits at most 5 s for running
    -- reads and writes, else the prune fails as a whole and can be run again.
    IF cardinality(dropping) > 0 THEN
        lock_wait := current_setting('lock_timeout');
        PERFORM set_config('lock_timeout', '5s', true);
        FOR month IN SELECT d AS part FROM unnest(dropping) d LOOP
            EXECUTE format('DROP TABLE %s', month.part::regclass);
        END LOOP;
        PERFORM set_config('lock_timeout', lock_wait, true);
    END IF;
    RETURN pruned;
END
$$;
COMMENT ON FUNCTION claude.prune_activity(interval, text) IS
    'Admin only: seals the feed, then deletes the rows of every checkpoint whose rows are all older than older_than (its cutoff at least 1 day back), so what stays is verifiable: a month''s partition that ended before the cutoff and holds only such rows is dropped whole, the rest deleted row by row; records the pruning in the feed (origin system, the dropped months in changes.dropped_partitions) and returns the number of rows removed. The only way past the append-only guard.';

GRANT EXECUTE ON FUNCTION claude.log_activity(text, uuid, text, text, text, text, text, text, jsonb) TO buildtracker_writer;
GRANT EXECUTE ON FUNCTION claude.get_activity(text, text, uuid, text, text, text[], timestamptz, timestamptz, integer, uuid) TO buildtracker_reader;

CREATE OR REPLACE FUNCTION claude.build_row_changes()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $build$
DECLARE
    tbl record;
    built integer := 0;
BEGIN
    FOR tbl IN
        SELECT c.oid, c.relname,
               string_agg(format($c$CASE WHEN %2$s
                 THEN jsonb_build_object(%1$L, jsonb_build_object('old', o.%1$I, 'new', n.%1$I)) ELSE '{}' END$c$,
                                 a.attname,
                                 -- the comparison the generic diff made was on the JSON
                                 -- values; for these types (deterministically collated)
                                 -- native equality is the same and cheaper. Others
                                 -- differ (an array's bounds, an interval's units, JSON
                                 -- null against SQL null), so they are compared as
                                 -- JSON, exactly as before.
                                 CASE WHEN a.atttypid IN ('uuid'::regtype, 'text'::regtype, 'varchar'::regtype,
                                                          'boolean'::regtype, 'smallint'::regtype, 'integer'::regtype,
                                                          'bigint'::regtype, 'numeric'::regtype, 'date'::regtype,
                                                          'timestamp'::regtype, 'timestamptz'::regtype)
                                           -- text under a nondeterministic collation can be equal
                                           -- without being the same bytes, which JSON compares
                                           AND (a.attcollation = 0 OR (SELECT l.collisdeterministic FROM pg_collation l
                                                                        WHERE l.oid = a.attcollation))
                                      THEN format('n.%1$I IS DISTINCT FROM o.%1$I', a.attname)
                                      ELSE format($j$COALESCE(to_jsonb(n.%1$I), 'null') IS DISTINCT FROM COALESCE(to_jsonb(o.%1$I), 'null')$j$,
                                                  a.attname) END),
                          E'\n   || ' ORDER BY a.attnum) AS cases
          FROM pg_class c
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind = 'r'
           AND c.relname IN ('features', 'components', 'build_tasks', 'requirements')
           -- touched on every update: not a change worth recording; and a
           -- lease, extended by every heartbeat, is not history (the claim's
           -- and the reclaim's rows say who holds the task)
           AND a.attname NOT IN ('updated_at', 'lease_expires_at')
         GROUP BY c.oid, c.relname
         ORDER BY c.relname
    LOOP
        -- STABLE, not IMMUTABLE (jsonb_build_object is STABLE): so PostgreSQL
        -- inlines it into the caller's expression instead of calling it. A
        -- string body, not RETURN: a RETURN body would record a dependency on
        -- every column and stop any migration from dropping or retyping one.
        EXECUTE format($f$
CREATE OR REPLACE FUNCTION claude.row_changes(n claude.%1$I, o claude.%1$I)
RETURNS jsonb
LANGUAGE sql STABLE
AS $body$
-- Generated by claude.build_row_changes() from the columns of claude.%1$s;
-- do not edit, re-run the builder after adding, dropping or retyping a column.
SELECT NULLIF(%2$s, '{}')
$body$$f$, tbl.relname, tbl.cases);
        EXECUTE format('COMMENT ON FUNCTION claude.row_changes(claude.%1$I, claude.%1$I) IS %2$L', tbl.relname,
            format('Generated: the columns of claude.%s that differ between n and o (all but updated_at and lease_expires_at), as {"column": {"old": ..., "new": ...}}; null when none differ.', tbl.relname));
        built := built + 1;
    END LOOP;
    RETURN built;
END
$build$;
COMMENT ON FUNCTION claude.build_row_changes() IS
    'Regenerates claude.row_changes(new_row, old_row) for every entity table from its columns; run after adding, dropping or retyping a column of features, components, build_tasks or requirements (until then an update of that table fails loudly or misses the new column, which the tests catch). Returns the number of functions built.';


COMMIT;
