-- Revert buildtracker:completion_rollup from pg
BEGIN;
DROP TRIGGER bt95_rollup_completion ON claude.build_tasks;
DROP TRIGGER bt95_rollup_completion ON claude.components;
DROP FUNCTION claude.rollup_feature_completion();
DROP FUNCTION claude.refresh_feature_completion(uuid);
COMMIT;
