-- SPEC section 13, the partitioned feed maintained by pg_partman when it is
-- installed (claude.use_pg_partman): pg_partman's maintenance makes the
-- months ahead, the partitions keep their names and owner, run_jobs still
-- moves rows waiting in the default partition into their month, and the
-- caller's search_path survives. Skipped where the server has no pg_partman
-- (make test installs it).
BEGIN;
\ir include/failure.psql
SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_partman') AS have_partman \gset
\if :have_partman
SELECT plan(15);
CREATE SCHEMA partman;
CREATE EXTENSION pg_partman SCHEMA partman;

SELECT is(claude.partman_schema(), NULL, 'before use_pg_partman, pg_partman does not manage the feed');
SELECT throws_ok($$SELECT claude.use_pg_partman(0)$$, '23514', NULL, 'premake below 1 is refused');
SET LOCAL search_path = public, pg_temp;
SELECT is(claude.use_pg_partman(6) ->> 'maintained_by', 'pg_partman', 'use_pg_partman hands the feed to pg_partman');
SELECT is(current_setting('search_path'), 'public, pg_temp', 'the caller''s search_path is as it was');
SELECT is(claude.partman_schema(), 'partman', 'which now manages claude.activity_feed');
SELECT ok(ARRAY(SELECT claude.feed_partition_name((m AT TIME ZONE 'UTC')::date)
                  FROM generate_series(claude.feed_month_start(now()), claude.feed_month_start(now()) + interval '6 months',
                                       interval '1 month') m)
          <@ ARRAY(SELECT partition_name FROM claude.feed_partitions()),
          'the partitions for this month and six ahead exist, with the same names');
SELECT is(ARRAY(SELECT DISTINCT c.relowner::regrole::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'claude.activity_feed'::regclass),
          ARRAY['buildtracker_owner'], 'every partition belongs to the owner role (prune_activity may drop them)');
SELECT isnt(obj_description('claude.activity_feed_default'::regclass, 'pg_class'), NULL,
            'pg_partman''s default partition is described like ours was');

-- a month passes: the furthest month goes (as if it had not been made yet)
SELECT claude.feed_partition_name(((claude.feed_month_start(now()) + interval '6 months') AT TIME ZONE 'UTC')::date) AS furthest \gset
SELECT format('DROP TABLE claude.%I', :'furthest') AS drop_furthest \gset
:drop_furthest;
SET LOCAL session_replication_role = replica;
INSERT INTO claude.activity_feed (source_type, activity_type, title, project_name, created_at)
VALUES ('system', 'updated', 'A row of an old month', 'Partman project', now() - interval '800 days');
RESET session_replication_role;
SET LOCAL ROLE buildtracker_writer;
SELECT claude.run_jobs() -> 'partitions' AS jobs \gset
RESET ROLE;
SELECT is((:'jobs'::jsonb) ->> 'maintained_by', 'pg_partman', 'run_jobs (as a writer) leaves the months ahead to pg_partman');
SELECT ok(NOT (:'jobs'::jsonb) -> 'created' ? :'furthest', 'so it does not make the missing month itself');
SELECT is((:'jobs'::jsonb) -> 'rows_moved', '1'::jsonb, 'but it moves the row waiting in the default partition into its month');
SELECT lives_ok($$SELECT partman.run_maintenance('claude.activity_feed')$$, 'pg_partman''s maintenance runs');
SELECT isnt(to_regclass('claude.' || :'furthest'), NULL, 'and makes the missing month ahead');
SELECT is((SELECT tableoid::regclass::text FROM claude.activity_feed WHERE project_name = 'Partman project'),
          'claude.' || claude.feed_partition_name(((now() - interval '800 days') AT TIME ZONE 'UTC')::date),
          'it is in its month''s partition');
SELECT is(claude.use_pg_partman() -> 'already', 'true'::jsonb, 'a second use_pg_partman changes nothing');
\else
SELECT plan(1);
SELECT skip('pg_partman is not installed on this server (apt-get install postgresql-15-partman)', 1);
\endif

SELECT * FROM finish();
ROLLBACK;
