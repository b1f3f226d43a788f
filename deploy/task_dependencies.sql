-- Deploy buildtracker:task_dependencies to pg
-- requires: task_rules
-- requires: task_functions
-- requires: feed_checkpoints
-- SPEC section 10, dependencies: many typed edges per task. A task is ready
-- when it is todo and every `blocks` dependency is completed or cancelled.
-- The seed's blocked_by_task_id keeps working: setting it adds (or moves) a
-- `blocks` edge, so every reader of the edges sees it.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.task_dependencies (
    task_id            uuid        NOT NULL,
    depends_on_task_id uuid        NOT NULL,
    kind               text        NOT NULL DEFAULT 'blocks',
    created_at         timestamptz NOT NULL DEFAULT now(),
    actor              text,
    CONSTRAINT task_dependencies_pkey PRIMARY KEY (task_id, depends_on_task_id),
    CONSTRAINT fk_dependency_task FOREIGN KEY (task_id) REFERENCES claude.build_tasks (task_id) ON DELETE CASCADE,
    CONSTRAINT fk_dependency_depends_on FOREIGN KEY (depends_on_task_id) REFERENCES claude.build_tasks (task_id) ON DELETE CASCADE,
    CONSTRAINT chk_dependency_kind CHECK (kind IN ('blocks', 'related', 'discovered_from')),
    CONSTRAINT chk_dependency_not_self CHECK (task_id <> depends_on_task_id),
    CONSTRAINT chk_dependency_actor_length CHECK (char_length(actor) <= 255)
);
COMMENT ON TABLE claude.task_dependencies IS 'Typed edges between tasks: task_id depends on depends_on_task_id. blocks edges decide readiness and never form a cycle.';
COMMENT ON COLUMN claude.task_dependencies.task_id IS 'The dependent task.';
COMMENT ON COLUMN claude.task_dependencies.depends_on_task_id IS 'The task it depends on.';
COMMENT ON COLUMN claude.task_dependencies.kind IS 'blocks (the task waits for it), related, discovered_from (found while working on it).';
COMMENT ON COLUMN claude.task_dependencies.created_at IS 'When the edge was added.';
COMMENT ON COLUMN claude.task_dependencies.actor IS 'Who added it.';
COMMENT ON CONSTRAINT chk_dependency_kind ON claude.task_dependencies IS 'kind must be one of blocks, related, discovered_from';
COMMENT ON CONSTRAINT chk_dependency_not_self ON claude.task_dependencies IS 'a task cannot depend on itself';
COMMENT ON CONSTRAINT chk_dependency_actor_length ON claude.task_dependencies IS 'actor must be at most 255 characters';
COMMENT ON CONSTRAINT fk_dependency_task ON claude.task_dependencies IS 'task_id must name an existing task';
COMMENT ON CONSTRAINT fk_dependency_depends_on ON claude.task_dependencies IS 'depends_on_task_id must name an existing task';

-- the reverse direction: "what waits on this task" (auto-unblock, readiness)
CREATE INDEX idx_task_dependencies_depends_on ON claude.task_dependencies (depends_on_task_id, kind);
COMMENT ON INDEX claude.idx_task_dependencies_depends_on IS 'Dependents of a task, for readiness and auto-unblock.';

-- the seed's links, as edges (rules off: they were accepted when written)
INSERT INTO claude.task_dependencies (task_id, depends_on_task_id, kind, created_at, actor)
SELECT t.task_id, t.blocked_by_task_id, 'blocks', t.updated_at, NULL
  FROM claude.build_tasks t
 WHERE t.blocked_by_task_id IS NOT NULL AND t.blocked_by_task_id <> t.task_id;

CREATE FUNCTION claude.blocks_cycle(task_id uuid, depends_on_task_id uuid)
RETURNS uuid[]
LANGUAGE plpgsql
AS $$
DECLARE
    path uuid[];
BEGIN
    -- one writer of blocks edges at a time, as for blocked_by_task_id: two
    -- sessions adding A->B and B->A cannot both pass
    PERFORM claude.lock_links('task_dependencies');
    WITH RECURSIVE walk(node, trail) AS (
        SELECT blocks_cycle.depends_on_task_id, ARRAY[blocks_cycle.depends_on_task_id]
        UNION ALL
        SELECT d.depends_on_task_id, w.trail || d.depends_on_task_id
          FROM walk w JOIN claude.task_dependencies d ON d.task_id = w.node AND d.kind = 'blocks'
         WHERE NOT d.depends_on_task_id = ANY (w.trail) AND w.node <> blocks_cycle.task_id
    )
    SELECT w.trail INTO path FROM walk w WHERE w.node = blocks_cycle.task_id LIMIT 1;
    RETURN path;
