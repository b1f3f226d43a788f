-- Verify buildtracker:shared_helpers on pg
BEGIN;
SELECT 'claude.err(text, text, text)'::regprocedure,
       'claude.raise_errors(jsonb, text, text)'::regprocedure,
       'claude.raise_not_found(text, uuid)'::regprocedure,
       'claude.current_actor()'::regprocedure,
       'claude.current_note()'::regprocedure,
       'claude.begin_call(text, text)'::regprocedure,
       'claude.end_call()'::regprocedure,
       'claude.envelope(jsonb, text[], jsonb)'::regprocedure,
       'claude.too_short(text, integer)'::regprocedure,
       'claude.lock_links(text)'::regprocedure,
       'claude.require_status(text, text, text[], text)'::regprocedure,
       'claude.detail_errors(text)'::regprocedure,
       'claude.write_changes(text, text, uuid, jsonb)'::regprocedure,
       'claude.conversion_errors(text, jsonb)'::regprocedure,
       'claude.apply_changes(text, uuid, jsonb, text[])'::regprocedure;
ROLLBACK;
