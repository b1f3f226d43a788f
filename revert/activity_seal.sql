-- Revert buildtracker:activity_seal from pg
BEGIN;
DROP TRIGGER bt01_seal ON claude.activity_feed;
DROP FUNCTION claude.seal_activity();
DROP FUNCTION claude.activity_checksum(claude.activity_feed);
COMMIT;
