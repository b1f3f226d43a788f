-- Deploy buildtracker:activity_follow to pg
-- requires: activity_logging
-- requires: feed_checkpoints
-- SPEC section 10: following the feed sees every new row, of every severity,
-- in order, never missing one. A row's created_at is the time of its INSERT,
-- but it becomes visible at its transaction's commit, so a long transaction
-- commits rows "in the past" and a reader paging by time skips them. The follower reads in the chain's order instead
-- (xact_id, created_at, id) and only below the commit horizon, where no
-- transaction can add a row any more (the same rule seal_feed uses).
-- NOTIFY only wakes it up: one empty notification per transaction.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.get_activity_after(after_id uuid DEFAULT NULL, max_rows integer DEFAULT 100)
RETURNS SETOF claude.activity_feed
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
    wanted integer := LEAST(GREATEST(COALESCE(max_rows, 100), 0), 1000);
    last claude.activity_feed;
BEGIN
    IF after_id = '00000000-0000-0000-0000-000000000000'::uuid THEN
        -- from the very beginning (a follower that started on an empty feed)
        RETURN QUERY
        SELECT a.* FROM claude.activity_feed a WHERE a.xact_id < horizon
         ORDER BY a.xact_id, a.created_at, a.id LIMIT wanted;
        RETURN;
    END IF;
    IF after_id IS NULL THEN
        -- where to start: the newest final rows, oldest first
        RETURN QUERY
        SELECT r.* FROM (SELECT a.* FROM claude.activity_feed a WHERE a.xact_id < horizon
                          ORDER BY a.xact_id DESC, a.created_at DESC, a.id DESC LIMIT wanted) r
         ORDER BY r.xact_id, r.created_at, r.id;
        RETURN;
    END IF;
    SELECT * INTO last FROM claude.activity_feed a WHERE a.id = after_id;
    IF NOT FOUND THEN
        -- pruned, or never there: the caller cannot know what it missed
        PERFORM claude.raise_not_found('activity', after_id);
    END IF;
    RETURN QUERY
    SELECT a.* FROM claude.activity_feed a
     WHERE (a.xact_id, a.created_at, a.id) > (last.xact_id, last.created_at, last.id)
       AND a.xact_id < horizon
     ORDER BY a.xact_id, a.created_at, a.id
     LIMIT wanted;
END
$$;
COMMENT ON FUNCTION claude.get_activity_after(uuid, integer) IS
    'Follows the feed: the final rows after the row after_id, in the feed''s chain order (transaction, time, id), every severity, oldest first; without after_id the newest max_rows final rows; with the nil uuid (00000000-0000-0000-0000-000000000000) the oldest, for a follower that started on an empty feed. Final means every transaction that could still add a row before it has ended, so a reader passing the last id it got never misses a row. max_rows 0-1000, default 100. Errors: P0002 (after_id is not in the feed, e.g. pruned).';

CREATE FUNCTION claude.notify_feed()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the same payload on the same channel is delivered once per transaction
    PERFORM pg_notify('buildtracker_feed', '');
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.notify_feed() IS
    'Trigger: wakes followers of the feed (channel buildtracker_feed, empty payload, once per transaction); they read the rows with get_activity_after.';

CREATE TRIGGER bt91_notify_feed
    AFTER INSERT ON claude.activity_feed
    FOR EACH STATEMENT EXECUTE FUNCTION claude.notify_feed();

GRANT EXECUTE ON FUNCTION claude.get_activity_after(uuid, integer) TO buildtracker_reader;

COMMIT;
