-- Verify buildtracker:legacy_import on pg
BEGIN;
SELECT quarantine_id, source_table, source_id, row_data, reason, quarantined_at
  FROM claude.legacy_quarantine WHERE false;
-- every constraint of the package is validated
SELECT 1 / (count(*) = 0)::int FROM pg_constraint
 WHERE connamespace = 'claude'::regnamespace AND NOT convalidated;
ROLLBACK;
