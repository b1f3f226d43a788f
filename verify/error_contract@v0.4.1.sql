-- Verify buildtracker:error_contract on pg
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
       'claude.lock_links(text)'::regprocedure;
ROLLBACK;
