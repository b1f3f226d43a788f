-- Revert buildtracker:export_import from pg
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

DROP FUNCTION claude.import_records(jsonb, text);
DROP FUNCTION claude.export_records(uuid);
DROP FUNCTION claude.export_tables();
DROP FUNCTION claude.feed_stamp_columns();

COMMIT;
