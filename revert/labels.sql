-- Revert buildtracker:labels from pg
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

ALTER TABLE claude.build_tasks DROP COLUMN labels;
ALTER TABLE claude.features DROP COLUMN labels;
DROP FUNCTION claude.labels_valid(text[]);
DO $$ BEGIN PERFORM claude.rebuild_generated(); END $$;

COMMIT;
