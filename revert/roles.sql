-- Revert buildtracker:roles from pg
-- A role still used by another database of the cluster is kept (and said so);
-- otherwise it is dropped.
BEGIN;

DO $roles$
DECLARE
    role_name text;
    used_in text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['buildtracker_writer', 'buildtracker_reader', 'buildtracker_owner'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name);
        SELECT string_agg(DISTINCT d.datname, ', ') INTO used_in
          FROM pg_shdepend s
          JOIN pg_database d ON d.oid = s.dbid
         WHERE s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = role_name)
           AND s.refclassid = 'pg_authid'::regclass
           AND s.dbid <> (SELECT oid FROM pg_database WHERE datname = current_database());
        IF used_in IS NOT NULL THEN
            RAISE NOTICE 'role % kept: still used in database(s) %', role_name, used_in;
        ELSE
            EXECUTE format('DROP ROLE %I', role_name);
        END IF;
    END LOOP;
END
$roles$;

COMMIT;