END
$$;
COMMENT ON FUNCTION claude.blocks_cycle(uuid, uuid) IS
    'The chain of blocks edges from depends_on_task_id back to task_id (the cycle a new edge task_id -> depends_on_task_id would close), or null; serialised with every change of task links.';

CREATE FUNCTION claude.enforce_dependency_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
    cycle uuid[];
    projects uuid[];
BEGIN
    SELECT array_agg(DISTINCT f.project_id) INTO projects
      FROM claude.build_tasks t JOIN claude.features f ON f.feature_id = t.feature_id
     WHERE t.task_id IN (NEW.task_id, NEW.depends_on_task_id);
    IF cardinality(projects) > 1 THEN
        errors := errors || claude.err('depends_on_task_id', 'both tasks of a dependency must be in the same project');
    END IF;
    IF NEW.kind = 'blocks' AND NEW.task_id <> NEW.depends_on_task_id THEN
        cycle := claude.blocks_cycle(NEW.task_id, NEW.depends_on_task_id);
        IF cycle IS NOT NULL THEN
            errors := errors || jsonb_set(claude.err('depends_on_task_id',
                format('the task would wait on itself: %s', (SELECT string_agg(t.task_name, ' -> ' ORDER BY x.n)
                     FROM unnest(ARRAY[NEW.task_id] || cycle) WITH ORDINALITY AS x(id, n)
                     JOIN claude.build_tasks t ON t.task_id = x.id))),
                '{0,entity_id}', to_jsonb(NEW.depends_on_task_id));
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
        NEW.actor := COALESCE(NEW.actor, claude.current_actor());
    END IF;
    errors := errors || claude.check_task_dependencies_constraints(NEW);
    PERFORM claude.raise_errors(errors, 'cannot add the dependency');
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.enforce_dependency_rules() IS
    'Trigger: a dependency joins two tasks of one project, and a blocks edge never closes a cycle (23514 naming it); with the table''s constraints, all in one error.';

CREATE FUNCTION claude.check_task_dependencies_constraints(n claude.task_dependencies)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
BEGIN
    IF n.kind IS NULL OR n.kind NOT IN ('blocks', 'related', 'discovered_from') THEN
        errors := errors || claude.err('kind', 'kind must be one of blocks, related, discovered_from');
    END IF;
    IF n.task_id = n.depends_on_task_id THEN
        errors := errors || claude.err('depends_on_task_id', 'a task cannot depend on itself');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM claude.build_tasks t WHERE t.task_id = n.task_id) THEN
        errors := errors || claude.err('task_id', 'task_id must name an existing task', '23503');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM claude.build_tasks t WHERE t.task_id = n.depends_on_task_id) THEN
        errors := errors || claude.err('depends_on_task_id', 'depends_on_task_id must name an existing task', '23503');
    END IF;
    RETURN errors;
END
$$;
COMMENT ON FUNCTION claude.check_task_dependencies_constraints(claude.task_dependencies) IS
    'Every constraint of a new dependency, named: kind, no self-edge, both tasks exist.';

CREATE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.task_dependencies
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_dependency_rules();

-- blocked_by_task_id is a blocks edge: moving it moves the edge
CREATE FUNCTION claude.sync_blocked_by_edge()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.blocked_by_task_id IS NOT NULL
       AND OLD.blocked_by_task_id IS DISTINCT FROM NEW.blocked_by_task_id THEN
        DELETE FROM claude.task_dependencies d
         WHERE d.task_id = NEW.task_id AND d.depends_on_task_id = OLD.blocked_by_task_id AND d.kind = 'blocks';
    END IF;
    IF NEW.blocked_by_task_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR OLD.blocked_by_task_id IS DISTINCT FROM NEW.blocked_by_task_id) THEN
        INSERT INTO claude.task_dependencies AS d (task_id, depends_on_task_id, kind)
        VALUES (NEW.task_id, NEW.blocked_by_task_id, 'blocks')
        ON CONFLICT (task_id, depends_on_task_id) DO UPDATE SET kind = 'blocks';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.sync_blocked_by_edge() IS
    'Trigger: the seed''s blocked_by_task_id as a blocks edge of claude.task_dependencies (added, moved or removed with the column).';

