-- Revert buildtracker:activity_feed from pg
BEGIN;
DROP TABLE claude.activity_feed;
COMMIT;
