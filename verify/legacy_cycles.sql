-- Verify buildtracker:legacy_cycles on pg
BEGIN;
-- no parent-feature cycle is left
SELECT 1 / (count(*) = 0)::int FROM claude.check_invariants() WHERE invariant LIKE '%cycle%';
ROLLBACK;
