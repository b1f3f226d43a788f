-- Deploy buildtracker:id_resolution to pg
-- requires: read_functions
-- Ids people can type (SPEC section 11): anywhere an id is taken (CLI, REST,
-- MCP), a unique prefix of at least 8 hex characters works, and projects and
-- identities are also found by name. One function decides, so every surface
-- resolves the same way: P0002 when nothing matches, 23514 listing the
-- candidates when a prefix is ambiguous.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.resolve_id(entity_type text, ref text)
RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- the table, its key and its name column, per entity
    tbl text;
    key_column text;
    name_column text;
    field text;
    wanted text := lower(btrim(ref));
    hex text;
    matches uuid[];
    candidates jsonb;
BEGIN
    SELECT e.tbl, e.key_column, e.name_column INTO tbl, key_column, name_column
      FROM (VALUES ('project', 'projects', 'project_id', 'project_name'),
                   ('identity', 'identities', 'identity_id', 'identity_name'),
                   ('feature', 'features', 'feature_id', 'feature_name'),
                   ('component', 'components', 'component_id', 'component_name'),
                   ('build_task', 'build_tasks', 'task_id', 'task_name'),
                   ('requirement', 'requirements', 'requirement_id', 'requirement_name'))
           AS e(entity, tbl, key_column, name_column)
     WHERE e.entity = resolve_id.entity_type;
    IF NOT FOUND THEN
        PERFORM claude.raise_errors(claude.err('entity_type',
            'entity_type must be one of project, identity, feature, component, build_task, requirement'),
            'cannot resolve an id');
    END IF;
    field := key_column;
    IF ref IS NULL OR wanted = '' THEN
        PERFORM claude.raise_errors(claude.err(field, format('%s is required', field)),
            format('cannot resolve a %s id', replace(entity_type, '_', ' ')));
    END IF;

    -- projects and identities by their (unique) name first: a name that
    -- looks like hex still means the row of that name
    IF entity_type IN ('project', 'identity') THEN
        EXECUTE format('SELECT array_agg(x.%I) FROM claude.%I x WHERE x.%I = $1', key_column, tbl, name_column)
           INTO matches USING btrim(ref);
        IF cardinality(matches) = 1 THEN
            RETURN matches[1];
        END IF;
    END IF;

    -- a whole id or a prefix of one: hex digits (hyphens ignored), 8 to 32;
    -- uuids sort like their hex text, so a prefix is a range of the key index
    hex := replace(wanted, '-', '');
    IF hex !~ '^[0-9a-f]{8,32}$' AND entity_type NOT IN ('project', 'identity') THEN
        -- not an id of any row: a malformed argument, not a missing row
        PERFORM claude.raise_errors(claude.err(field,
            format('"%s" is neither an id nor a prefix of at least 8 hex characters', btrim(ref))),
            format('cannot resolve a %s id', replace(entity_type, '_', ' ')));
    END IF;
    IF hex ~ '^[0-9a-f]{8,32}$' THEN
        EXECUTE format('SELECT array_agg(x.%1$I ORDER BY x.%1$I) FROM (SELECT y.%1$I FROM claude.%2$I y
                         WHERE y.%1$I BETWEEN $1 AND $2 ORDER BY y.%1$I LIMIT 6) AS x', key_column, tbl)
           INTO matches USING rpad(hex, 32, '0')::uuid, rpad(hex, 32, 'f')::uuid;
        IF cardinality(matches) = 1 THEN
            RETURN matches[1];
        ELSIF cardinality(matches) > 1 THEN
            EXECUTE format('SELECT jsonb_agg(jsonb_build_object(''field'', $2, ''message'',
                                format(''candidate %%s (%%s)'', x.%1$I, x.%3$I), ''code'', ''23514'',
                                ''entity_id'', x.%1$I) ORDER BY x.%1$I)
                              FROM claude.%2$I x WHERE x.%1$I = ANY ($1)', key_column, tbl, name_column)
               INTO candidates USING matches[1:5], field;
            PERFORM claude.raise_errors(candidates,
                format('%s is ambiguous: %s %s ids start with it%s', btrim(ref),
                       CASE WHEN cardinality(matches) > 5 THEN 'more than 5' ELSE cardinality(matches)::text END,
                       replace(entity_type, '_', ' '),
                       CASE WHEN cardinality(matches) > 5 THEN ' (the first 5 listed)' ELSE '' END),
                'Type more characters of the id.');
        END IF;
    END IF;

    RAISE EXCEPTION USING
        ERRCODE = 'no_data_found',
        MESSAGE = format('no %s matches "%s"', replace(entity_type, '_', ' '), btrim(ref)),
        DETAIL = jsonb_build_object('errors', claude.err(field, format('no %s matches "%s"%s',
                     replace(entity_type, '_', ' '), btrim(ref),
                     CASE WHEN entity_type IN ('project', 'identity') THEN ' (by name, id or id prefix)'
                          ELSE ' (by id or id prefix of at least 8 hex characters)' END), 'P0002'))::text,
        HINT = 'Give the whole id, a prefix of at least 8 hex characters that only one row has'
               || CASE WHEN entity_type IN ('project', 'identity') THEN ', or the name.' ELSE '.' END;
END
$$;
COMMENT ON FUNCTION claude.resolve_id(text, text) IS
    'The id a person typed: a whole id, a unique prefix of at least 8 hex characters, or (projects and identities) the name. entity_type is project, identity, feature, component, build_task or requirement. Errors: P0002 (nothing matches), 23514 (ambiguous prefix, each candidate listed with its entity_id; not an id or prefix of one, for entities without names; unknown entity_type).';

GRANT EXECUTE ON FUNCTION claude.resolve_id(text, text) TO buildtracker_reader;

COMMIT;
