-- Revert buildtracker:completion_rollup from pg
BEGIN;
DROP TRIGGER bt95_rollup_completion ON claude.build_tasks;
DROP TRIGGER bt95_rollup_completion ON claude.components;
DROP FUNCTION claude.rollup_feature_completion();
DROP TRIGGER bt25_computed_completion ON claude.features;
DROP FUNCTION claude.guard_computed_completion();
DROP FUNCTION claude.refresh_feature_completion(uuid);
DROP FUNCTION claude.computed_completion(uuid);
DROP FUNCTION claude.completion_class(text, text);
COMMIT;
