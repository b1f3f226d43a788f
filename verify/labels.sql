-- Verify buildtracker:labels on pg
BEGIN;
SELECT labels FROM claude.features WHERE false;
SELECT labels FROM claude.build_tasks WHERE false;
SELECT 'claude.labels_valid(text[])'::regprocedure;
SELECT 1 / count(*) FROM pg_indexes WHERE schemaname = 'claude' AND indexname = 'idx_tasks_labels';
ROLLBACK;
