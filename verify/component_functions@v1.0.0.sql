-- Verify buildtracker:component_functions on pg
BEGIN;
SELECT 'claude.add_component(uuid, text, text, text[], text[], text, text)'::regprocedure,
       'claude.update_component(uuid, jsonb, text)'::regprocedure,
       'claude.update_component_status(uuid, text, text, text)'::regprocedure,
       'claude.complete_component(uuid, text[], text, integer, boolean, numeric, text)'::regprocedure;
ROLLBACK;
