-- Verify buildtracker:requirements on pg
BEGIN;
SELECT requirement_id, feature_id, requirement_name, requirement_type, description, acceptance_criteria, status, priority, must_have, implemented_by_component_id, verified_at, verified_by_test_run_id, created_by_identity_id, created_at, updated_at
  FROM claude.requirements WHERE false;
ROLLBACK;
