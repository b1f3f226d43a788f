-- SPEC section 12, the feed (deploy/feed_checkpoints.sql, activity_logging,
-- background_jobs): callers cannot write reserved keys; job findings are
-- keyed the same under any TimeZone or DateStyle and cannot be pre-empted;
-- prune_activity checks its cutoff; seal_feed chains checkpoints over
-- finished transactions only; verify_feed reports rows changed, deleted,
-- inserted or reordered, and (given an anchor) a rewritten chain.
--
-- Everything runs in one transaction, whose own rows are never final: the
-- history to seal is made in replica mode (past the stamping trigger) with
-- transaction ids of long-finished transactions.
BEGIN;
\ir include/failure.psql
SELECT plan(35);

SET LOCAL TimeZone = 'UTC';

-- ------------------------------------------------------------------ reserved keys (3 tests)
SELECT throws_ok($$SELECT claude.log_activity('system', NULL, 'updated', 'Forged finding',
                     changes => '{"job_finding": "stale_task:x:y"}')$$, '23514', NULL,
                 'log_activity refuses changes holding job_finding with 23514');
SELECT is(pg_temp.failure($$SELECT claude.log_activity('system', NULL, 'updated', 'Forged prune',
                                  changes => '{"pruned_through_checkpoint": 9, "job_finding": "k"}')$$) -> 'detail'
            -> 'errors' -> 0 ->> 'message',
          'changes may not hold job_finding, pruned_through_checkpoint: only the database writes them',
          'the error names the field changes and every reserved key it holds');
SELECT lives_ok($$SELECT claude.log_activity('system', NULL, 'updated', 'An ordinary event',
                    changes => '{"deploy": {"old": "v1", "new": "v2"}}')$$,
                'log_activity accepts ordinary keys in changes');

-- ------------------------------------------------------------------ findings (4 tests)
SELECT claude.add_project('Trust project') ->'data'->>'project_id' AS p \gset
SELECT claude.add_identity('trust-dev') ->'data'->>'identity_id' AS i \gset
SELECT claude.add_feature('Trust feature', 'api', :'p', description => 'A feature whose task is left running.',
                          planned_by_identity_id => :'i') ->'data'->>'feature_id' AS f \gset
SELECT claude.update_feature_status(:'f', 'planned') IS NOT NULL AS planned \gset
SELECT claude.add_task('Trust task', 'A task left in progress for long.', 'code', feature_id => :'f') ->'data'->>'task_id' AS t \gset
SELECT claude.start_task(:'t', :'i') IS NOT NULL AS started \gset
SET LOCAL session_replication_role = replica;
UPDATE claude.build_tasks SET started_at = now() - interval '30 days' WHERE task_id = :'t';
RESET session_replication_role;

SELECT is((claude.run_jobs(interval '7 days')->'stale_tasks'->>'logged')::int >= 1, true,
          'run_jobs logs the stale task');
SET LOCAL TimeZone = 'America/New_York';
SET LOCAL DateStyle = 'SQL, DMY';
SELECT is((claude.run_jobs(interval '7 days')->'stale_tasks'->>'logged')::int, 0,
          'under another TimeZone and DateStyle the same finding is not logged again');
RESET DateStyle;
SET LOCAL TimeZone = 'UTC';
SELECT is((SELECT count(*) FROM claude.activity_feed
            WHERE source_id = :'t' AND changes ? 'job_finding')::int, 1,
          'one finding row for the stale task');
SELECT is((SELECT origin FROM claude.activity_feed WHERE source_id = :'t' AND changes ? 'job_finding'), 'job',
          'the finding row''s origin is job');

-- ------------------------------------------------------------------ bounded work (4 tests)
SELECT is(pg_temp.failure(format($$SELECT claude.update_task(%L, %L)$$, :'t',
              (SELECT jsonb_object_agg('k' || g, g) FROM generate_series(1, 101) g))) -> 'detail' -> 'errors',
          '[{"code": "23514", "field": "changes", "message": "changes holds 101 keys; at most 100 are accepted"}]'::jsonb,
          'update_task refuses changes of 101 keys, naming changes');
