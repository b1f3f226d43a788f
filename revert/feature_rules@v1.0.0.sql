-- Revert buildtracker:feature_rules from pg
BEGIN;
DROP TRIGGER bt20_enforce_rules ON claude.features;
DROP FUNCTION claude.enforce_feature_rules();
DROP FUNCTION claude.closed_feature_error(text, text, text);
DROP FUNCTION claude.creates_cycle(text, uuid, uuid);
DROP FUNCTION claude.feature_completion_failures(uuid);
COMMIT;
