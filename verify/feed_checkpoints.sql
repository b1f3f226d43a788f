-- Verify buildtracker:feed_checkpoints on pg
BEGIN;
SELECT origin, db_user, xact_id FROM claude.activity_feed WHERE false;
SELECT checkpoint_id, sealed_at, from_xid, through_xid, row_count, first_at, last_at, previous_digest, digest, sealed_by
  FROM claude.feed_checkpoints WHERE false;
SELECT 'claude.stamp_activity()'::regprocedure,
       'claude.append_activity(text, text, uuid, text, text, text, text, text, text, jsonb)'::regprocedure,
       'claude.reserved_feed_keys()'::regprocedure,
       'claude.feed_row_digest(claude.activity_feed)'::regprocedure,
       'claude.feed_range_digest(xid8, xid8, timestamptz, text)'::regprocedure,
       'claude.seal_feed(text)'::regprocedure,
       'claude.feed_anchor()'::regprocedure,
       'claude.verify_feed(text)'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt00_stamp' AND tgrelid = 'claude.activity_feed'::regclass;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt05_append_only' AND tgrelid = 'claude.feed_checkpoints'::regclass;
ROLLBACK;