SELECT is(pg_temp.failure(format($$SELECT claude.update_task(%L, %L)$$, :'t',
              jsonb_build_object('blocked_by_task_id', NULL, 'colour', 'red'))) -> 'detail' -> 'errors' -> 0 ->> 'field',
          'colour', 'an unknown key next to blocked_by_task_id is refused (before the link lock)');
SELECT is(claude.validate('build_task', jsonb_build_object('task_id', :'t') ||
              (SELECT jsonb_object_agg('k' || g, g) FROM generate_series(1, 8000) g), 'update') -> 'errors' -> 0 ->> 'message',
          'data holds 8001 keys; at most 100 are accepted', 'validate refuses data of 8001 keys before any work');
SELECT lives_ok(format($$SELECT claude.update_task(%L, (SELECT jsonb_object_agg(k, v) FROM (VALUES ('priority', '4'::jsonb)) AS x(k, v)))$$, :'t'),
                'an update of a few known keys still works');

-- ------------------------------------------------------------------ NaN (3 tests)
SELECT throws_ok(format($$SELECT claude.add_task('NaN task', 'Estimated as not a number.', 'code',
                            feature_id => %L, estimated_hours => 'NaN')$$, :'f'), '23514', NULL,
                 'add_task refuses NaN estimated_hours with 23514');
SELECT is(pg_temp.failure(format($$SELECT claude.complete_task(%L, 'NaN')$$, :'t')) -> 'detail' -> 'errors' -> 0 ->> 'field',
          'actual_hours', 'complete_task refuses NaN actual_hours, naming the field');
SELECT is((SELECT jsonb_path_query_array(claude.validate('build_task',
              jsonb_build_object('task_name', 'NaN task', 'task_description', 'Estimated as not a number.',
                                 'task_type', 'code', 'feature_id', :'f', 'estimated_hours', 'NaN'))->'errors', '$[*].field')),
          '["estimated_hours"]'::jsonb, 'validate reports NaN estimated_hours');

-- ------------------------------------------------------------------ prune cutoff (2 tests)
SELECT throws_ok($$SELECT claude.prune_activity(interval '-1000 months +30001 days')$$, '23514', NULL,
                 'an interval that compares as 1 day but reaches into the future is refused');
SELECT lives_ok($$SELECT claude.prune_activity(interval '25 hours')$$,
                'a cutoff 25 hours back is accepted');

-- ------------------------------------------------------------------ seal and verify (14 tests)
SELECT is(claude.feed_anchor(), '0:', 'before the first seal the anchor is "0:"');
-- history: three old rows of long-finished transactions
SET LOCAL session_replication_role = replica;
INSERT INTO claude.activity_feed (source_type, activity_type, title, created_at, origin, xact_id)
VALUES ('system', 'updated', 'History one',   now() - interval '400 days', 'caller', '5'),
       ('system', 'updated', 'History two',   now() - interval '399 days', 'caller', '6'),
       ('system', 'updated', 'History three', now() - interval '398 days', 'trigger', '7');
UPDATE claude.activity_feed a SET checksum = claude.activity_checksum(a) WHERE a.title LIKE 'History %';
RESET session_replication_role;

CREATE TEMP TABLE sealed AS SELECT claude.seal_feed() AS s;
SELECT is((SELECT (s->>'checkpoint_id')::int FROM sealed), 1, 'seal_feed appends checkpoint 1');
SELECT ok((SELECT (s->>'row_count')::int FROM sealed) >= 3, 'it covers the finished rows');
SELECT is((SELECT count(*) FROM claude.activity_feed a, claude.feed_checkpoints c
            WHERE c.checkpoint_id = 1 AND a.xact_id >= c.through_xid AND a.xact_id = pg_current_xact_id())::int > 0,
          true, 'this transaction''s own rows wait for a later seal (above the horizon)');
