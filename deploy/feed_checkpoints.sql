-- Deploy buildtracker:feed_checkpoints to pg
-- requires: activity_logging
-- requires: invariants
-- requires: task_rules
-- SPEC section 12: the feed's rows are the database's (an INSERT is stamped
-- with the time, the session user, the transaction id and its origin; a
-- direct INSERT is refused), and chained checkpoints make rewriting history
-- detectable given an anchor saved before (seal_feed, verify_feed,
-- feed_anchor).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

-- Constant defaults: adding the columns rewrites nothing (PostgreSQL 11+).
-- Rows written before this change read as origin 'unrecorded', transaction 0.
ALTER TABLE claude.activity_feed
    ADD COLUMN origin text NOT NULL DEFAULT 'unrecorded',
    ADD COLUMN db_user text,
    ADD COLUMN xact_id xid8 NOT NULL DEFAULT '0';
-- The ADD COLUMN above already holds the table's ACCESS EXCLUSIVE lock in
-- this transaction; the scan checks one constant default per existing row.
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE claude.activity_feed ADD CONSTRAINT chk_activity_origin CHECK (origin IN ('trigger', 'caller', 'job', 'system', 'import', 'unrecorded')) NOT VALID;
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE claude.activity_feed VALIDATE CONSTRAINT chk_activity_origin;
COMMENT ON COLUMN claude.activity_feed.origin IS 'Who wrote the row, set by the database: trigger (an entity change), caller (claude.log_activity), job (run_jobs), system (pruning), import (claude.import_records: id and created_at kept from the export), unrecorded (written before 1.1).';
COMMENT ON COLUMN claude.activity_feed.db_user IS 'The session_user of the writing session, set by the database.';
COMMENT ON COLUMN claude.activity_feed.xact_id IS 'The writing transaction (pg_current_xact_id), set by the database; checkpoints cover ranges of it.';
COMMENT ON CONSTRAINT chk_activity_origin ON claude.activity_feed IS 'origin must be one of trigger, caller, job, system, import, unrecorded';

-- The seal's range scan: rows of finished transactions in commit-horizon order.
CREATE INDEX idx_activity_feed_xact ON claude.activity_feed (xact_id, created_at, id);
COMMENT ON INDEX claude.idx_activity_feed_xact IS 'The seal''s and the verifier''s range scans over transaction ids, in chain order.';

CREATE FUNCTION claude.reserved_feed_keys()
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['job_finding', 'pruned_through_checkpoint'];
COMMENT ON FUNCTION claude.reserved_feed_keys() IS
    'Keys of activity_feed.changes only the database writes (job findings, pruning records); claude.log_activity refuses them from callers.';

CREATE FUNCTION claude.stamp_activity()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    origin text := NULLIF(current_setting('buildtracker.feed_origin', true), '');
BEGIN
    IF origin IS NULL THEN
        -- an entity's logging trigger inserts one level down; anything else
        -- must come through claude.log_activity, run_jobs or prune_activity
        IF pg_trigger_depth() > 1 THEN
            origin := 'trigger';
        ELSE
            RAISE EXCEPTION USING
                ERRCODE = 'object_not_in_prerequisite_state',
                MESSAGE = 'the activity feed''s rows are written by the database: INSERT is not allowed',
                DETAIL = jsonb_build_object('errors', claude.err('activity_feed',
                             'INSERT on the activity feed is not allowed', '55000'))::text,
                HINT = 'Log an application event with claude.log_activity(...).';
        END IF;
    END IF;
    -- an imported row keeps the id and time it had where it was exported
    -- (claude.import_records, owner only); every other row gets the database's
    IF origin IS DISTINCT FROM 'import' THEN
        NEW.id := gen_random_uuid();
        NEW.created_at := clock_timestamp();
    END IF;
    NEW.origin := origin;
    NEW.db_user := session_user;
    NEW.xact_id := pg_current_xact_id();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.stamp_activity() IS
    'Trigger: an activity row''s id, created_at, origin, db_user and xact_id are the database''s; refuses an INSERT that comes neither from an entity trigger nor from the feed''s own functions.';

-- bt00 fires before bt01_seal, so the seal covers the stamped values.
CREATE TRIGGER bt00_stamp
    BEFORE INSERT ON claude.activity_feed
    FOR EACH ROW EXECUTE FUNCTION claude.stamp_activity();

