-- Revert buildtracker:touch_timestamps from pg
BEGIN;
DROP FUNCTION claude.touch_timestamps();
COMMIT;
