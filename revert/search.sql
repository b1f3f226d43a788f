-- Revert buildtracker:search from pg
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

DROP FUNCTION claude.search(text, uuid, integer);
DROP INDEX claude.idx_comments_search;
DROP INDEX claude.idx_requirements_search;
DROP INDEX claude.idx_components_search;
DROP INDEX claude.idx_tasks_search;
DROP INDEX claude.idx_features_search;
DROP FUNCTION claude.search_vector(text, text, text[]);

COMMIT;
