-- Verify buildtracker:touch_timestamps on pg
BEGIN;
SELECT has_function_privilege('buildtracker_owner', 'claude.touch_timestamps()', 'EXECUTE');
ROLLBACK;
