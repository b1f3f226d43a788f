-- Verify buildtracker:indexes on pg
BEGIN;
SELECT 1 / (count(*) = 20)::int FROM pg_indexes
 WHERE schemaname = 'claude' AND indexname IN (
    'idx_activity_feed_time', 'idx_activity_feed_project', 'idx_activity_feed_source',
    'idx_activity_feed_actor', 'idx_activity_feed_type', 'idx_features_status',
    'idx_features_project', 'idx_components_feature', 'idx_tasks_component',
    'idx_tasks_feature', 'idx_tasks_assigned', 'idx_requirements_feature',
    'idx_features_parent', 'idx_tasks_blocked_by', 'idx_tasks_ready', 'idx_tasks_ready_feature', 'idx_requirements_component',
    'idx_features_planned_by', 'idx_features_implemented_by', 'idx_requirements_created_by');
ROLLBACK;
