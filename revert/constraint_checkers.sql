-- Revert buildtracker:constraint_checkers from pg
BEGIN;
DROP FUNCTION claude.build_constraint_checkers();
COMMIT;
