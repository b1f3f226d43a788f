-- Verify buildtracker:export_import on pg
BEGIN;
SELECT 'claude.export_records(uuid)'::regprocedure, 'claude.import_records(jsonb, text)'::regprocedure,
       'claude.export_tables()'::regprocedure, 'claude.feed_stamp_columns()'::regprocedure;
ROLLBACK;
