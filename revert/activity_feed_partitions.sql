-- Revert buildtracker:activity_feed_partitions from pg
-- The feed becomes one plain table again, holding every row verbatim.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '60min';
SET LOCAL ROLE buildtracker_owner;

-- a feed handed to pg_partman (claude.use_pg_partman) is taken back first:
-- its maintenance would fail on a table that is no longer partitioned
DO $$
DECLARE
    partman text := claude.partman_schema();
BEGIN
    IF partman IS NOT NULL THEN
        EXECUTE format('DELETE FROM %I.part_config WHERE parent_table = %L', partman, 'claude.activity_feed');
        EXECUTE format('DROP TABLE IF EXISTS %I.template_claude_activity_feed', partman);
    END IF;
END
$$;

SELECT claude.rebuild_activity_feed(false);

DROP FUNCTION claude.rebuild_activity_feed(boolean);
DROP FUNCTION claude.feed_partitions();
DROP FUNCTION claude.use_pg_partman(integer);
DROP FUNCTION claude.ensure_feed_partitions(integer);
DROP FUNCTION claude.partman_schema();
DROP FUNCTION claude.create_feed_partition(date);
DROP FUNCTION claude.comment_feed_partition_indexes();
DROP FUNCTION claude.guard_feed_partition(regclass);
DROP FUNCTION claude.feed_month_start(timestamptz);
DROP FUNCTION claude.feed_partition_name(date);

COMMIT;
