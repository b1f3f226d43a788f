-- Verify buildtracker:features on pg
BEGIN;
SELECT feature_id, project_id, parent_feature_id, feature_name, feature_type, description, priority, status, completion_percentage, planned_date, planned_by_identity_id, started_date, completed_date, implemented_by_identity_id, design_doc_path, implementation_notes, blocked_reason, cancellation_reason, created_at, updated_at
  FROM claude.features WHERE false;
ROLLBACK;
