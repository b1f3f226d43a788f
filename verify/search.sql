-- Verify buildtracker:search on pg
BEGIN;
SELECT 'claude.search(text, uuid, integer)'::regprocedure, 'claude.search_vector(text, text, text[])'::regprocedure;
SELECT 1 / count(*) FROM pg_indexes WHERE schemaname = 'claude' AND indexname = 'idx_tasks_search';
ROLLBACK;
