-- Deploy buildtracker:indexes to pg
-- requires: features components build_tasks requirements activity_feed
-- The seed's activity-feed and Priority 3 indexes, plus the ones the workflow
-- queries and foreign-key delete rules need. Created inside the deploy
-- transaction on fresh tables, so CONCURRENTLY is neither possible nor needed.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

-- activity feed (seed: "already exists" + "recommended additions"), each
-- ending in id DESC: get_activity pages on (created_at, id), so a page is read
-- straight off the index even where rows share a created_at
CREATE INDEX idx_activity_feed_time    ON claude.activity_feed (created_at DESC, id DESC);
CREATE INDEX idx_activity_feed_project ON claude.activity_feed (project_name, created_at DESC, id DESC);
CREATE INDEX idx_activity_feed_source  ON claude.activity_feed (source_type, source_id);
CREATE INDEX idx_activity_feed_actor   ON claude.activity_feed (actor, created_at DESC, id DESC);
CREATE INDEX idx_activity_feed_type    ON claude.activity_feed (activity_type, created_at DESC, id DESC);
CREATE INDEX idx_activity_feed_job_finding ON claude.activity_feed ((changes ->> 'job_finding'))
    WHERE changes ? 'job_finding';

-- seed Priority 3
CREATE INDEX idx_features_status      ON claude.features (status);
CREATE INDEX idx_features_project     ON claude.features (project_id, status);
CREATE INDEX idx_components_feature   ON claude.components (feature_id, status);
CREATE INDEX idx_tasks_component      ON claude.build_tasks (component_id, status);
CREATE INDEX idx_tasks_feature        ON claude.build_tasks (feature_id, status);
CREATE INDEX idx_tasks_assigned       ON claude.build_tasks (assigned_to_identity_id, status);
CREATE INDEX idx_requirements_feature ON claude.requirements (feature_id, status);

-- workflow queries and delete rules
CREATE INDEX idx_features_parent ON claude.features (parent_feature_id) WHERE parent_feature_id IS NOT NULL;
CREATE INDEX idx_tasks_blocked_by ON claude.build_tasks (blocked_by_task_id) WHERE blocked_by_task_id IS NOT NULL;
CREATE INDEX idx_tasks_ready ON claude.build_tasks (priority, created_at, task_id) WHERE status = 'todo';
CREATE INDEX idx_tasks_ready_feature ON claude.build_tasks (feature_id, priority, created_at, task_id) WHERE status = 'todo';
CREATE INDEX idx_requirements_component ON claude.requirements (implemented_by_component_id)
    WHERE implemented_by_component_id IS NOT NULL;
-- identity delete rule (RESTRICT) without a scan of every feature/requirement
CREATE INDEX idx_features_planned_by ON claude.features (planned_by_identity_id)
    WHERE planned_by_identity_id IS NOT NULL;
CREATE INDEX idx_features_implemented_by ON claude.features (implemented_by_identity_id)
    WHERE implemented_by_identity_id IS NOT NULL;
CREATE INDEX idx_requirements_created_by ON claude.requirements (created_by_identity_id)
    WHERE created_by_identity_id IS NOT NULL;

COMMENT ON INDEX claude.idx_activity_feed_time IS 'Recent activity, newest first.';
COMMENT ON INDEX claude.idx_activity_feed_project IS 'Activity of one project, newest first.';
COMMENT ON INDEX claude.idx_activity_feed_source IS 'History of one entity.';
COMMENT ON INDEX claude.idx_activity_feed_actor IS 'Activity of one actor, newest first.';
COMMENT ON INDEX claude.idx_activity_feed_type IS 'Activity of one type, newest first.';
COMMENT ON INDEX claude.idx_activity_feed_job_finding IS 'De-duplicates job findings: one alert per finding.';
COMMENT ON INDEX claude.idx_features_status IS 'Features by status.';
COMMENT ON INDEX claude.idx_features_project IS 'Features of a project by status.';
COMMENT ON INDEX claude.idx_components_feature IS 'Components of a feature by status (roll-up, completion gate).';
COMMENT ON INDEX claude.idx_tasks_component IS 'Tasks of a component by status.';
COMMENT ON INDEX claude.idx_tasks_feature IS 'Tasks of a feature by status (roll-up, completion gate).';
COMMENT ON INDEX claude.idx_tasks_assigned IS 'Tasks of an assignee by status (active-task count).';
COMMENT ON INDEX claude.idx_requirements_feature IS 'Requirements of a feature by status (completion gate).';
COMMENT ON INDEX claude.idx_features_parent IS 'Child features (completion gate, parent delete rule).';
COMMENT ON INDEX claude.idx_tasks_blocked_by IS 'Tasks waiting on a task (unblocking, delete rule).';
COMMENT ON INDEX claude.idx_tasks_ready IS 'Ready-task queue: todo tasks by priority, then age.';
COMMENT ON INDEX claude.idx_tasks_ready_feature IS 'Ready-task queue of one feature (or of a project''s features): todo tasks by priority, then age.';
COMMENT ON INDEX claude.idx_requirements_component IS 'Requirements implemented by a component (delete rule).';
COMMENT ON INDEX claude.idx_features_planned_by IS 'Features planned by an identity (identity delete rule).';
COMMENT ON INDEX claude.idx_features_implemented_by IS 'Features implemented by an identity (identity delete rule).';
COMMENT ON INDEX claude.idx_requirements_created_by IS 'Requirements written by an identity (identity delete rule).';

COMMIT;
