-- Revert buildtracker:error_contract from pg
-- Back to the @v0.4.1 err, declared IMMUTABLE (not inlined).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.err(field text, message text, code text DEFAULT '23514')
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jsonb_build_array(jsonb_build_object('field', field, 'message', message, 'code', code));

COMMENT ON FUNCTION claude.err(text, text, text) IS
    'One failed check as a one-element JSON array ({field, message, code}), ready to append to an error list. code is the SQLSTATE the check stands for: 23514 invalid value, 23503 missing reference, 55000 wrong state.';

COMMIT;
