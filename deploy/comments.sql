-- Deploy buildtracker:comments to pg
-- requires: activity_types
-- requires: feed_checkpoints
-- requires: task_dependencies
-- SPEC section 10: comments on projects, features, components, tasks and
-- requirements, append-only like the feed; each is also a feed row of type
-- commented carrying the body's SHA-256, so a comment changed behind the
-- guard's back (triggers off) is caught by check_invariants against the
-- sealed feed.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.comments (
    comment_id  uuid        NOT NULL DEFAULT gen_random_uuid(),
    entity_type text        NOT NULL,
    entity_id   uuid        NOT NULL,
    body        text        NOT NULL,
    actor       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT comments_pkey PRIMARY KEY (comment_id),
    CONSTRAINT chk_comment_entity_type CHECK (entity_type IN ('project', 'feature', 'component', 'build_task', 'requirement')),
    CONSTRAINT chk_comment_body_length CHECK (char_length(btrim(body, E' \t\r\n\f\v')) BETWEEN 1 AND 10000),
    CONSTRAINT chk_comment_actor_length CHECK (char_length(actor) <= 255)
);
COMMENT ON TABLE claude.comments IS 'Comments on projects, features, components, tasks and requirements: append-only, each logged in the feed as commented (with the body''s SHA-256). No foreign key: like the feed, a comment outlives what it is about.';
COMMENT ON COLUMN claude.comments.comment_id IS 'Primary key.';
COMMENT ON COLUMN claude.comments.entity_type IS 'What the comment is about: project, feature, component, build_task or requirement.';
COMMENT ON COLUMN claude.comments.entity_id IS 'The id of that entity (it must exist when the comment is written).';
COMMENT ON COLUMN claude.comments.body IS 'The text, 1-10000 characters (not counting surrounding blanks).';
COMMENT ON COLUMN claude.comments.actor IS 'Who wrote it (the call''s actor, else the session user).';
COMMENT ON COLUMN claude.comments.created_at IS 'When it was written.';
COMMENT ON CONSTRAINT chk_comment_entity_type ON claude.comments IS 'entity_type must be one of project, feature, component, build_task, requirement';
COMMENT ON CONSTRAINT chk_comment_body_length ON claude.comments IS 'body must be 1-10000 characters (not counting surrounding blanks)';
COMMENT ON CONSTRAINT chk_comment_actor_length ON claude.comments IS 'actor must be at most 255 characters';

CREATE INDEX idx_comments_entity ON claude.comments (entity_type, entity_id, created_at DESC, comment_id DESC);
COMMENT ON INDEX claude.idx_comments_entity IS 'The comments of one entity, newest first (get_comments).';

