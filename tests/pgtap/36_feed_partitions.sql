-- SPEC section 13, the partitioned feed (deploy/activity_feed_partitions.sql):
-- range partitions by UTC month on created_at and a default partition;
-- ensure_feed_partitions creates months ahead and moves waiting rows into
-- their month verbatim (checksums and chain digests unchanged); run_jobs
-- calls it; prune_activity drops whole months and keeps what is not sealed.
BEGIN;
\ir include/failure.psql
SELECT plan(32);

-- ------------------------------------------------------------------ shape (5 tests)
SELECT is((SELECT c.relkind::text FROM pg_class c WHERE c.oid = 'claude.activity_feed'::regclass), 'p',
          'claude.activity_feed is a partitioned table');
SELECT is((SELECT p.partstrat::text || ':' || a.attname
             FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
            WHERE p.partrelid = 'claude.activity_feed'::regclass), 'r:created_at',
          'partitioned by range on created_at');
SELECT ok(EXISTS (SELECT 1 FROM pg_partition_tree('claude.activity_feed') t
                   JOIN pg_class c ON c.oid = t.relid
                  WHERE c.relname = 'activity_feed_default' AND c.relpartbound IS NOT NULL
                    AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'),
          'activity_feed_default is the default partition');
SELECT is(ARRAY(SELECT partition_name FROM claude.feed_partitions()
                 WHERE range_start >= claude.feed_month_start(now()) ORDER BY range_start),
          ARRAY(SELECT claude.feed_partition_name((m AT TIME ZONE 'UTC')::date)
                  FROM generate_series(claude.feed_month_start(now()), claude.feed_month_start(now()) + interval '3 months',
                                       interval '1 month') m),
          'this UTC month and the three ahead have partitions, named activity_feed_pYYYY_MM');
SELECT is(claude.feed_partition_name('2024-02-17'), 'activity_feed_p2024_02', 'feed_partition_name names the month');

-- ------------------------------------------------------------------ routing (2 tests)
SELECT claude.log_activity('system', NULL, 'updated', 'Partition probe') AS probe \gset
SELECT is((SELECT tableoid::regclass::text FROM claude.activity_feed WHERE id = :'probe'),
          'claude.' || claude.feed_partition_name((now() AT TIME ZONE 'UTC')::date),
          'a new row lands in this month''s partition');
-- rows of months without a partition (here: written long ago, as an upgrade or
-- an import brings them) wait in the default partition
SET LOCAL session_replication_role = replica;
INSERT INTO claude.activity_feed (source_type, activity_type, title, project_name, actor, created_at, xact_id)
VALUES ('system', 'updated', 'Old month row one', 'Partition project', 'legacy', now() - interval '400 days', '0'),
       ('system', 'updated', 'Old month row two', 'Partition project', 'legacy', now() - interval '430 days', '0'),
       ('system', 'updated', 'Old month row three', 'Partition project', 'legacy', now() - interval '500 days', '0'),
       -- written by this (unfinished, so unsealed) transaction: pruning must keep it
       ('system', 'updated', 'Old month row, unsealed', 'Partition keep project', 'legacy', now() - interval '700 days',
        pg_current_xact_id());
RESET session_replication_role;
SELECT is((SELECT array_agg(DISTINCT tableoid::regclass::text) FROM claude.activity_feed
            WHERE project_name IN ('Partition project', 'Partition keep project')),
          ARRAY['claude.activity_feed_default'], 'rows of a month without a partition land in activity_feed_default');
CREATE TEMP TABLE old_rows AS
SELECT a.id, a.created_at, claude.feed_row_digest(a) AS digest, a.checksum = claude.activity_checksum(a) AS sealed_ok
  FROM claude.activity_feed a WHERE a.project_name IN ('Partition project', 'Partition keep project');

-- ------------------------------------------------------------------ ensure_feed_partitions (9 tests)
SELECT claude.ensure_feed_partitions() AS ensured \gset
SELECT is((:'ensured'::jsonb) -> 'rows_moved', '4'::jsonb, 'ensure_feed_partitions moves the four waiting rows');
SELECT is(ARRAY(SELECT jsonb_array_elements_text((:'ensured'::jsonb) -> 'created') ORDER BY 1),
          ARRAY(SELECT DISTINCT claude.feed_partition_name((created_at AT TIME ZONE 'UTC')::date) FROM old_rows ORDER BY 1),
          'and creates a partition for each of their months');
SELECT is((SELECT count(*) FROM old_rows o JOIN claude.activity_feed a ON a.id = o.id
            WHERE a.tableoid::regclass::text = 'claude.' || claude.feed_partition_name((o.created_at AT TIME ZONE 'UTC')::date)),
          4::bigint, 'each row is now in its month''s partition');
SELECT is((SELECT count(*) FROM claude.activity_feed_default), 0::bigint, 'the default partition is empty again');
SELECT is((SELECT count(*) FROM old_rows o JOIN claude.activity_feed a ON a.id = o.id
            WHERE claude.feed_row_digest(a) = o.digest AND a.created_at = o.created_at),
          4::bigint, 'the rows moved verbatim: every column''s digest is unchanged');
SELECT is(claude.ensure_feed_partitions() -> 'created', '[]'::jsonb, 'a second run has nothing to do');
SELECT throws_ok($$SELECT claude.ensure_feed_partitions(-1)$$, '23514', NULL, 'months_ahead below 0 is refused');
SELECT throws_ok($$SELECT claude.ensure_feed_partitions(37)$$, '23514', NULL, 'months_ahead above 36 is refused');
SELECT ok(NOT has_function_privilege('buildtracker_writer', 'claude.ensure_feed_partitions(integer)', 'EXECUTE'),
          'ensure_feed_partitions is admin only (run_jobs runs it for writers)');

-- ------------------------------------------------------------------ paging across partitions (1 test)
CREATE FUNCTION pg_temp.page_titles() RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    titles text[] := '{}';
    last claude.activity_feed;
BEGIN
    LOOP
        -- one row a page, so every step crosses into another month
        SELECT * INTO last FROM claude.get_activity(project_name => 'Partition project', max_rows => 1,
                                                    before => last.created_at, before_id => last.id);
        EXIT WHEN last.id IS NULL;
        titles := titles || last.title;
    END LOOP;
    RETURN titles;
END
$$;
SELECT is(pg_temp.page_titles(), ARRAY['Old month row one', 'Old month row two', 'Old month row three'],
          'get_activity pages newest first across the monthly partitions, one row a page');

-- ------------------------------------------------------------------ bounds in UTC under any TimeZone (2 tests)
SET LOCAL TimeZone = 'Asia/Kolkata';
SET LOCAL DateStyle = 'Postgres';
SELECT claude.ensure_feed_partitions(5) -> 'created' AS made_in_ist \gset
RESET DateStyle;
RESET TimeZone;
SELECT is(jsonb_array_length(:'made_in_ist'::jsonb), 2, 'under another TimeZone and DateStyle, months 4 and 5 ahead are made');
SELECT is((SELECT array_agg(pg_get_expr(c.relpartbound, c.oid) ORDER BY c.relname)
             FROM pg_class c WHERE c.relname IN (SELECT jsonb_array_elements_text(:'made_in_ist'::jsonb))),
          (SELECT array_agg(format('FOR VALUES FROM (%L) TO (%L)', m, m + interval '1 month') ORDER BY m)
             FROM generate_series(claude.feed_month_start(now()) + interval '4 months',
                                  claude.feed_month_start(now()) + interval '5 months', interval '1 month') m),
          'their bounds are UTC month starts, whatever the session''s TimeZone');

-- ------------------------------------------------------------------ append-only on every partition (5 tests)
SET LOCAL ROLE buildtracker_owner;
SELECT throws_ok(format($$TRUNCATE claude.%I$$, claude.feed_partition_name((now() AT TIME ZONE 'UTC')::date)),
                 '55000', NULL, 'TRUNCATE of a month''s partition is refused, even for the owner');
SELECT throws_ok($$TRUNCATE claude.activity_feed_default$$, '55000', NULL,
                 'so is TRUNCATE of the default partition');
RESET ROLE;
SELECT is((SELECT count(*) FROM pg_inherits i
            WHERE i.inhparent = 'claude.activity_feed'::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = i.inhrelid AND t.tgname = 'bt05_append_only_truncate')),
          0::bigint, 'every partition carries the TRUNCATE guard');
