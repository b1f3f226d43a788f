-- Revert buildtracker:indexes from pg
BEGIN;
DROP INDEX claude.idx_activity_feed_time, claude.idx_activity_feed_project, claude.idx_activity_feed_source,
    claude.idx_activity_feed_actor, claude.idx_activity_feed_type, claude.idx_activity_feed_job_finding,
    claude.idx_features_status,
    claude.idx_features_project, claude.idx_components_feature, claude.idx_tasks_component,
    claude.idx_tasks_feature, claude.idx_tasks_assigned, claude.idx_requirements_feature,
    claude.idx_features_parent, claude.idx_tasks_blocked_by, claude.idx_tasks_ready, claude.idx_tasks_ready_feature,
    claude.idx_requirements_component, claude.idx_features_planned_by, claude.idx_features_implemented_by,
    claude.idx_requirements_created_by;
COMMIT;
