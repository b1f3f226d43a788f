-- Revert buildtracker:comments from pg
-- The comments go with the table; their feed rows (commented) stay.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

DROP FUNCTION claude.get_comments(text, uuid, integer, timestamptz, uuid);
DROP FUNCTION claude.add_comment(text, uuid, text, text);
DROP TABLE claude.comments;
DROP FUNCTION claude.log_comment();
DROP FUNCTION claude.guard_comments();
DROP FUNCTION claude.enforce_comment_rules();
DROP FUNCTION claude.entity_project(text, uuid);

COMMIT;
