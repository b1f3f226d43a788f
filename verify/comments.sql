-- Verify buildtracker:comments on pg
BEGIN;
SELECT comment_id, entity_type, entity_id, body, actor, created_at FROM claude.comments WHERE false;
SELECT 'claude.add_comment(text, uuid, text, text)'::regprocedure,
       'claude.get_comments(text, uuid, integer, timestamptz, uuid)'::regprocedure,
       'claude.entity_project(text, uuid)'::regprocedure;
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt05_append_only' AND tgrelid = 'claude.comments'::regclass;
ROLLBACK;