CREATE FUNCTION claude.append_activity(
    origin text,
    source_type text,
    source_id uuid,
    activity_type text,
    title text,
    summary text,
    actor text,
    project_name text,
    severity text,
    changes jsonb)
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id uuid;
BEGIN
    PERFORM set_config('buildtracker.feed_origin', origin, true);
    INSERT INTO claude.activity_feed AS a (source_type, source_id, actor, activity_type, title, summary,
                                           project_name, severity, changes)
    VALUES (append_activity.source_type, append_activity.source_id, append_activity.actor,
            append_activity.activity_type, append_activity.title, append_activity.summary,
            append_activity.project_name, append_activity.severity, append_activity.changes)
    RETURNING a.id INTO new_id;
    PERFORM set_config('buildtracker.feed_origin', '', true);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION claude.append_activity(text, text, uuid, text, text, text, text, text, text, jsonb) IS
    'Internal (owner only): the one INSERT of a feed row by the feed''s functions, marking its origin (caller, job, system).';
REVOKE ALL ON FUNCTION claude.append_activity(text, text, uuid, text, text, text, text, text, text, jsonb) FROM PUBLIC;

CREATE TABLE claude.feed_checkpoints (
    checkpoint_id   bigint      NOT NULL,
    sealed_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    from_xid        xid8        NOT NULL,
    through_xid     xid8        NOT NULL,
    row_count       bigint      NOT NULL,
    first_at        timestamptz,
    last_at         timestamptz,
    previous_digest text        NOT NULL,
    digest          text        NOT NULL,
    sealed_by       text,
    CONSTRAINT feed_checkpoints_pkey PRIMARY KEY (checkpoint_id),
    CONSTRAINT chk_checkpoint_range CHECK (from_xid < through_xid)
);
COMMENT ON TABLE claude.feed_checkpoints IS 'Chained checkpoints of the activity feed (append-only): each one''s digest chains over the previous digest and every row of its transaction range.';
COMMENT ON COLUMN claude.feed_checkpoints.checkpoint_id IS 'Position in the chain: 1, 2, 3, ...';
COMMENT ON COLUMN claude.feed_checkpoints.sealed_at IS 'When the checkpoint was sealed.';
COMMENT ON COLUMN claude.feed_checkpoints.from_xid IS 'First transaction id of its range (the previous checkpoint''s through_xid; 0 for the first).';
COMMENT ON COLUMN claude.feed_checkpoints.through_xid IS 'End of its range, exclusive: the commit horizon (pg_snapshot_xmin) when it was sealed, so every transaction of the range had finished.';
COMMENT ON COLUMN claude.feed_checkpoints.row_count IS 'Rows of the range when sealed.';
COMMENT ON COLUMN claude.feed_checkpoints.first_at IS 'Oldest created_at of its rows (pruning removes whole checkpoints older than its cutoff).';
COMMENT ON COLUMN claude.feed_checkpoints.last_at IS 'Newest created_at of its rows.';
COMMENT ON COLUMN claude.feed_checkpoints.previous_digest IS 'The previous checkpoint''s digest (empty for the first): the chain link.';
COMMENT ON COLUMN claude.feed_checkpoints.sealed_by IS 'Who sealed it: the call''s actor, else the database login (not part of the digest).';
COMMENT ON COLUMN claude.feed_checkpoints.digest IS 'sha256 (hex) over the previous digest, the checkpoint''s own fields and every row of its range in (xact_id, created_at, id) order.';
COMMENT ON CONSTRAINT chk_checkpoint_range ON claude.feed_checkpoints IS 'a checkpoint covers a non-empty transaction range';

CREATE FUNCTION claude.guard_feed_checkpoints()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'object_not_in_prerequisite_state',
        MESSAGE = format('the feed''s checkpoints are append-only: %s is not allowed', TG_OP),
        DETAIL = jsonb_build_object('errors', claude.err('feed_checkpoints',
                     format('%s on the feed''s checkpoints is not allowed', TG_OP), '55000'))::text;
END
$$;
COMMENT ON FUNCTION claude.guard_feed_checkpoints() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE on the feed''s checkpoints.';

CREATE TRIGGER bt05_append_only
    BEFORE UPDATE OR DELETE ON claude.feed_checkpoints
    FOR EACH ROW EXECUTE FUNCTION claude.guard_feed_checkpoints();
CREATE TRIGGER bt05_append_only_truncate
    BEFORE TRUNCATE ON claude.feed_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_feed_checkpoints();

CREATE FUNCTION claude.feed_row_digest(a claude.activity_feed)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
-- every column, created_at in UTC (its text must not depend on TimeZone)
RETURN sha256(convert_to(jsonb_build_array(
    a.id, a.source_type, a.source_id, a.actor, a.activity_type, a.title, a.summary, a.project_name,
    a.severity, a.created_at AT TIME ZONE 'UTC', a.changes, a.checksum, a.origin, a.db_user,
    a.xact_id::text)::text, 'UTF8'));
