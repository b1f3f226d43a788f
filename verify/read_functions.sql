-- Verify buildtracker:read_functions on pg
BEGIN;
SELECT 'claude.get_project(uuid)'::regprocedure, 'claude.get_identity(uuid)'::regprocedure,
       'claude.get_feature(uuid)'::regprocedure, 'claude.get_component(uuid)'::regprocedure,
       'claude.get_task(uuid)'::regprocedure, 'claude.get_requirement(uuid)'::regprocedure,
       'claude.list_projects()'::regprocedure, 'claude.list_api_tokens()'::regprocedure, 'claude.list_identities()'::regprocedure,
       'claude.list_features(uuid, text, timestamptz, uuid, integer)'::regprocedure,
       'claude.list_components(uuid, text, timestamptz, uuid, integer)'::regprocedure,
       'claude.list_tasks(uuid, text, uuid, uuid, timestamptz, uuid, integer)'::regprocedure,
       'claude.list_requirements(uuid, text, timestamptz, uuid, integer)'::regprocedure;
SELECT 1 / has_function_privilege('buildtracker_reader', 'claude.get_task(uuid)', 'EXECUTE')::int;
ROLLBACK;
