-- Revert buildtracker:component_rules from pg
BEGIN;
DROP TRIGGER bt50_carry_tasks ON claude.components;
DROP FUNCTION claude.carry_component_tasks();
DROP TRIGGER bt20_enforce_rules ON claude.components;
DROP FUNCTION claude.enforce_component_rules();
DROP FUNCTION claude.component_completion_warnings(claude.components);
DROP FUNCTION claude.default_component_path(text, text);
COMMIT;
