-- Deploy buildtracker:task_context to pg
-- requires: comments
-- requires: task_dependencies
-- SPEC section 11: what an agent needs to work a task, in one call: the
-- task, its feature and project, what it depends on and what depends on it,
-- and its latest comments (the MCP tool "show a task" is this one function).
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.get_task_context(task_id uuid, max_comments integer DEFAULT 20)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    task claude.build_tasks;
    links jsonb;
BEGIN
    SELECT * INTO task FROM claude.build_tasks t WHERE t.task_id = get_task_context.task_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('task', get_task_context.task_id);
    END IF;
    links := claude.get_task_dependencies(task.task_id);
    RETURN jsonb_build_object(
        'task', to_jsonb(task),
        'feature_name', (SELECT f.feature_name FROM claude.features f WHERE f.feature_id = task.feature_id),
        'project_name', claude.project_name_of(task.feature_id),
        'assignee_name', (SELECT i.identity_name FROM claude.identities i WHERE i.identity_id = task.assigned_to_identity_id),
        'depends_on', links -> 'depends_on',
        'dependents', links -> 'dependents',
        'comments', COALESCE((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.created_at DESC, c.comment_id DESC)
                                FROM claude.get_comments('build_task', task.task_id,
                                                         LEAST(GREATEST(COALESCE(max_comments, 20), 0), 100)) c), '[]'));
END
$$;
COMMENT ON FUNCTION claude.get_task_context(uuid, integer) IS
    'One task with what an agent needs to work it: {"task": row, "feature_name", "project_name", "assignee_name", "depends_on": [{task_id, task_name, status, kind}], "dependents": [...], "comments": [newest first, at most max_comments (clamped to 0-100, default 20)]}. Errors: P0002.';

GRANT EXECUTE ON FUNCTION claude.get_task_context(uuid, integer) TO buildtracker_reader;

COMMIT;
