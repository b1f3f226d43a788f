-- Deploy buildtracker:error_contract to pg
-- requires: indexes
-- The error contract of SPEC section 6 and the call context of section 5:
-- one exception per failed call, DETAIL = JSON list of every failed check,
-- SQLSTATE chosen by the kind of failure; actor and note of the current call.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.err(field text, message text, code text DEFAULT '23514')
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jsonb_build_array(jsonb_build_object('field', field, 'message', message, 'code', code));

COMMENT ON FUNCTION claude.err(text, text, text) IS
    'One failed check as a one-element JSON array ({field, message, code}), ready to append to an error list. code is the SQLSTATE the check stands for: 23514 invalid value, 23503 missing reference, 55000 wrong state.';

CREATE FUNCTION claude.raise_errors(errors jsonb, context text, hint text DEFAULT NULL)
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
    -- a missing reference, then an invalid value, then a wrong state.
    SELECT CASE
             WHEN bool_or(e->>'code' = '23503') THEN '23503'
             WHEN bool_or(e->>'code' = '23514') THEN '23514'
             ELSE '55000'
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
    'Raises one exception listing every failed check: SQLSTATE 23503 if any reference is missing, else 23514 if any value is invalid, else 55000; MESSAGE names them all, DETAIL is {"errors": [...]}, HINT says what to do. Does nothing for an empty list.';

CREATE FUNCTION claude.raise_not_found(entity text, id uuid)
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

CREATE FUNCTION claude.current_actor()
RETURNS text
LANGUAGE sql STABLE
RETURN COALESCE(NULLIF(current_setting('buildtracker.call_actor', true), ''),
                NULLIF(current_setting('buildtracker.actor', true), ''),
                session_user::text);

COMMENT ON FUNCTION claude.current_actor() IS
    'Who is acting: the actor argument of the workflow call in progress, else SET buildtracker.actor, else session_user.';

CREATE FUNCTION claude.current_note()
RETURNS text
LANGUAGE sql STABLE
RETURN NULLIF(btrim(current_setting('buildtracker.note', true)), '');

COMMENT ON FUNCTION claude.current_note() IS
    'The reason or note given to the workflow call in progress (or by SET LOCAL buildtracker.note for raw DML); null when none.';

CREATE FUNCTION claude.begin_call(actor text, note text DEFAULT NULL)
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

CREATE FUNCTION claude.end_call()
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

CREATE FUNCTION claude.envelope(data jsonb, warnings text[] DEFAULT '{}', metadata jsonb DEFAULT '{}')
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

CREATE FUNCTION claude.lock_links(kind text)
RETURNS void
LANGUAGE sql
BEGIN ATOMIC
    SELECT pg_advisory_xact_lock(hashtextextended('buildtracker.' || kind, 0));
END;

COMMENT ON FUNCTION claude.lock_links(text) IS
    'Transaction-scoped advisory lock serialising every change of one kind of link (feature_parents or task_dependencies). Workflow functions take it before locking any row, so two opposite links wait for each other instead of deadlocking.';

CREATE FUNCTION claude.too_short(value text, min_length integer)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN char_length(btrim(COALESCE(value, ''), E' \t\r\n\f\v')) < min_length;

COMMENT ON FUNCTION claude.too_short(text, integer) IS
    'True when value, trimmed of spaces, tabs and line breaks, is shorter than min_length characters (null counts as empty).';

COMMIT;
