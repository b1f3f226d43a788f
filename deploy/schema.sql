-- Deploy buildtracker:schema to pg
-- requires: roles
-- A fresh database gets a new schema claude. A database that already has a
-- claude schema (SPEC section 9) keeps it: its build-tracking tables are set
-- aside, untouched, in schema claude_legacy, and the change legacy_import
-- brings their rows back into the new tables. Other objects in claude stay.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';

DO $schema$
DECLARE
    legacy_table text;
    stashed text[] := '{}';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'claude') THEN
        CREATE SCHEMA claude AUTHORIZATION buildtracker_owner;
        RETURN;
    END IF;
    CREATE SCHEMA claude_legacy;
    CREATE TABLE claude_legacy.stash_info (
        original_schema_owner text NOT NULL,
        original_comment text,
        stashed_tables text[] NOT NULL,
        stashed_at timestamptz NOT NULL DEFAULT now());
    FOR legacy_table IN
        SELECT c.relname FROM pg_class c
         WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind IN ('r', 'p')
           AND c.relname IN ('projects', 'identities', 'features', 'components', 'build_tasks',
                             'requirements', 'activity_feed')
         ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE claude.%I SET SCHEMA claude_legacy', legacy_table);
        stashed := stashed || legacy_table;
    END LOOP;
    INSERT INTO claude_legacy.stash_info (original_schema_owner, original_comment, stashed_tables)
    SELECT n.nspowner::regrole::text, obj_description(n.oid, 'pg_namespace'), stashed
      FROM pg_namespace n WHERE n.nspname = 'claude';
    ALTER SCHEMA claude OWNER TO buildtracker_owner;
    RAISE NOTICE 'existing schema claude: tables % set aside in schema claude_legacy for the upgrade',
        array_to_string(stashed, ', ');
END
$schema$;

COMMENT ON SCHEMA claude IS 'buildtracker: build tracking (projects, features, components, tasks, requirements, activity feed); every rule lives here.';

GRANT USAGE ON SCHEMA claude TO buildtracker_reader;

-- Nothing the owner creates is executable by PUBLIC (the per-schema form can
-- only add privileges, so this one is global to the owner role).
ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
-- Readers read every table the owner creates in claude.
ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner IN SCHEMA claude GRANT SELECT ON TABLES TO buildtracker_reader;

COMMIT;