SELECT is(claude.seal_feed()->>'checkpoint_id', NULL, 'sealing again with nothing new appends nothing');
SELECT is_empty($$SELECT * FROM claude.verify_feed()$$, 'verify_feed finds nothing wrong');
SELECT claude.feed_anchor() AS anchor \gset
SELECT ok(:'anchor' ~ '^1:[0-9a-f]{64}$', 'the anchor is "<checkpoint>:<sha256>"');
SELECT is_empty(format('SELECT * FROM claude.verify_feed(%L)', :'anchor'), 'verify_feed with the anchor: nothing wrong');

-- the owner's attack: triggers off, a row rewritten and its seal recomputed
SET LOCAL session_replication_role = replica;
UPDATE claude.activity_feed a SET title = 'History rewritten' WHERE a.title = 'History two';
UPDATE claude.activity_feed a SET checksum = claude.activity_checksum(a) WHERE a.title = 'History rewritten';
RESET session_replication_role;
SELECT is((SELECT array_agg(problem) FROM claude.verify_feed()), ARRAY['checkpoint_mismatch'],
          'a rewritten row with a recomputed seal: the checkpoint no longer matches');
-- ... and the checkpoint rewritten to match
SET LOCAL session_replication_role = replica;
CREATE TEMP TABLE forged AS
SELECT c.checkpoint_id, c.sealed_at, c.from_xid, c.through_xid, c.previous_digest, d.*
  FROM claude.feed_checkpoints c, claude.feed_range_digest(c.from_xid, c.through_xid, c.sealed_at, c.previous_digest) d
 WHERE c.checkpoint_id = 1;
DELETE FROM claude.feed_checkpoints;
INSERT INTO claude.feed_checkpoints (checkpoint_id, sealed_at, from_xid, through_xid, row_count, first_at, last_at,
                                     previous_digest, digest)
SELECT checkpoint_id, sealed_at, from_xid, through_xid, row_count, first_at, last_at, previous_digest, digest FROM forged;
RESET session_replication_role;
SELECT is_empty($$SELECT * FROM claude.verify_feed()$$,
                'with the chain recomputed too, verify_feed without an anchor cannot tell');
SELECT is((SELECT array_agg(problem) FROM claude.verify_feed(:'anchor')), ARRAY['anchor_mismatch'],
          'given the anchor saved before, the rewrite is reported');
-- a deleted row and an inserted one
SET LOCAL session_replication_role = replica;
DELETE FROM claude.activity_feed WHERE title = 'History one';
RESET session_replication_role;
SELECT is((SELECT array_agg(problem) FROM claude.verify_feed()), ARRAY['checkpoint_mismatch'],
          'a deleted row is reported');
SELECT is((SELECT array_agg(problem) FROM claude.verify_feed('not an anchor')), ARRAY['checkpoint_mismatch', 'anchor_invalid'],
          'a malformed anchor is reported as such');

-- ------------------------------------------------------------------ the chain itself (2 tests)
SELECT throws_ok($$UPDATE claude.feed_checkpoints SET digest = 'x'$$, '55000', NULL,
                 'checkpoints are append-only: UPDATE is refused with 55000');
SELECT throws_ok($$DELETE FROM claude.feed_checkpoints$$, '55000', NULL, 'and DELETE');

-- ------------------------------------------------------------------ grants (3 tests)
SET LOCAL ROLE buildtracker_reader;
SELECT lives_ok($$SELECT * FROM claude.verify_feed(); SELECT claude.feed_anchor()$$,
                'a reader may verify the feed and read its anchor');
SELECT throws_ok($$SELECT claude.seal_feed()$$, '42501', NULL, 'a reader may not seal (42501)');
RESET ROLE;
SET LOCAL ROLE buildtracker_writer;
SELECT lives_ok($$SELECT claude.seal_feed()$$, 'a writer may seal');
RESET ROLE;

-- ------------------------------------------------------------------ search_path (1 test)
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_proc p
                   WHERE p.pronamespace = 'claude'::regnamespace
                     AND (p.prorettype = 'trigger'::regtype OR p.prosecdef)
                     AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')$$,
                'every trigger function and every SECURITY DEFINER function of claude pins its search_path');

SELECT * FROM finish();
ROLLBACK;
