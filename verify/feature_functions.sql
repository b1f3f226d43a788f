-- Verify buildtracker:feature_functions on pg
BEGIN;
SELECT 'claude.add_feature(text, text, uuid, text, integer, uuid, uuid, text, text, text[])'::regprocedure,
       'claude.update_feature(uuid, jsonb, text)'::regprocedure,
       'claude.update_feature_status(uuid, text, text, uuid, uuid, text)'::regprocedure,
       'claude.complete_feature(uuid, text)'::regprocedure,
       'claude.delete_feature(uuid, boolean, text)'::regprocedure,
       'claude.can_complete_feature(uuid)'::regprocedure,
       'claude.get_feature_completion(uuid)'::regprocedure,
       'claude.get_feature_with_children(uuid)'::regprocedure;
ROLLBACK;
