-- Revert buildtracker:legacy_cycles from pg
-- Nothing to undo in the schema: the links cleared stay in
-- claude.legacy_quarantine, where they can be brought back (docs/UPGRADING.md).
BEGIN;
COMMIT;
