-- Deploy buildtracker:project_functions to pg
-- requires: requirement_rules
-- Projects and identities: their rule triggers (constraints reported as one
-- error list), add_project and add_identity, and the shared helpers every
-- workflow function uses (status guard, changes applier).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.enforce_project_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM claude.raise_errors(claude.check_projects_constraints(NEW, OLD),
        format('cannot save project "%s"', NEW.project_name));
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.enforce_project_rules() IS
    'Trigger: reports every failed constraint of a project row in one exception.';
CREATE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.projects
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_project_rules();

CREATE FUNCTION claude.enforce_identity_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM claude.raise_errors(claude.check_identities_constraints(NEW, OLD),
        format('cannot save identity "%s"', NEW.identity_name));
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.enforce_identity_rules() IS
    'Trigger: reports every failed constraint of an identity row in one exception.';
CREATE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.identities
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_identity_rules();

CREATE FUNCTION claude.require_status(entity_label text, current_status text, allowed text[], action text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF current_status <> ALL (allowed) THEN
        PERFORM claude.raise_errors(
            claude.err('status', format('it is %s; %s applies only to status %s', current_status,
                       action, array_to_string(allowed, ' or ')), '55000'),
            format('cannot %s %s', action, entity_label));
    END IF;
END
$$;
COMMENT ON FUNCTION claude.require_status(text, text, text[], text) IS
    'Raises 55000 when a workflow action (a verb: start, block, ...) is asked of a row whose status it does not apply to; the transition rules themselves live in the rule triggers.';

CREATE FUNCTION claude.detail_errors(detail text)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    RETURN detail::jsonb -> 'errors';
EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;  -- not one of ours: PostgreSQL's own DETAIL text
END
$$;
COMMENT ON FUNCTION claude.detail_errors(text) IS
    'The error list of a DETAIL written by claude.raise_errors; null for any other DETAIL.';

CREATE FUNCTION claude.write_changes(table_name text, key_column text, entity_id uuid, changes jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    result jsonb;
BEGIN
    -- Column names come from validated keys; values stay parameters.
    EXECUTE format('UPDATE claude.%1$I AS t SET %2$s FROM jsonb_populate_record(NULL::claude.%1$I, $1) AS n
                     WHERE t.%3$I = $2 RETURNING to_jsonb(t)',
                   table_name,
                   (SELECT string_agg(format('%1$I = n.%1$I', k), ', ') FROM jsonb_object_keys(changes) AS k),
                   key_column)
       INTO result USING changes, entity_id;
    RETURN result;
END
$$;
COMMENT ON FUNCTION claude.write_changes(text, text, uuid, jsonb) IS
    'UPDATE claude.<table_name> SET <each key> = <its value> WHERE <key_column> = entity_id, returning the row as JSON; keys must already be validated.';

CREATE FUNCTION claude.conversion_errors(table_name text, data jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
    data_key text;
BEGIN
    -- Every value must convert to its column's type; name each one that does not.
    FOR data_key IN
        SELECT k FROM jsonb_object_keys(data) AS k
         WHERE EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = format('claude.%I', table_name)::regclass
                          AND a.attname = k AND a.attnum > 0 AND NOT a.attisdropped)
    LOOP
        BEGIN
            EXECUTE format('SELECT (jsonb_populate_record(NULL::claude.%I, $1)).%I', table_name, data_key)
               USING jsonb_build_object(data_key, data -> data_key);
        EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
            errors := errors || claude.err(data_key, format('%s: %s', data_key, SQLERRM));
        END;
    END LOOP;
    RETURN errors;
END
$$;
COMMENT ON FUNCTION claude.conversion_errors(text, jsonb) IS
    'One 23514 error for each key of data naming a column of claude.<table_name> whose value does not convert to the column''s type.';

CREATE FUNCTION claude.apply_changes(entity_type text, entity_id uuid, changes jsonb, editable text[])
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    table_name text;
    key_column text;
    errors jsonb := '[]'::jsonb;
    change_key text;
    applicable jsonb;
    found_id uuid;
    result jsonb;
    failed_detail text;
    context text := format('cannot update %s %s', replace(entity_type, '_', ' '), entity_id);
BEGIN
    SELECT m.t, m.k INTO table_name, key_column
      FROM (VALUES ('feature', 'features', 'feature_id'), ('component', 'components', 'component_id'),
                   ('build_task', 'build_tasks', 'task_id'), ('requirement', 'requirements', 'requirement_id'))
           AS m(e, t, k)
     WHERE m.e = entity_type;

    IF changes IS NULL OR jsonb_typeof(changes) <> 'object' THEN
        PERFORM claude.raise_errors(claude.err('changes', 'changes must be a JSON object of field: value'), context);
    END IF;
    EXECUTE format('SELECT %I FROM claude.%I WHERE %I = $1 FOR UPDATE', key_column, table_name, key_column)
       INTO found_id USING entity_id;
    IF found_id IS NULL THEN
        PERFORM claude.raise_not_found(entity_type, entity_id);
    END IF;

    FOR change_key IN SELECT jsonb_object_keys(changes) LOOP
        IF change_key = 'status' THEN
            errors := errors || claude.err('status', 'status is changed by the status functions, not by an update');
        ELSIF change_key <> ALL (editable) THEN
            errors := errors || claude.err(change_key, format('%s is not an editable field (editable: %s)',
                                                            change_key, array_to_string(editable, ', ')));
        END IF;
    END LOOP;
    errors := errors || claude.conversion_errors(table_name, changes - (SELECT COALESCE(array_agg(e->>'field'), '{}')
                                                                           FROM jsonb_array_elements(errors) AS e));
    -- The fields that can be written at all: failing ones are left out.
    applicable := changes - (SELECT COALESCE(array_agg(e->>'field'), '{}') FROM jsonb_array_elements(errors) AS e);

    IF jsonb_array_length(errors) > 0 THEN
        -- Name every failed check, also those of the fields that could be
        -- written: try them in a subtransaction that is always rolled back.
        IF applicable <> '{}'::jsonb THEN
            BEGIN
                PERFORM claude.write_changes(table_name, key_column, entity_id, applicable);
                RAISE EXCEPTION USING ERRCODE = 'BTDRY', MESSAGE = 'trial update: rolled back';
            EXCEPTION
                WHEN SQLSTATE 'BTDRY' THEN
                    NULL;
                WHEN OTHERS THEN
                    GET STACKED DIAGNOSTICS failed_detail = PG_EXCEPTION_DETAIL;
                    errors := errors || COALESCE(claude.detail_errors(failed_detail),
                                                 claude.err(NULL, SQLERRM, SQLSTATE));
            END;
        END IF;
        PERFORM claude.raise_errors(errors, context);
    END IF;

    IF changes = '{}'::jsonb THEN
        EXECUTE format('SELECT to_jsonb(t) FROM claude.%I AS t WHERE t.%I = $1', table_name, key_column)
           INTO result USING entity_id;
        RETURN result;
    END IF;
    RETURN claude.write_changes(table_name, key_column, entity_id, changes);
END
$$;
COMMENT ON FUNCTION claude.apply_changes(text, uuid, jsonb, text[]) IS
    'Shared body of update_feature/update_component/update_task/update_requirement: refuses unknown, non-editable and status keys and unconvertible values, plus whatever the rule trigger finds in the other fields, all named in one exception; else updates the row.';

CREATE FUNCTION claude.add_project(project_name text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    created claude.projects;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.projects AS p (project_name) VALUES (btrim(add_project.project_name)) RETURNING p.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;
COMMENT ON FUNCTION claude.add_project(text, text) IS
    'Creates a project (name unique, not blank). Errors: 23514.';

CREATE FUNCTION claude.add_identity(identity_name text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    created claude.identities;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.identities AS i (identity_name) VALUES (btrim(add_identity.identity_name)) RETURNING i.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;
COMMENT ON FUNCTION claude.add_identity(text, text) IS
    'Creates an identity: a person or agent who does work (name unique, not blank). Errors: 23514.';

GRANT EXECUTE ON FUNCTION claude.add_project(text, text), claude.add_identity(text, text) TO buildtracker_writer;

COMMIT;
