-- Verify buildtracker:projects on pg
BEGIN;
SELECT project_id, project_name, created_at, updated_at FROM claude.projects WHERE false;
ROLLBACK;
