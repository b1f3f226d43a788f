-- Revert buildtracker:activity_feed_partitions from pg
-- The feed becomes one plain table again, holding every row verbatim.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '60min';
SET LOCAL ROLE buildtracker_owner;

SELECT claude.rebuild_activity_feed(false);

DROP FUNCTION claude.rebuild_activity_feed(boolean);
DROP FUNCTION claude.feed_partitions();
DROP FUNCTION claude.use_pg_partman(integer);
DROP FUNCTION claude.ensure_feed_partitions(integer);
DROP FUNCTION claude.partman_schema();
DROP FUNCTION claude.create_feed_partition(date);
DROP FUNCTION claude.comment_feed_partition_indexes();
DROP FUNCTION claude.feed_month_start(timestamptz);
DROP FUNCTION claude.feed_partition_name(date);

COMMIT;
