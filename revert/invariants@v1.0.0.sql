-- Revert buildtracker:invariants from pg
BEGIN;
DROP FUNCTION claude.check_invariants();
COMMIT;
