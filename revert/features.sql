-- Revert buildtracker:features from pg
BEGIN;
DROP TABLE claude.features;
COMMIT;
