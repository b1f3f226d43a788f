-- After a full `sqitch revert`, nothing of the package may remain in this
-- database, and its roles must be gone unless another database still uses them.
DO $check$
DECLARE
    leftovers text[];
BEGIN
    SELECT array_agg(what) INTO leftovers FROM (
        SELECT 'schema ' || nspname AS what FROM pg_namespace WHERE nspname = 'claude'
        UNION ALL
        SELECT 'default privileges of ' || defaclrole::regrole::text FROM pg_default_acl
         WHERE defaclrole::regrole::text LIKE 'buildtracker\_%'
        UNION ALL
        SELECT 'role ' || r.rolname FROM pg_roles r
         WHERE r.rolname IN ('buildtracker_owner', 'buildtracker_reader', 'buildtracker_writer')
           AND NOT EXISTS (SELECT 1 FROM pg_shdepend s
                            WHERE s.refobjid = r.oid AND s.refclassid = 'pg_authid'::regclass
                              AND s.dbid <> (SELECT oid FROM pg_database WHERE datname = current_database()))
    ) AS l;
    IF leftovers IS NOT NULL THEN
        RAISE EXCEPTION 'full revert left objects behind: %', array_to_string(leftovers, ', ');
    END IF;
    RAISE NOTICE 'full revert left nothing behind';
END
$check$;
