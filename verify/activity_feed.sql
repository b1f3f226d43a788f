-- Verify buildtracker:activity_feed on pg
BEGIN;
SELECT id, source_type, source_id, actor, activity_type, title, summary, project_name, severity, created_at, changes, checksum
  FROM claude.activity_feed WHERE false;
ROLLBACK;
