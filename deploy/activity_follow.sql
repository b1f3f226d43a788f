-- Deploy buildtracker:activity_follow to pg
-- requires: activity_logging
-- requires: feed_checkpoints
-- SPEC section 10: following the feed sees every new row, of every severity,
-- in order, never missing one. A row's created_at is the time of its INSERT,
-- but it becomes visible at its transaction's commit, so a long transaction
-- commits rows "in the past" and a reader paging by time skips them. The follower reads in the chain's order instead
-- (xact_id, created_at, id) and only below the commit horizon, where no
-- transaction can add a row any more (the same rule seal_feed uses).
-- NOTIFY only wakes it up: one empty notification per transaction, and only
-- while somebody follows (claude.feed_followers, registered by follow_feed):
-- a notifying transaction takes a database-wide lock at commit.
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

CREATE FUNCTION claude.follow_feed()
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- LISTEN and the registration take effect at this transaction's commit:
    -- a writer that checks for followers after that notifies; one that
    -- checked just before does not, which the follower's polling covers
    LISTEN buildtracker_feed;
    PERFORM claude.forget_gone_followers();
    INSERT INTO claude.feed_followers AS f (pid) VALUES (pg_backend_pid())
        ON CONFLICT (pid) DO UPDATE SET since = now();
    RETURN true;
END
$$;
COMMENT ON FUNCTION claude.follow_feed() IS
    'Starts following the feed in this session: LISTEN on channel buildtracker_feed, and registers the session (claude.feed_followers) so that writers notify it (they do not notify while nobody follows). Then read with get_activity_after, when woken and every few seconds anyway (a notification can come late or never: a row becomes readable when the oldest open transaction ends). The registration ends with the session. Returns true.';

CREATE FUNCTION claude.notify_feed()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Nobody follows: no NOTIFY, so this transaction's commit does not queue
    -- behind every other notifying commit for the notification lock.
    IF EXISTS (SELECT 1 FROM claude.feed_followers) THEN
        -- the same payload on the same channel is delivered once per transaction
        PERFORM pg_notify('buildtracker_feed', '');
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.notify_feed() IS
    'Trigger: wakes followers of the feed (channel buildtracker_feed, empty payload, once per transaction) while any is registered (claude.follow_feed); they read the rows with get_activity_after.';

CREATE TRIGGER bt91_notify_feed
    AFTER INSERT ON claude.activity_feed
    FOR EACH STATEMENT EXECUTE FUNCTION claude.notify_feed();

GRANT EXECUTE ON FUNCTION claude.get_activity_after(uuid, integer), claude.follow_feed() TO buildtracker_reader;

COMMIT;