CREATE TRIGGER bt30_sync_blocked_by
    AFTER INSERT OR UPDATE OF blocked_by_task_id ON claude.build_tasks
    FOR EACH ROW EXECUTE FUNCTION claude.sync_blocked_by_edge();

-- Auto-unblock (SPEC section 10): when a task is done, every blocked task
-- that waited on it through blocks edges, and now waits on nothing open,
-- resumes in the same transaction. A task blocked with only a reason (no
-- blocks edge) stays blocked until unblock_task.
CREATE FUNCTION claude.auto_unblock()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    waiting record;
    previous_note text := current_setting('buildtracker.note', true);
BEGIN
    FOR waiting IN
        SELECT t.task_id FROM claude.task_dependencies d JOIN claude.build_tasks t ON t.task_id = d.task_id
         WHERE d.depends_on_task_id = NEW.task_id AND d.kind = 'blocks' AND t.status = 'blocked'
           AND claude.open_blockers(t.task_id) = '[]'::jsonb
         ORDER BY t.priority, t.created_at
    LOOP
        PERFORM set_config('buildtracker.note', format('blocking task "%s" is %s', NEW.task_name, NEW.status), true);
        UPDATE claude.build_tasks t SET status = 'in_progress' WHERE t.task_id = waiting.task_id;
    END LOOP;
    PERFORM set_config('buildtracker.note', COALESCE(previous_note, ''), true);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.auto_unblock() IS
    'Trigger: when a task completes or is cancelled, blocked tasks whose blocks dependencies are now all done resume (in_progress), logged with a note naming the blocker.';

