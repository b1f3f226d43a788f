-- Refuses, in one sentence, a server or login the package cannot be deployed
-- with, a database holding a 0.x development release (0.x cannot be
-- upgraded to 1.x; docs/UPGRADING.md), or an older claude schema whose
-- tables other objects depend on (setting the tables aside would take those
-- views and foreign keys along, silently). Run by `make deploy` and included by
-- deploy/roles.sql.
DO $preflight$
DECLARE
    missing text[] := '{}';
    old_release text;
    dependents text;
BEGIN
    IF current_setting('server_version_num')::int < 150000 THEN
        RAISE EXCEPTION 'buildtracker needs PostgreSQL 15 or later; this server is %',
            current_setting('server_version')
            USING ERRCODE = 'feature_not_supported';
    END IF;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        IF NOT has_database_privilege(current_database(), 'CREATE') THEN
            missing := missing || format('CREATE on database %I', current_database());
        END IF;
        IF NOT (SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user)
           AND (SELECT count(*) FROM pg_roles
                WHERE rolname IN ('buildtracker_owner', 'buildtracker_reader', 'buildtracker_writer')) < 3 THEN
            missing := missing || 'CREATEROLE (or a superuser must create the roles buildtracker_owner, buildtracker_reader and buildtracker_writer first)'::text;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'buildtracker_owner')
           AND NOT pg_has_role(current_user, 'buildtracker_owner', 'MEMBER')
           AND NOT (SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            missing := missing || 'membership in role buildtracker_owner'::text;
        END IF;
        IF cardinality(missing) > 0 THEN
            RAISE EXCEPTION 'buildtracker cannot be deployed by role %: it lacks %',
                current_user, array_to_string(missing, '; ')
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Deploy as a superuser, or grant the missing privileges first.';
        END IF;
    END IF;
    -- Sqitch's registry (schema sqitch) of a database deployed with a 0.x
    -- plan: its changes are not in the 1.x plan, so Sqitch could only fail
    -- halfway. The 0.x plan is the only one with a change error_contract.
    IF to_regclass('sqitch.tags') IS NOT NULL AND to_regclass('sqitch.changes') IS NOT NULL
       AND has_schema_privilege('sqitch', 'USAGE')
       AND has_table_privilege('sqitch.tags', 'SELECT') AND has_table_privilege('sqitch.changes', 'SELECT') THEN
        EXECUTE $q$
            SELECT CASE WHEN EXISTS (SELECT 1 FROM sqitch.tags t WHERE t.project = 'buildtracker' AND t.tag LIKE '@v0.%')
                          OR EXISTS (SELECT 1 FROM sqitch.changes c WHERE c.project = 'buildtracker' AND c.change = 'error_contract')
                        THEN COALESCE((SELECT max(t.tag) FROM sqitch.tags t
                                        WHERE t.project = 'buildtracker' AND t.tag LIKE '@v0.%'), '0.x') END$q$
           INTO old_release;
        IF old_release IS NOT NULL THEN
            RAISE EXCEPTION 'database % holds buildtracker %, a 0.x development release that cannot be upgraded to 1.x: recreate the database (drop it, create it, run make deploy)',
                current_database(), old_release
                USING ERRCODE = 'feature_not_supported',
                      HINT = 'Export what you need first; the 0.x releases were development snapshots (docs/UPGRADING.md).';
        END IF;
    END IF;
    -- An older claude schema (not ours: no claude.status_transitions) whose
    -- build-tracking tables deploy/schema.sql will move to claude_legacy: a
    -- view or a foreign key outside those tables would follow them there.
    IF to_regnamespace('claude') IS NOT NULL AND to_regclass('claude.status_transitions') IS NULL THEN
        WITH legacy AS (
            SELECT c.oid FROM pg_class c
             WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind IN ('r', 'p')
               AND c.relname IN ('projects', 'identities', 'features', 'components', 'build_tasks',
                                 'requirements', 'activity_feed'))
        SELECT string_agg(DISTINCT what, '; ') INTO dependents FROM (
            SELECT format('view %s reads %s', r.ev_class::regclass, d.refobjid::regclass) AS what
              FROM pg_depend d JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
             WHERE d.refobjid IN (SELECT oid FROM legacy) AND r.ev_class NOT IN (SELECT oid FROM legacy)
            UNION ALL
            SELECT format('foreign key %s of %s references %s', k.conname, k.conrelid::regclass, k.confrelid::regclass)
              FROM pg_constraint k
             WHERE k.contype = 'f' AND k.confrelid IN (SELECT oid FROM legacy)
               AND k.conrelid NOT IN (SELECT oid FROM legacy)) AS found;
        IF dependents IS NOT NULL THEN
            RAISE EXCEPTION 'database %: the existing claude tables are set aside in claude_legacy by the upgrade, and other objects depend on them (%): drop them now and re-create them on the new tables after the upgrade',
                current_database(), dependents
                USING ERRCODE = 'dependent_objects_still_exist',
                      HINT = 'See docs/UPGRADING.md, "Objects that depend on the old tables".';
        END IF;
    END IF;
END
$preflight$;