CREATE FUNCTION claude.entity_project(entity_type text, entity_id uuid)
RETURNS TABLE (project_id uuid, project_name text, entity_name text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- one row when the entity exists, none otherwise
    RETURN QUERY
    SELECT p.project_id, p.project_name, e.name
      FROM (SELECT pr.project_id, pr.project_name AS name FROM claude.projects pr
             WHERE entity_project.entity_type = 'project' AND pr.project_id = entity_project.entity_id
            UNION ALL
            SELECT f.project_id, f.feature_name FROM claude.features f
             WHERE entity_project.entity_type = 'feature' AND f.feature_id = entity_project.entity_id
            UNION ALL
            SELECT f.project_id, c.component_name FROM claude.components c JOIN claude.features f USING (feature_id)
             WHERE entity_project.entity_type = 'component' AND c.component_id = entity_project.entity_id
            UNION ALL
            SELECT f.project_id, t.task_name FROM claude.build_tasks t JOIN claude.features f USING (feature_id)
             WHERE entity_project.entity_type = 'build_task' AND t.task_id = entity_project.entity_id
            UNION ALL
            SELECT f.project_id, r.requirement_name FROM claude.requirements r JOIN claude.features f USING (feature_id)
             WHERE entity_project.entity_type = 'requirement' AND r.requirement_id = entity_project.entity_id) e
      JOIN claude.projects p ON p.project_id = e.project_id;
END
$$;
COMMENT ON FUNCTION claude.entity_project(text, uuid) IS
    'The project (id and name) and the name of an entity given by type and id; no row when it does not exist.';

CREATE FUNCTION claude.enforce_comment_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
BEGIN
    -- every failed check at once (the CHECKs would stop at the first); the
    -- messages are the constraints' comments
    IF NEW.entity_type IS NULL OR NEW.entity_type NOT IN ('project', 'feature', 'component', 'build_task', 'requirement') THEN
        errors := errors || claude.err('entity_type', 'entity_type must be one of project, feature, component, build_task, requirement');
    END IF;
    IF claude.too_short(NEW.body, 1) OR char_length(btrim(NEW.body, E' \t\r\n\f\v')) > 10000 THEN
        errors := errors || claude.err('body', 'body must be 1-10000 characters (not counting surrounding blanks)');
    END IF;
    IF char_length(NEW.actor) > 255 THEN
        errors := errors || claude.err('actor', 'actor must be at most 255 characters');
    END IF;
    IF NEW.entity_type IN ('project', 'feature', 'component', 'build_task', 'requirement')
       AND NOT EXISTS (SELECT 1 FROM claude.entity_project(NEW.entity_type, NEW.entity_id)) THEN
        errors := errors || claude.err('entity_id', format('%s %s does not exist', NEW.entity_type,
                                                          COALESCE(NEW.entity_id::text, '(null)')), '23503');
    END IF;
    PERFORM claude.raise_errors(errors, 'cannot add the comment');
    -- the statement's clock: comments of one transaction keep their order
    NEW.created_at := clock_timestamp();
    NEW.actor := COALESCE(NEW.actor, claude.current_actor());
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.enforce_comment_rules() IS
    'Trigger: a comment names an existing entity and has a body of 1-10000 characters (every failed check in one error); created_at is the database''s.';

CREATE FUNCTION claude.guard_comments()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'object_not_in_prerequisite_state',
        MESSAGE = format('comments are append-only: %s is not allowed', TG_OP),
        DETAIL = jsonb_build_object('errors', claude.err('comments',
                     format('%s on comments is not allowed', TG_OP), '55000'))::text,
        HINT = 'Add a new comment instead.';
END
$$;
COMMENT ON FUNCTION claude.guard_comments() IS
    'Trigger: refuses UPDATE, DELETE and TRUNCATE on comments, even for the owner (55000).';

CREATE FUNCTION claude.log_comment()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    about record;
BEGIN
    SELECT * INTO about FROM claude.entity_project(NEW.entity_type, NEW.entity_id);
    PERFORM claude.append_activity('trigger', NEW.entity_type, NEW.entity_id, 'commented',
        left(format('Comment on %s: %s', replace(replace(NEW.entity_type, 'build_task', 'task'), '_', ' '), about.entity_name), 255),
        left(NEW.body, 500), NEW.actor, about.project_name, 'info',
        jsonb_build_object('comment_id', NEW.comment_id, 'body_sha256', encode(sha256(convert_to(NEW.body, 'UTF8')), 'hex')));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.log_comment() IS
    'Trigger: each comment is a feed row of type commented (the first 500 characters as summary; changes hold comment_id and body_sha256).';

-- trigger names show their firing order (bt05 guard, bt10 rules, bt90 log)
CREATE TRIGGER bt05_append_only
    BEFORE UPDATE OR DELETE ON claude.comments
    FOR EACH ROW EXECUTE FUNCTION claude.guard_comments();
CREATE TRIGGER bt05_append_only_truncate
    BEFORE TRUNCATE ON claude.comments
    FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_comments();
CREATE TRIGGER bt10_rules
    BEFORE INSERT ON claude.comments
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_comment_rules();
CREATE TRIGGER bt90_log_activity
    AFTER INSERT ON claude.comments
    FOR EACH ROW EXECUTE FUNCTION claude.log_comment();

CREATE FUNCTION claude.add_comment(entity_type text, entity_id uuid, body text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    created claude.comments;
BEGIN
    INSERT INTO claude.comments AS c (entity_type, entity_id, body, actor)
    VALUES (add_comment.entity_type, add_comment.entity_id, add_comment.body,
            COALESCE(add_comment.actor, claude.current_actor()))
    RETURNING c.* INTO created;
    RETURN claude.envelope(to_jsonb(created));
END
$$;
COMMENT ON FUNCTION claude.add_comment(text, uuid, text, text) IS
    'Adds a comment to a project, feature, component, build_task or requirement (logged in the feed as commented). Errors: 23514 (entity_type, body of 1-10000 characters), 23503 (no such entity).';

CREATE FUNCTION claude.get_comments(entity_type text, entity_id uuid, max_rows integer DEFAULT 50,
                                    before timestamptz DEFAULT NULL, before_id uuid DEFAULT NULL)
RETURNS SETOF claude.comments
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT c.* FROM claude.comments c
     WHERE c.entity_type = get_comments.entity_type AND c.entity_id = get_comments.entity_id
       -- keyset on (created_at, comment_id): comments of one transaction are not skipped
       AND (get_comments.before IS NULL
            OR (get_comments.before_id IS NULL AND c.created_at < get_comments.before)
            OR (get_comments.before_id IS NOT NULL AND (c.created_at, c.comment_id) < (get_comments.before, get_comments.before_id)))
     ORDER BY c.created_at DESC, c.comment_id DESC
     LIMIT LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000);
END
$$;
COMMENT ON FUNCTION claude.get_comments(text, uuid, integer, timestamptz, uuid) IS
    'The comments on one entity, newest first; page backwards with the last row''s created_at as before and its comment_id as before_id. max_rows 0-1000, default 50. Comments outlive their entity, so a deleted entity''s comments are still returned.';

GRANT EXECUTE ON FUNCTION claude.add_comment(text, uuid, text, text) TO buildtracker_writer;
GRANT EXECUTE ON FUNCTION claude.get_comments(text, uuid, integer, timestamptz, uuid) TO buildtracker_reader;
GRANT SELECT ON claude.comments TO buildtracker_reader;

COMMIT;
