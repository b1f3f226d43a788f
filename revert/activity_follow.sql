-- Revert buildtracker:activity_follow from pg
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

DROP TRIGGER bt91_notify_feed ON claude.activity_feed;
DROP FUNCTION claude.notify_feed();
DROP FUNCTION claude.follow_feed();
DROP FUNCTION claude.get_activity_after(uuid, integer);

COMMIT;
