-- Revert buildtracker:requirement_rules from pg
BEGIN;
DROP TRIGGER bt20_enforce_rules ON claude.requirements;
DROP FUNCTION claude.enforce_requirement_rules();
DROP FUNCTION claude.untestable_criteria_warnings(text[]);
COMMIT;
