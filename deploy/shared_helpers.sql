-- Deploy buildtracker:shared_helpers to pg
-- requires: indexes
-- Helpers every rule trigger and workflow function shares:
-- * the error contract of SPEC section 6 (err, raise_errors, raise_not_found,
--   detail_errors): one exception per failed call, DETAIL = JSON list of every
--   failed check, SQLSTATE chosen by the kind of failure;
-- * the call context of section 5 (current_actor, current_note, begin_call,
--   end_call) and the result envelope (envelope);
-- * name checks (too_short), the link locks (lock_links), the action guard
--   (require_status) and the update_* machinery (apply_changes,
--   conversion_errors, write_changes).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.err(field text, message text, code text DEFAULT '23514')
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN jsonb_build_array(jsonb_build_object('field', field, 'message', message, 'code', code));

COMMENT ON FUNCTION claude.err(text, text, text) IS
    'One failed check as a one-element JSON array ({field, message, code}), ready to append to an error list. code is the SQLSTATE the check stands for: 23514 invalid value, 23503 missing reference, 55000 wrong state.';

CREATE OR REPLACE FUNCTION claude.raise_errors(errors jsonb, context text, hint text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    sqlstate_out text;
    summary text;
BEGIN
    IF errors IS NULL OR jsonb_array_length(errors) = 0 THEN
        RETURN;
    END IF;
    -- One exception per call; its SQLSTATE is the most basic kind present:
    -- a missing reference, then an invalid value, then a wrong state; a list
    -- holding none of these (an import's duplicate ids: 23505) keeps the
    -- first item's own code.
    SELECT CASE
             WHEN bool_or(e->>'code' = '23503') THEN '23503'
             WHEN bool_or(e->>'code' = '23514') THEN '23514'
             WHEN bool_or(e->>'code' = '55000') OR bool_and(e->>'code' IS NULL) THEN '55000'
             ELSE (array_agg(e->>'code') FILTER (WHERE e->>'code' IS NOT NULL))[1]
           END,
           string_agg(e->>'message', '; ')
      INTO sqlstate_out, summary
      FROM jsonb_array_elements(errors) AS e;
    RAISE EXCEPTION USING
        ERRCODE = sqlstate_out,
        MESSAGE = context || ': ' || summary,
        DETAIL  = jsonb_build_object('errors', errors)::text,
        HINT    = COALESCE(hint, CASE sqlstate_out
                    WHEN '23503' THEN 'Create the referenced row first, or fix its id.'
                    WHEN '23514' THEN 'Correct the listed fields and retry.'
                    ELSE 'Check the current status and what the transition needs (claude.status_transitions).'
                  END);
END
$$;

COMMENT ON FUNCTION claude.raise_errors(jsonb, text, text) IS
    'Raises one exception listing every failed check: SQLSTATE 23503 if any reference is missing, else 23514 if any value is invalid, else 55000 if any state is wrong, else the first item''s own code (23505 for a repeated id); MESSAGE names them all, DETAIL is {"errors": [...]}, HINT says what to do. Does nothing for an empty list.';

CREATE OR REPLACE FUNCTION claude.raise_not_found(entity text, id uuid)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'no_data_found',
        MESSAGE = format('%s %s does not exist', entity, COALESCE(id::text, '(null)')),
        DETAIL  = jsonb_build_object('errors', claude.err(entity || '_id',
                    format('%s %s does not exist', entity, COALESCE(id::text, '(null)')), 'P0002'))::text,
        HINT    = 'Check the id; the row may have been deleted.';
END
$$;

COMMENT ON FUNCTION claude.raise_not_found(text, uuid) IS
    'Raises P0002 (no_data_found) for the entity a call addresses, with the same DETAIL shape as raise_errors.';

CREATE OR REPLACE FUNCTION claude.current_actor()
RETURNS text
LANGUAGE sql STABLE
RETURN COALESCE(NULLIF(current_setting('buildtracker.call_actor', true), ''),
                NULLIF(current_setting('buildtracker.actor', true), ''),
                session_user::text);

COMMENT ON FUNCTION claude.current_actor() IS
    'Who is acting: the actor argument of the workflow call in progress, else SET buildtracker.actor, else session_user.';

CREATE OR REPLACE FUNCTION claude.current_note()
RETURNS text
LANGUAGE sql STABLE
-- blanks are the same as for claude.too_short: spaces, tabs and line breaks
RETURN NULLIF(btrim(current_setting('buildtracker.note', true), E' \t\r\n\f\v'), '');

COMMENT ON FUNCTION claude.current_note() IS
    'The reason or note given to the workflow call in progress (or by SET LOCAL buildtracker.note for raw DML); null when none.';

CREATE OR REPLACE FUNCTION claude.begin_call(actor text, note text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM set_config('buildtracker.call_actor', COALESCE(actor, ''), true),
            set_config('buildtracker.note', COALESCE(note, ''), true);
END
$$;

COMMENT ON FUNCTION claude.begin_call(text, text) IS
    'Sets the actor and note of a workflow call for the triggers it fires (transaction-local).';

CREATE OR REPLACE FUNCTION claude.end_call()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM set_config('buildtracker.call_actor', '', true),
            set_config('buildtracker.note', '', true);
END
$$;

COMMENT ON FUNCTION claude.end_call() IS
    'Clears the call context so that later statements of the same transaction are not attributed to the call.';

CREATE OR REPLACE FUNCTION claude.envelope(data jsonb, warnings text[] DEFAULT '{}', metadata jsonb DEFAULT '{}')
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN jsonb_build_object(
        'success', true,
        'data', data,
        'validation', jsonb_build_object('errors', '[]'::jsonb,
                                         'warnings', to_jsonb(COALESCE(warnings, '{}'::text[]))),
        'metadata', COALESCE(metadata, '{}'::jsonb));
END
$$;

COMMENT ON FUNCTION claude.envelope(jsonb, text[], jsonb) IS
    'The seed''s response envelope: {success, data, validation: {errors, warnings}, metadata}.';

CREATE OR REPLACE FUNCTION claude.lock_links(kind text)
RETURNS void
LANGUAGE sql
BEGIN ATOMIC
    SELECT pg_advisory_xact_lock(hashtextextended('buildtracker.' || kind, 0));
END;

COMMENT ON FUNCTION claude.lock_links(text) IS
    'Transaction-scoped advisory lock serialising every change of one kind of link (feature_parents or task_dependencies). Workflow functions take it before locking any row, so two opposite links wait for each other instead of deadlocking.';

CREATE OR REPLACE FUNCTION claude.too_short(value text, min_length integer)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN char_length(btrim(COALESCE(value, ''), E' \t\r\n\f\v')) < min_length;

COMMENT ON FUNCTION claude.too_short(text, integer) IS
    'True when value, trimmed of spaces, tabs and line breaks, is shorter than min_length characters (null counts as empty).';


CREATE OR REPLACE FUNCTION claude.require_status(entity_label text, current_status text, allowed text[], action text)
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

CREATE OR REPLACE FUNCTION claude.detail_errors(detail text)
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

CREATE OR REPLACE FUNCTION claude.write_changes(table_name text, key_column text, entity_id uuid, changes jsonb)
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

CREATE OR REPLACE FUNCTION claude.conversion_errors(table_name text, data jsonb)
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

CREATE OR REPLACE FUNCTION claude.refuse_bad_changes(entity_type text, entity_id uuid, changes jsonb, editable text[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    table_name text := CASE entity_type WHEN 'feature' THEN 'features' WHEN 'component' THEN 'components'
                                        WHEN 'build_task' THEN 'build_tasks' WHEN 'requirement' THEN 'requirements' END;
    key_count integer;
    errors jsonb;
    context text := format('cannot update %s %s', replace(entity_type, '_', ' '), entity_id);
BEGIN
    IF changes IS NULL OR jsonb_typeof(changes) <> 'object' THEN
        PERFORM claude.raise_errors(claude.err('changes', 'changes must be a JSON object of field: value'), context);
    END IF;
    -- Bounded work (SPEC section 12): checked before anything else, so a
    -- huge object costs one count, not a lock held while it is examined.
    SELECT count(*) INTO key_count FROM jsonb_object_keys(changes);
    IF key_count > 100 THEN
        PERFORM claude.raise_errors(claude.err('changes',
            format('changes holds %s keys; at most 100 are accepted', key_count)), context);
    END IF;
    -- set-based: one pass over the keys, whatever their number
    SELECT COALESCE(jsonb_agg((CASE WHEN k = 'status'
                THEN claude.err('status', 'status is changed by the status functions, not by an update')
                ELSE claude.err(k, format('%s is not an editable field (editable: %s)', k, array_to_string(editable, ', ')))
                END) -> 0 ORDER BY k), '[]')
      INTO errors
      FROM jsonb_object_keys(changes) AS k
     WHERE k = 'status' OR k <> ALL (editable);
    IF jsonb_array_length(errors) > 0 THEN
        -- the values of the other keys are named too; the rules of the row are
        -- not tried (that needs the row's lock): fix the keys first
        errors := errors || claude.conversion_errors(table_name,
            changes - (SELECT array_agg(e->>'field') FROM jsonb_array_elements(errors) AS e));
        PERFORM claude.raise_errors(errors, context);
    END IF;
END
$$;
COMMENT ON FUNCTION claude.refuse_bad_changes(text, uuid, jsonb, text[]) IS
    'Refuses, before any row or link lock: changes that is not an object, holds more than 100 keys, or names status or a field that is not editable (with the values of the other keys that do not convert), all in one exception.';

CREATE OR REPLACE FUNCTION claude.apply_changes(entity_type text, entity_id uuid, changes jsonb, editable text[])
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    table_name text;
    key_column text;
    errors jsonb := '[]'::jsonb;
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

    -- the keys first, before the row's lock
    PERFORM claude.refuse_bad_changes(entity_type, entity_id, changes, editable);
    EXECUTE format('SELECT %I FROM claude.%I WHERE %I = $1 FOR UPDATE', key_column, table_name, key_column)
       INTO found_id USING entity_id;
    IF found_id IS NULL THEN
        PERFORM claude.raise_not_found(entity_type, entity_id);
    END IF;

    errors := claude.conversion_errors(table_name, changes);
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
    'Shared body of update_feature/update_component/update_task/update_requirement: refuses bad keys before the row''s lock (refuse_bad_changes), then unconvertible values plus whatever the rule trigger finds in the other fields, all named in one exception; else updates the row.';

COMMIT;
