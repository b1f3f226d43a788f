-- Revert buildtracker:invariants from pg
BEGIN;
DROP FUNCTION claude.check_invariants();
DROP TRIGGER bt01_seal ON claude.activity_feed;
DROP FUNCTION claude.seal_activity();
DROP FUNCTION claude.activity_checksum(claude.activity_feed);
ALTER TABLE claude.activity_feed DROP COLUMN checksum;
COMMIT;
