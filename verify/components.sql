-- Verify buildtracker:components on pg
BEGIN;
SELECT component_id, feature_id, component_name, component_type, file_path, planned_functions, planned_dependencies, actual_functions, status, lines_of_code, has_tests, test_coverage_percentage, has_documentation, doc_path, implemented_at, created_at, updated_at
  FROM claude.components WHERE false;
ROLLBACK;
