-- Deploy buildtracker:activity_logging to pg
-- requires: activity_logging@v0.3.1
-- Reworked: the append-only guard used to let a DELETE through when the
-- session setting buildtracker.pruning was on, which the owner could set
-- itself. Now only the DELETE statement inside claude.prune_activity passes.
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
        GET DIAGNOSTICS stack = PG_CONTEXT;
        IF (string_to_array(stack, E'\n'))[2] = 'SQL statement "DELETE FROM claude.activity_feed a WHERE a.created_at < now() - older_than"'
           AND (string_to_array(stack, E'\n'))[3] LIKE 'PL/pgSQL function claude.prune_activity(interval,text) line % at SQL statement' THEN
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
    'Trigger: refuses UPDATE, DELETE and TRUNCATE on the activity feed, even for the owner; only the DELETE statement inside claude.prune_activity passes (checked on the call stack, not by a setting anyone could make).';

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
    -- the guard (claude.guard_activity_feed) recognises this statement and its line
    DELETE FROM claude.activity_feed a WHERE a.created_at < now() - older_than;
    GET DIAGNOSTICS pruned = ROW_COUNT;
    PERFORM claude.log_activity(source_type => 'system', source_id => NULL, activity_type => 'deleted',
        title => format('Activity feed pruned: %s rows older than %s', pruned, older_than),
        summary => format('Rows created before %s were deleted by claude.prune_activity', now() - older_than),
        actor => actor, severity => 'warning');
    RETURN pruned;
END
$$;
COMMENT ON FUNCTION claude.prune_activity(interval, text) IS
    'Admin only: deletes activity rows older than older_than (at least 1 day) and records the pruning in the feed; returns the number of rows deleted. The only way past the append-only guard.';

COMMIT;
