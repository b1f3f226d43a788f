-- Verify buildtracker:activity_feed_partitions on pg
BEGIN;
SELECT 1 / (c.relkind = 'p')::integer FROM pg_class c WHERE c.oid = 'claude.activity_feed'::regclass;
SELECT 'claude.activity_feed_default'::regclass;
SELECT 'claude.feed_partition_name(date)'::regprocedure, 'claude.feed_month_start(timestamptz)'::regprocedure,
       'claude.create_feed_partition(date)'::regprocedure, 'claude.ensure_feed_partitions(integer)'::regprocedure, 'claude.use_pg_partman(integer)'::regprocedure,
       'claude.partman_schema()'::regprocedure,
       'claude.feed_partitions()'::regprocedure, 'claude.comment_feed_partition_indexes()'::regprocedure,
       'claude.guard_feed_partition(regclass)'::regprocedure, 'claude.rebuild_activity_feed(boolean)'::regprocedure;
ROLLBACK;
