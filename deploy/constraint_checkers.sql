-- Deploy buildtracker:constraint_checkers to pg
-- requires: shared_helpers
-- The table constraints are the one source of truth for value domains. So that
-- a failed call can name *every* failed check at once (PostgreSQL stops at the
-- first violated constraint), this change generates, from the catalog, one
-- checker function per table that evaluates all its CHECK, NOT NULL, FOREIGN
-- KEY and UNIQUE constraints against a row and returns the failures, using the
-- constraint's COMMENT as the message. The rule triggers call it. The
-- change generated_functions runs the builder (claude.rebuild_generated).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.build_constraint_checkers()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $build$
DECLARE
    tbl record;
    con record;
    col record;
    branches text[];
    -- per key branch: true when the branch cannot fire (its key is unchanged)
    quiet text[];
    pk_col text;
    built integer := 0;
    -- value checks (NOT NULL, CHECK): one CASE each, all evaluated in one pass
    value_cases text[];
    value_messages text[];
BEGIN
    FOR tbl IN
        SELECT c.oid, c.relname FROM pg_class c
         WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind = 'r'
           AND c.relname IN ('projects', 'identities', 'features', 'components', 'build_tasks', 'requirements')
         ORDER BY c.relname
    LOOP
        branches := '{}';
        quiet := '{}';
        value_cases := '{}';
        value_messages := '{}';
        SELECT a.attname INTO pk_col
          FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
         WHERE k.conrelid = tbl.oid AND k.contype = 'p';

        -- NOT NULL columns
        FOR col IN
            SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = tbl.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
             ORDER BY a.attnum
        LOOP
            value_messages := value_messages || format('(%s, %L, %L)', cardinality(value_messages) + 1,
                                                       col.attname, col.attname || ' is required');
            value_cases := value_cases || format('CASE WHEN t.%I IS NULL THEN %s END', col.attname,
                                                 cardinality(value_messages));
        END LOOP;

        -- CHECK, FOREIGN KEY and UNIQUE constraints, in name order
        FOR con IN
            SELECT k.conname, k.contype, k.conkey, k.confrelid, k.confkey,
                   pg_get_expr(k.conbin, k.conrelid) AS expr,
                   COALESCE(obj_description(k.oid, 'pg_constraint'), 'violates ' || k.conname) AS message,
                   (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                      FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)) AS cols,
                   (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = k.conrelid AND a.attnum = k.conkey[1]) AS first_col,
                   (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = k.conrelid AND a.attnum = k.conkey[cardinality(k.conkey)]) AS last_col
              FROM pg_constraint k
             WHERE k.conrelid = tbl.oid AND k.contype IN ('c', 'f', 'u')
             ORDER BY k.conname
        LOOP
            IF con.contype = 'c' THEN
                -- evaluated over the row's columns; null passes, as in PostgreSQL
                value_messages := value_messages || format('(%s, %L, %L)', cardinality(value_messages) + 1,
                                                           con.first_col, con.message);
                value_cases := value_cases || format('CASE WHEN (%s) IS FALSE THEN %s END', con.expr,
                                                     cardinality(value_messages));
            ELSIF con.contype = 'f' THEN
                quiet := quiet || format('NOT (r.%1$I IS NOT NULL AND (o IS NULL OR r.%1$I IS DISTINCT FROM o.%1$I))',
                                         con.first_col);
                branches := branches || format(
                    $f$CASE WHEN r.%1$I IS NOT NULL AND (o IS NULL OR r.%1$I IS DISTINCT FROM o.%1$I)
                              AND NOT EXISTS (SELECT 1 FROM %2$s AS x WHERE x.%3$I = r.%1$I)%6$s
                            THEN claude.err(%4$L, %5$L, '23503') END$f$,
                    con.first_col, con.confrelid::regclass,
                    (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attnum = con.confkey[1]),
                    con.first_col, con.message,
                    -- a row naming itself satisfies its own self-referencing key
                    CASE WHEN con.confrelid = tbl.oid THEN format(' AND r.%I <> r.%I', con.first_col, pk_col) ELSE '' END);
            ELSE
                quiet := quiet || format('NOT (o IS NULL OR (%1$s) IS DISTINCT FROM (%2$s))',
                    (SELECT string_agg('r.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)),
                    (SELECT string_agg('o.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)));
                branches := branches || format(
                    $f$CASE WHEN (o IS NULL OR (%1$s) IS DISTINCT FROM (%2$s))
                              AND EXISTS (SELECT 1 FROM claude.%3$I AS x
                                           WHERE (%4$s) = (%1$s) AND x.%5$I <> r.%5$I)
                            THEN claude.err(%6$L, %7$L) END$f$,
                    (SELECT string_agg('r.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)),
                    (SELECT string_agg('o.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)),
                    tbl.relname,
                    (SELECT string_agg('x.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)),
                    pk_col, con.last_col, con.message);
            END IF;
        END LOOP;

        EXECUTE format($f$
CREATE OR REPLACE FUNCTION claude.%1$I(r claude.%2$I, o claude.%2$I)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $body$
-- Generated by claude.build_constraint_checkers() from the constraints of
-- claude.%2$s; do not edit, re-run the builder after changing a constraint.
DECLARE
    failed integer[];
BEGIN
    -- every NOT NULL and CHECK constraint, over the row's columns, in one pass
    -- (a CHECK passes on null, as in PostgreSQL)
    SELECT array_remove(ARRAY[
               %3$s
           ], NULL)
      INTO failed
      FROM (SELECT r.*) AS t;
    -- the common case: every value check passes and no key column changed,
    -- so none of the key checks below can fire
    IF cardinality(failed) = 0%6$s THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN CASE WHEN cardinality(failed) = 0 THEN '[]'::jsonb ELSE (
               SELECT jsonb_agg(jsonb_build_object('field', m.field, 'message', m.message, 'code', '23514') ORDER BY m.n)
                 FROM (VALUES %4$s) AS m(n, field, message)
                WHERE m.n = ANY (failed)) END
        || %5$s;
END
$body$$f$,
            'check_' || tbl.relname || '_constraints', tbl.relname,
            array_to_string(value_cases, E',\n               '),
            array_to_string(value_messages, E',\n                             '),
            COALESCE(array_to_string(ARRAY(SELECT 'COALESCE(' || b || ', ''[]'')' FROM unnest(branches) AS b),
                                     E'\n        || '), '''[]''::jsonb'),
            array_to_string(ARRAY(SELECT E'\n       AND ' || q FROM unnest(quiet) AS q), ''));
        EXECUTE format('COMMENT ON FUNCTION claude.%I(claude.%I, claude.%I) IS %L',
            'check_' || tbl.relname || '_constraints', tbl.relname, tbl.relname,
            format('Generated: every CHECK, NOT NULL, FOREIGN KEY and UNIQUE constraint of claude.%s that row r (previously o, null on insert) fails, as a JSON error list; foreign keys and unique keys are checked only when their columns change.', tbl.relname));
        built := built + 1;
    END LOOP;
    RETURN built;
END
$build$;

COMMENT ON FUNCTION claude.build_constraint_checkers() IS
    'Regenerates claude.check_<table>_constraints(row, old_row) for every entity table from its constraints; run after any change to a constraint. Returns the number of functions built.';


COMMIT;
