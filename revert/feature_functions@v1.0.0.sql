-- Revert buildtracker:feature_functions from pg
BEGIN;
DROP FUNCTION claude.get_feature_with_children(uuid);
DROP FUNCTION claude.get_feature_completion(uuid);
DROP FUNCTION claude.can_complete_feature(uuid);
DROP FUNCTION claude.delete_feature(uuid, text);
DROP FUNCTION claude.complete_feature(uuid, text);
DROP FUNCTION claude.update_feature_status(uuid, text, text, uuid, uuid, text);
DROP FUNCTION claude.update_feature(uuid, jsonb, text);
DROP FUNCTION claude.add_feature(text, text, uuid, text, integer, uuid, uuid, text, text);
COMMIT;
