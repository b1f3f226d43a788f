-- Verify buildtracker:requirement_functions on pg
BEGIN;
SELECT 'claude.add_requirement(uuid, text, text, text, text[], integer, boolean, uuid, text)'::regprocedure,
       'claude.update_requirement(uuid, jsonb, text)'::regprocedure,
       'claude.update_requirement_status(uuid, text, text, uuid, text)'::regprocedure,
       'claude.verify_requirement(uuid, uuid, jsonb, uuid, text)'::regprocedure,
       'claude.validate(text, jsonb, text)'::regprocedure,
       'claude.requirement_warnings(claude.requirements)'::regprocedure;
ROLLBACK;
