-- Revert buildtracker:feed_checkpoints from pg
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

DROP FUNCTION claude.verify_feed(text);
DROP FUNCTION claude.feed_anchor();
DROP FUNCTION claude.seal_feed(text);
DROP FUNCTION claude.feed_range_digest(xid8, xid8, timestamptz, text);
DROP AGGREGATE claude.hash_chain(bytea);
DROP FUNCTION claude.chain_step(bytea, bytea);
DROP FUNCTION claude.feed_row_digest(claude.activity_feed);
DROP TABLE claude.feed_checkpoints;
DROP FUNCTION claude.guard_feed_checkpoints();
DROP FUNCTION claude.append_activity(text, text, uuid, text, text, text, text, text, text, jsonb);
DROP TRIGGER bt00_stamp ON claude.activity_feed;
DROP FUNCTION claude.stamp_activity();
DROP FUNCTION claude.reserved_feed_keys();
DROP INDEX claude.idx_activity_feed_xact;
ALTER TABLE claude.activity_feed
    DROP CONSTRAINT chk_activity_origin,
    DROP COLUMN xact_id,
    DROP COLUMN db_user,
    DROP COLUMN origin;

COMMIT;
