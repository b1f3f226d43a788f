-- Refuses, in one sentence, a server or login the package cannot be deployed
-- with. Run by `make deploy` and included by deploy/roles.sql.
DO $preflight$
DECLARE
    missing text[] := '{}';
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
END
$preflight$;