SELECT throws_ok(format($$DELETE FROM claude.%I WHERE title = 'Old month row one'$$,
                        (SELECT claude.feed_partition_name((created_at AT TIME ZONE 'UTC')::date) FROM old_rows
                          ORDER BY created_at DESC LIMIT 1)),
                 '55000', NULL, 'a DELETE on a partition meets the append-only guard');
SELECT throws_ok(format($$UPDATE claude.%I SET title = 'x' WHERE id = %L$$,
                        claude.feed_partition_name((now() AT TIME ZONE 'UTC')::date), :'probe'),
                 '55000', NULL, 'so does an UPDATE on this month''s partition');

-- ------------------------------------------------------------------ run_jobs (1 test)
SELECT is(claude.run_jobs() #> '{partitions,partitioned}', 'true'::jsonb, 'run_jobs reports the partitions it ensured');

-- ------------------------------------------------------------------ prune_activity drops whole months (5 tests)
CREATE TEMP TABLE kept_month AS
SELECT claude.feed_partition_name((created_at AT TIME ZONE 'UTC')::date) AS part FROM old_rows
 WHERE created_at < now() - interval '600 days';
SELECT claude.prune_activity(interval '365 days', actor => 'dba') AS pruned \gset
SELECT cmp_ok(:pruned::bigint, '>=', 3::bigint, 'prune_activity counts the rows of the months it dropped');
SELECT is((SELECT changes -> 'dropped_partitions' FROM claude.activity_feed
            WHERE source_type = 'system' AND actor = 'dba' AND activity_type = 'deleted'),
          (SELECT jsonb_agg(DISTINCT claude.feed_partition_name((created_at AT TIME ZONE 'UTC')::date))
             FROM old_rows WHERE created_at > now() - interval '600 days'),
          'the pruning row names the months dropped whole');
SELECT is((SELECT count(*) FROM old_rows o
            WHERE o.created_at > now() - interval '600 days'
              AND to_regclass('claude.' || claude.feed_partition_name((o.created_at AT TIME ZONE 'UTC')::date)) IS NOT NULL),
          0::bigint, 'those partitions are gone');
SELECT is((SELECT title FROM claude.activity_feed WHERE project_name = 'Partition keep project'), 'Old month row, unsealed',
          'a row no checkpoint covers stays, however old');
SELECT isnt(to_regclass('claude.' || (SELECT part FROM kept_month)), NULL,
            'and so does its month''s partition');

-- ------------------------------------------------------------------ a month's turn (2 tests)
-- A row is routed to its partition by the created_at it arrives with (the
-- column default, a moment before the stamp trigger runs); the stamp may not
-- move it to another month. Simulated with a row that arrives dated in an
-- old month: the stamp (the database's clock) stays within that month.
SET LOCAL buildtracker.feed_origin = 'caller';
INSERT INTO claude.activity_feed (source_type, activity_type, title, project_name, created_at)
VALUES ('system', 'updated', 'Arrived at a month''s end', 'Month turn project', '2020-05-31 23:59:59.5+00');
RESET buildtracker.feed_origin;
SELECT is((SELECT created_at FROM claude.activity_feed WHERE project_name = 'Month turn project'),
          '2020-05-31 23:59:59.999999+00'::timestamptz,
          'the stamp stays in the month the row was routed to (its last microsecond), not in the next');
SELECT is((SELECT checksum = claude.activity_checksum(a) FROM claude.activity_feed a WHERE project_name = 'Month turn project'),
          true, 'and the row is sealed with that time');

SELECT * FROM finish();
ROLLBACK;