CREATE TRIGGER bt40_auto_unblock
    AFTER UPDATE OF status ON claude.build_tasks
    FOR EACH ROW WHEN (NEW.status IN ('completed', 'cancelled') AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION claude.auto_unblock();

CREATE FUNCTION claude.open_blockers(task_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    -- one error item per open blocks dependency, naming it (entity_id)
    RETURN COALESCE((
        SELECT jsonb_agg(jsonb_build_object(
                   'field', CASE WHEN b.task_id = t.blocked_by_task_id THEN 'blocked_by_task_id' ELSE 'depends_on_task_id' END,
                   'message', format('blocking task "%s" is %s, not completed or cancelled', b.task_name, b.status),
                   'code', '55000', 'entity_id', b.task_id) ORDER BY b.priority, b.created_at, b.task_name)
          FROM claude.task_dependencies d
          JOIN claude.build_tasks b ON b.task_id = d.depends_on_task_id
          JOIN claude.build_tasks t ON t.task_id = d.task_id
         WHERE d.task_id = open_blockers.task_id AND d.kind = 'blocks'
           AND b.status NOT IN ('completed', 'cancelled')), '[]'::jsonb);
END
$$;
COMMENT ON FUNCTION claude.open_blockers(uuid) IS
    'One 55000 error item per blocks dependency of the task that is not completed or cancelled, with the blocker''s id as entity_id: why it cannot start or resume.';

CREATE FUNCTION claude.log_dependency(edge claude.task_dependencies, added boolean)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    change jsonb := jsonb_build_object('depends_on_task_id', edge.depends_on_task_id, 'kind', edge.kind);
BEGIN
    PERFORM claude.append_activity('caller', 'build_task', edge.task_id, 'updated',
        left(format('Dependency %s: %s %s', CASE WHEN added THEN 'added' ELSE 'removed' END, edge.kind,
                    (SELECT t.task_name FROM claude.build_tasks t WHERE t.task_id = edge.depends_on_task_id)), 255),
        NULL, claude.current_actor(),
        claude.project_name_of((SELECT t.feature_id FROM claude.build_tasks t WHERE t.task_id = edge.task_id)), 'info',
        jsonb_build_object('dependency', CASE WHEN added THEN jsonb_build_object('old', NULL, 'new', change)
                                              ELSE jsonb_build_object('old', change, 'new', NULL) END));
END
$$;
COMMENT ON FUNCTION claude.log_dependency(claude.task_dependencies, boolean) IS
    'The feed row of add_dependency or remove_dependency, on the dependent task: {"dependency": {"old", "new"}}.';

CREATE FUNCTION claude.add_dependency(task_id uuid, depends_on_task_id uuid, kind text DEFAULT 'blocks', actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    added claude.task_dependencies;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.task_dependencies AS d (task_id, depends_on_task_id, kind, actor)
    VALUES (add_dependency.task_id, add_dependency.depends_on_task_id, COALESCE(add_dependency.kind, 'blocks'),
            claude.current_actor())
    ON CONFLICT ON CONSTRAINT task_dependencies_pkey DO UPDATE SET kind = EXCLUDED.kind
    RETURNING d.* INTO added;
    -- the seed's column names a blocks edge: an edge that stops blocking takes it along
    IF added.kind <> 'blocks' THEN
        UPDATE claude.build_tasks t SET blocked_by_task_id = NULL
         WHERE t.task_id = added.task_id AND t.blocked_by_task_id = added.depends_on_task_id;
    END IF;
    PERFORM claude.log_dependency(added, true);
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(added));
END
$$;
COMMENT ON FUNCTION claude.add_dependency(uuid, uuid, text, text) IS
    'task_id depends on depends_on_task_id (kind blocks, related or discovered_from; adding it again changes the kind, and a kind other than blocks clears blocked_by_task_id when it named depends_on_task_id); both in one project, blocks edges never in a cycle. Errors: 23514, 23503.';

CREATE FUNCTION claude.remove_dependency(task_id uuid, depends_on_task_id uuid, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    removed claude.task_dependencies;
BEGIN
    PERFORM claude.begin_call(actor);
    DELETE FROM claude.task_dependencies d
     WHERE d.task_id = remove_dependency.task_id AND d.depends_on_task_id = remove_dependency.depends_on_task_id
    RETURNING d.* INTO removed;
    IF removed.task_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found',
            MESSAGE = format('task %s has no dependency on task %s', task_id, depends_on_task_id),
            DETAIL = jsonb_build_object('errors', jsonb_build_array(jsonb_build_object(
                'field', 'depends_on_task_id', 'message', 'no such dependency', 'code', 'P0002',
                'entity_id', depends_on_task_id)))::text;
    END IF;
    -- the seed's column names the same edge: it goes too
    UPDATE claude.build_tasks t SET blocked_by_task_id = NULL
     WHERE t.task_id = removed.task_id AND t.blocked_by_task_id = removed.depends_on_task_id;
    PERFORM claude.log_dependency(removed, false);
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(removed));
END
$$;
COMMENT ON FUNCTION claude.remove_dependency(uuid, uuid, text) IS
    'Removes the dependency of task_id on depends_on_task_id (and blocked_by_task_id when it named it). Errors: P0002 when there is no such edge.';

CREATE FUNCTION claude.get_task_dependencies(task_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM claude.build_tasks t WHERE t.task_id = get_task_dependencies.task_id) THEN
        PERFORM claude.raise_not_found('task', get_task_dependencies.task_id);
    END IF;
    RETURN jsonb_build_object(
        'depends_on', COALESCE((SELECT jsonb_agg(jsonb_build_object('task_id', t.task_id, 'task_name', t.task_name,
                                                                    'status', t.status, 'kind', d.kind)
                                                 ORDER BY d.kind, t.priority, t.created_at)
                                  FROM claude.task_dependencies d JOIN claude.build_tasks t ON t.task_id = d.depends_on_task_id
                                 WHERE d.task_id = get_task_dependencies.task_id), '[]'::jsonb),
        'dependents', COALESCE((SELECT jsonb_agg(jsonb_build_object('task_id', t.task_id, 'task_name', t.task_name,
                                                                    'status', t.status, 'kind', d.kind)
                                                 ORDER BY d.kind, t.priority, t.created_at)
                                  FROM claude.task_dependencies d JOIN claude.build_tasks t ON t.task_id = d.task_id
                                 WHERE d.depends_on_task_id = get_task_dependencies.task_id), '[]'::jsonb));
END
$$;
COMMENT ON FUNCTION claude.get_task_dependencies(uuid) IS
    'A task''s edges both ways: {"depends_on": [{task_id, task_name, status, kind}], "dependents": [...]}. Errors: P0002.';

GRANT SELECT ON claude.task_dependencies TO buildtracker_reader;
GRANT EXECUTE ON FUNCTION claude.add_dependency(uuid, uuid, text, text),
                          claude.remove_dependency(uuid, uuid, text) TO buildtracker_writer;
GRANT EXECUTE ON FUNCTION claude.get_task_dependencies(uuid) TO buildtracker_reader;

COMMIT;
