-- Verify buildtracker:build_tasks on pg
BEGIN;
SELECT task_id, feature_id, component_id, task_name, task_description, task_type, status, priority, assigned_to_identity_id, estimated_hours, actual_hours, started_at, completed_at, blocked_reason, blocked_by_task_id, completion_notes, cancellation_reason, created_at, updated_at
  FROM claude.build_tasks WHERE false;
ROLLBACK;
