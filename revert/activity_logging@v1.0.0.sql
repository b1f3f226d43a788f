-- Revert buildtracker:activity_logging from pg
BEGIN;
DROP FUNCTION claude.build_row_changes();
DROP FUNCTION claude.prune_activity(interval, text);
DROP FUNCTION claude.get_activity(text, text, uuid, text, text, text[], timestamptz, timestamptz, integer, uuid);
DROP TRIGGER bt90_log_activity ON claude.requirements;
DROP TRIGGER bt90_log_activity ON claude.build_tasks;
DROP TRIGGER bt90_log_activity ON claude.components;
DROP TRIGGER bt90_log_activity ON claude.features;
DROP FUNCTION claude.log_entity_activity();
DROP FUNCTION claude.project_name_of(uuid);
DROP FUNCTION claude.log_activity(text, uuid, text, text, text, text, text, text, jsonb);
DROP TRIGGER bt90_notify ON claude.activity_feed;
DROP FUNCTION claude.notify_activity();
DROP TRIGGER bt05_append_only_truncate ON claude.activity_feed;
DROP TRIGGER bt05_append_only ON claude.activity_feed;
DROP FUNCTION claude.guard_activity_feed();
COMMIT;
