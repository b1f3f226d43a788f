-- Revert buildtracker:schema from pg
-- A schema claude that existed before the deploy gets its legacy tables and
-- its owner back; one the deploy created is dropped.
BEGIN;

ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner IN SCHEMA claude REVOKE SELECT ON TABLES FROM buildtracker_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC;

DO $schema$
DECLARE
    info record;
    legacy_table text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'claude_legacy') THEN
        DROP SCHEMA claude;
        RETURN;
    END IF;
    SELECT * INTO info FROM claude_legacy.stash_info;
    FOREACH legacy_table IN ARRAY info.stashed_tables LOOP
        EXECUTE format('ALTER TABLE claude_legacy.%I SET SCHEMA claude', legacy_table);
    END LOOP;
    EXECUTE format('ALTER SCHEMA claude OWNER TO %s', info.original_schema_owner);
    REVOKE USAGE ON SCHEMA claude FROM buildtracker_reader;
    EXECUTE format('COMMENT ON SCHEMA claude IS %L', info.original_comment);
    DROP TABLE claude_legacy.stash_info;
    DROP SCHEMA claude_legacy;
END
$schema$;

COMMIT;
