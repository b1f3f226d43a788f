-- Revert buildtracker:activity_logging from pg
-- Back to the @v0.3.1 guard and prune_activity (pruning by session setting).
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
BEGIN
    IF current_setting('buildtracker.pruning', true) = 'on' AND TG_OP = 'DELETE' THEN
        RETURN OLD;
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
    'Trigger: refuses UPDATE, DELETE and TRUNCATE on the activity feed, even for the owner, except deletes made by claude.prune_activity.';

CREATE OR REPLACE FUNCTION claude.prune_activity(older_than interval, actor text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pruned bigint;
BEGIN
    IF older_than IS NULL OR older_than < interval '1 day' THEN
        PERFORM claude.raise_errors(claude.err('older_than', 'older_than must be at least 1 day'), 'cannot prune the activity feed');
    END IF;
    PERFORM set_config('buildtracker.pruning', 'on', true);
    DELETE FROM claude.activity_feed a WHERE a.created_at < now() - older_than;
    GET DIAGNOSTICS pruned = ROW_COUNT;
    PERFORM set_config('buildtracker.pruning', '', true);
    PERFORM claude.log_activity(source_type => 'system', source_id => NULL, activity_type => 'deleted',
        title => format('Activity feed pruned: %s rows older than %s', pruned, older_than),
        summary => format('Rows created before %s were deleted by claude.prune_activity', now() - older_than),
        actor => actor, severity => 'warning');
    RETURN pruned;
END
$$;
COMMENT ON FUNCTION claude.prune_activity(interval, text) IS
    'Admin only: deletes activity rows older than older_than (at least 1 day) and records the pruning in the feed; returns the number of rows deleted.';

COMMIT;