COMMENT ON FUNCTION claude.feed_row_digest(claude.activity_feed) IS
    'sha256 of every column of a feed row: the unit the checkpoints chain over.';

CREATE FUNCTION claude.chain_step(state bytea, next bytea)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN sha256(state || next);
COMMENT ON FUNCTION claude.chain_step(bytea, bytea) IS 'One link of a hash chain: sha256(state || next).';

CREATE AGGREGATE claude.hash_chain(bytea) (
    SFUNC = claude.chain_step,
    STYPE = bytea,
    INITCOND = ''
);
COMMENT ON AGGREGATE claude.hash_chain(bytea) IS 'Hash chain over its inputs in the aggregate''s ORDER BY: order matters, so reordering is detected.';

CREATE FUNCTION claude.feed_range_digest(
    from_xid xid8, through_xid xid8, sealed_at timestamptz, previous_digest text,
    OUT row_count bigint, OUT first_at timestamptz, OUT last_at timestamptz, OUT digest text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rows_chain bytea;
BEGIN
    SELECT count(*), min(a.created_at), max(a.created_at),
           claude.hash_chain(claude.feed_row_digest(a) ORDER BY a.xact_id, a.created_at, a.id)
      INTO row_count, first_at, last_at, rows_chain
      FROM claude.activity_feed a
     WHERE a.xact_id >= feed_range_digest.from_xid AND a.xact_id < feed_range_digest.through_xid;
    -- the checkpoint's own fields are hashed too: changing one breaks the chain
    digest := encode(sha256(convert_to(jsonb_build_array(previous_digest, from_xid::text, through_xid::text,
                  sealed_at AT TIME ZONE 'UTC', row_count, first_at AT TIME ZONE 'UTC',
                  last_at AT TIME ZONE 'UTC')::text, 'UTF8') || COALESCE(rows_chain, '')), 'hex');
END
$$;
COMMENT ON FUNCTION claude.feed_range_digest(xid8, xid8, timestamptz, text) IS
    'The digest of the feed rows of a transaction range, chained to previous_digest, with their count and time span: what seal_feed stores and verify_feed recomputes.';

CREATE FUNCTION claude.seal_feed(actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    head claude.feed_checkpoints;
    horizon xid8;
    sealed timestamptz := clock_timestamp();
    range_digest record;
    new_id bigint;
BEGIN
    -- Sealers take turns; writers are never waited for: rows of transactions
    -- below the horizon are final (committed or gone), later ones wait for
    -- the next seal.
    PERFORM pg_advisory_xact_lock(hashtextextended('buildtracker.seal_feed', 0));
    horizon := pg_snapshot_xmin(pg_current_snapshot());
    SELECT * INTO head FROM claude.feed_checkpoints c ORDER BY c.checkpoint_id DESC LIMIT 1;
    IF head.checkpoint_id IS NOT NULL AND horizon <= head.through_xid THEN
        RETURN jsonb_build_object('checkpoint_id', NULL, 'row_count', 0, 'digest', head.digest);
    END IF;
    SELECT * INTO range_digest
      FROM claude.feed_range_digest(COALESCE(head.through_xid, '0'::xid8), horizon, sealed, COALESCE(head.digest, ''));
    IF range_digest.row_count = 0 THEN
        -- nothing new: no empty checkpoints
        RETURN jsonb_build_object('checkpoint_id', NULL, 'row_count', 0, 'digest', COALESCE(head.digest, ''));
    END IF;
    new_id := COALESCE(head.checkpoint_id, 0) + 1;
    INSERT INTO claude.feed_checkpoints (checkpoint_id, sealed_at, from_xid, through_xid, row_count, first_at, last_at,
                                         previous_digest, digest, sealed_by)
    VALUES (new_id, sealed, COALESCE(head.through_xid, '0'::xid8), horizon, range_digest.row_count,
            range_digest.first_at, range_digest.last_at, COALESCE(head.digest, ''), range_digest.digest,
            COALESCE(seal_feed.actor, claude.current_actor()));
    RETURN jsonb_build_object('checkpoint_id', new_id, 'row_count', range_digest.row_count, 'digest', range_digest.digest);
END
$$;
COMMENT ON FUNCTION claude.seal_feed(text) IS
    'Appends a checkpoint chaining over every feed row of transactions finished since the last one (below the commit horizon, so it never waits for writers); run by run_jobs. Returns {"checkpoint_id", "row_count", "digest"}; checkpoint_id is null when there was nothing to seal.';

CREATE FUNCTION claude.feed_anchor()
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN COALESCE((SELECT c.checkpoint_id || ':' || c.digest FROM claude.feed_checkpoints c
                      ORDER BY c.checkpoint_id DESC LIMIT 1), '0:');
END
$$;
COMMENT ON FUNCTION claude.feed_anchor() IS
    'The head of the checkpoint chain as "<checkpoint_id>:<digest>" ("0:" before the first seal). Save it somewhere the database''s owner cannot write; verify_feed(anchor) then proves the history up to it was not rewritten.';

CREATE FUNCTION claude.verify_feed(anchor text DEFAULT NULL)
RETURNS TABLE(problem text, checkpoint_id bigint, entity_id uuid, detail text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c claude.feed_checkpoints;
    previous claude.feed_checkpoints;
    recomputed record;
    pruned_through bigint;
    anchor_parts text[];
    anchor_id bigint;
    anchor_digest text;
BEGIN
    -- whole checkpoints removed by prune_activity, as its own records say
    SELECT max((a.changes ->> 'pruned_through_checkpoint')::bigint) INTO pruned_through
      FROM claude.activity_feed a
     WHERE a.origin = 'system' AND a.changes ? 'pruned_through_checkpoint';
    pruned_through := COALESCE(pruned_through, 0);

    FOR c IN SELECT * FROM claude.feed_checkpoints k ORDER BY k.checkpoint_id LOOP
        IF c.checkpoint_id <> COALESCE(previous.checkpoint_id, 0) + 1
           OR c.previous_digest <> COALESCE(previous.digest, '')
           OR c.from_xid <> COALESCE(previous.through_xid, '0'::xid8) THEN
            RETURN QUERY SELECT 'chain_broken', c.checkpoint_id, NULL::uuid,
                format('checkpoint %s does not follow checkpoint %s (missing, reordered or rewritten checkpoints)',
                       c.checkpoint_id, COALESCE(previous.checkpoint_id, 0));
        END IF;
        SELECT * INTO recomputed
          FROM claude.feed_range_digest(c.from_xid, c.through_xid, c.sealed_at, c.previous_digest);
        IF c.checkpoint_id <= pruned_through AND recomputed.row_count = 0 THEN
            NULL;  -- pruned as a whole, on record: nothing left to compare
        ELSIF recomputed.digest <> c.digest THEN
            RETURN QUERY SELECT 'checkpoint_mismatch', c.checkpoint_id, NULL::uuid,
                format('checkpoint %s sealed %s rows; they now hash differently (%s rows): rows were changed, deleted, inserted or reordered',
                       c.checkpoint_id, c.row_count, recomputed.row_count);
        END IF;
        previous := c;
    END LOOP;

    -- every row still carries its own seal
    RETURN QUERY
        SELECT 'row_seal', NULL::bigint, a.id, 'the row does not match its checksum'
          FROM claude.activity_feed a
         WHERE a.checksum IS DISTINCT FROM claude.activity_checksum(a);

    IF anchor IS NOT NULL THEN
        anchor_parts := regexp_match(anchor, '^(\d+):([0-9a-f]*)$');
        anchor_id := anchor_parts[1]::bigint;
        anchor_digest := anchor_parts[2];
        IF anchor_id IS NULL THEN
            RETURN QUERY SELECT 'anchor_invalid', NULL::bigint, NULL::uuid,
                'an anchor is "<checkpoint_id>:<digest>", as claude.feed_anchor() prints it';
        ELSIF (anchor_id = 0 AND anchor_digest <> '')
              OR (anchor_id > 0 AND NOT EXISTS (SELECT 1 FROM claude.feed_checkpoints k
                                                 WHERE k.checkpoint_id = anchor_id AND k.digest = anchor_digest)) THEN
            RETURN QUERY SELECT 'anchor_mismatch', anchor_id, NULL::uuid,
                format('checkpoint %s no longer has the digest of the anchor: the history up to it was rewritten', anchor_id);
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION claude.verify_feed(text) IS
    'One row per problem of the activity feed''s history (empty when it is intact): chain_broken, checkpoint_mismatch (rows changed, deleted, inserted or reordered since sealed), row_seal (a row not matching its checksum), anchor_mismatch/anchor_invalid (given an anchor from claude.feed_anchor() saved before: the chain up to it was rewritten).';

GRANT SELECT ON claude.feed_checkpoints TO buildtracker_reader;
GRANT EXECUTE ON FUNCTION claude.seal_feed(text) TO buildtracker_writer;
GRANT EXECUTE ON FUNCTION claude.feed_anchor() TO buildtracker_reader;
GRANT EXECUTE ON FUNCTION claude.verify_feed(text) TO buildtracker_reader;

COMMIT;
