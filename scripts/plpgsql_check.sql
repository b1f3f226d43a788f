-- Lints every PL/pgSQL function of schema claude with plpgsql_check; any
-- error or warning fails the run. Trigger functions are checked against the
-- tables whose triggers call them.
CREATE EXTENSION IF NOT EXISTS plpgsql_check;
\set QUIET off
DO $lint$
DECLARE
    fn record;
    finding record;
    problems text[] := '{}';
    checked int := 0;
BEGIN
    FOR fn IN
        -- a trigger function once per table it is attached to
        SELECT p.oid, p.oid::regprocedure::text || COALESCE(' on ' || t.tgrelid::regclass::text, '') AS name,
               (p.prorettype = 'trigger'::regtype) AS is_trigger, t.tgrelid AS relid
          FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
          LEFT JOIN (SELECT DISTINCT tgfoid, tgrelid FROM pg_trigger WHERE NOT tgisinternal) t ON t.tgfoid = p.oid
         WHERE p.pronamespace = 'claude'::regnamespace AND l.lanname = 'plpgsql'
    LOOP
        CONTINUE WHEN fn.is_trigger AND fn.relid IS NULL;
        checked := checked + 1;
        FOR finding IN
            SELECT * FROM plpgsql_check_function_tb(fn.oid, COALESCE(fn.relid, 0),
                                                    extra_warnings => false, performance_warnings => false)
        LOOP
            -- Deliberate dynamic SQL (queries built for their filters, see
            -- docs/decisions.md) has a result type only known at run time.
            CONTINUE WHEN finding.message = 'cannot determinate a result of dynamic SQL';
            problems := problems || format('%s: %s %s (line %s)', fn.name, finding.level, finding.message, finding.lineno);
        END LOOP;
    END LOOP;
    IF cardinality(problems) > 0 THEN
        RAISE EXCEPTION 'plpgsql_check found % problem(s):%', cardinality(problems),
            E'\n  ' || array_to_string(problems, E'\n  ');
    END IF;
    RAISE NOTICE 'plpgsql_check: % function(s) clean', checked;
END
$lint$;
