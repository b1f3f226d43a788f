-- Deploy buildtracker:read_functions to pg
-- requires: requirement_functions api_tokens
-- Reads through SQL functions, like the writes: one row by id (P0002 from the
-- database when it does not exist), and pages of rows by filter, oldest
-- first, with a keyset on (created_at, id). Every client (CLI, REST, MCP, raw
-- SQL) reads the same way and gets the same errors.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

-- PL/pgSQL rather than SQL: a SQL function with a query is planned again in
-- every transaction, PL/pgSQL keeps its plan for the session.
CREATE FUNCTION claude.unknown_status_error(entity_type text, status text)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF status IS NULL OR EXISTS (SELECT 1 FROM claude.status_transitions s
                                  WHERE s.entity_type = unknown_status_error.entity_type
                                    AND unknown_status_error.status IN (s.from_status, s.to_status)) THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN claude.err('status', format('status must be one of %s',
        (SELECT string_agg(DISTINCT x.status, ', ')
           FROM claude.status_transitions s, LATERAL (VALUES (s.from_status), (s.to_status)) AS x(status)
          WHERE s.entity_type = unknown_status_error.entity_type)));
END
$$;
COMMENT ON FUNCTION claude.unknown_status_error(text, text) IS
    'An empty list when status is null or a status of the entity (per claude.status_transitions), else one 23514 error naming the statuses: for filters of the list_* functions.';

CREATE FUNCTION claude.keyset_after(key_column text, after timestamptz, after_id uuid, after_param integer)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    -- rows written in one transaction share created_at, so the id breaks
    -- ties; after alone means strictly after that time
    IF after IS NULL THEN
        RETURN NULL;
    ELSIF after_id IS NULL THEN
        RETURN format('t.created_at > $%s', after_param);
    END IF;
    RETURN format('(t.created_at, t.%I) > ($%s, $%s)', key_column, after_param, after_param + 1);
END
$$;
COMMENT ON FUNCTION claude.keyset_after(text, timestamptz, uuid, integer) IS
    'The keyset condition of a list_* page: rows after (after, after_id), as SQL over alias t with the values bound as parameters after_param and after_param + 1; null when there is no after.';

-- ---------------------------------------------------------------- one row

CREATE FUNCTION claude.get_project(project_id uuid)
RETURNS claude.projects
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_row claude.projects;
BEGIN
    SELECT * INTO found_row FROM claude.projects p WHERE p.project_id = get_project.project_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('project', get_project.project_id);
    END IF;
    RETURN found_row;
END
$$;
COMMENT ON FUNCTION claude.get_project(uuid) IS 'One project by id. Errors: P0002.';

CREATE FUNCTION claude.get_identity(identity_id uuid)
RETURNS claude.identities
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_row claude.identities;
BEGIN
    SELECT * INTO found_row FROM claude.identities i WHERE i.identity_id = get_identity.identity_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('identity', get_identity.identity_id);
    END IF;
    RETURN found_row;
END
$$;
COMMENT ON FUNCTION claude.get_identity(uuid) IS 'One identity by id. Errors: P0002.';

CREATE FUNCTION claude.get_feature(feature_id uuid)
RETURNS claude.features
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_row claude.features;
BEGIN
    SELECT * INTO found_row FROM claude.features f WHERE f.feature_id = get_feature.feature_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', get_feature.feature_id);
    END IF;
    RETURN found_row;
END
$$;
COMMENT ON FUNCTION claude.get_feature(uuid) IS 'One feature by id (its row only; get_feature_with_children adds its components, tasks and requirements). Errors: P0002.';

CREATE FUNCTION claude.get_component(component_id uuid)
RETURNS claude.components
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_row claude.components;
BEGIN
    SELECT * INTO found_row FROM claude.components c WHERE c.component_id = get_component.component_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('component', get_component.component_id);
    END IF;
    RETURN found_row;
END
$$;
COMMENT ON FUNCTION claude.get_component(uuid) IS 'One component by id. Errors: P0002.';

CREATE FUNCTION claude.get_task(task_id uuid)
RETURNS claude.build_tasks
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_row claude.build_tasks;
BEGIN
    SELECT * INTO found_row FROM claude.build_tasks t WHERE t.task_id = get_task.task_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('task', get_task.task_id);
    END IF;
    RETURN found_row;
END
$$;
COMMENT ON FUNCTION claude.get_task(uuid) IS 'One build task by id. Errors: P0002.';

CREATE FUNCTION claude.get_requirement(requirement_id uuid)
RETURNS claude.requirements
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_row claude.requirements;
BEGIN
    SELECT * INTO found_row FROM claude.requirements r WHERE r.requirement_id = get_requirement.requirement_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('requirement', get_requirement.requirement_id);
    END IF;
    RETURN found_row;
END
$$;
COMMENT ON FUNCTION claude.get_requirement(uuid) IS 'One requirement by id. Errors: P0002.';

-- ---------------------------------------------------------------- pages of rows
-- Each list_* builds its query from the filters that are set (values bound as
-- parameters), so every call is planned for its own filters and can use the
-- matching index; max_rows is 0-1000, default 50. A filter naming an entity
-- that does not exist is P0002, not an empty page.

CREATE FUNCTION claude.list_projects()
RETURNS SETOF claude.projects
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY SELECT p.* FROM claude.projects p ORDER BY p.project_name;
END
$$;
COMMENT ON FUNCTION claude.list_projects() IS 'Every project, by name.';

CREATE FUNCTION claude.list_identities()
RETURNS SETOF claude.identities
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY SELECT i.* FROM claude.identities i ORDER BY i.identity_name;
END
$$;
COMMENT ON FUNCTION claude.list_identities() IS 'Every identity, by name.';

CREATE FUNCTION claude.list_features(
    project_id uuid DEFAULT NULL,
    status text DEFAULT NULL,
    after timestamptz DEFAULT NULL,
    after_id uuid DEFAULT NULL,
    max_rows integer DEFAULT 50)
RETURNS SETOF claude.features
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    filters text[] := '{}'::text[];
BEGIN
    IF list_features.project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claude.projects x WHERE x.project_id = list_features.project_id) THEN
        PERFORM claude.raise_not_found('project', list_features.project_id);
    END IF;
    PERFORM claude.raise_errors(claude.unknown_status_error('feature', status), 'cannot list features');
    IF project_id IS NOT NULL THEN filters := filters || 't.project_id = $1'::text; END IF;
    IF status IS NOT NULL THEN filters := filters || 't.status = $2'::text; END IF;
    filters := filters || claude.keyset_after('feature_id', after, after_id, 3);
    RETURN QUERY EXECUTE
        'SELECT t.* FROM claude.features t'
        || COALESCE(' WHERE ' || NULLIF(array_to_string(filters, ' AND '), ''), '')
        || ' ORDER BY t.created_at, t.feature_id LIMIT $5'
      USING project_id, status, after, after_id, LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000);
END
$$;
COMMENT ON FUNCTION claude.list_features(uuid, text, timestamptz, uuid, integer) IS
    'Features by project and status, oldest first; page with after/after_id = the last row''s created_at and feature_id (after alone: strictly after that time). max_rows 0-1000, default 50. Errors: 23514 (unknown status), P0002 (a filter names a missing entity).';

CREATE FUNCTION claude.list_components(
    feature_id uuid DEFAULT NULL,
    status text DEFAULT NULL,
    after timestamptz DEFAULT NULL,
    after_id uuid DEFAULT NULL,
    max_rows integer DEFAULT 50)
RETURNS SETOF claude.components
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    filters text[] := '{}'::text[];
BEGIN
    IF list_components.feature_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claude.features x WHERE x.feature_id = list_components.feature_id) THEN
        PERFORM claude.raise_not_found('feature', list_components.feature_id);
    END IF;
    PERFORM claude.raise_errors(claude.unknown_status_error('component', status), 'cannot list components');
    IF feature_id IS NOT NULL THEN filters := filters || 't.feature_id = $1'::text; END IF;
    IF status IS NOT NULL THEN filters := filters || 't.status = $2'::text; END IF;
    filters := filters || claude.keyset_after('component_id', after, after_id, 3);
    RETURN QUERY EXECUTE
        'SELECT t.* FROM claude.components t'
        || COALESCE(' WHERE ' || NULLIF(array_to_string(filters, ' AND '), ''), '')
        || ' ORDER BY t.created_at, t.component_id LIMIT $5'
      USING feature_id, status, after, after_id, LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000);
END
$$;
COMMENT ON FUNCTION claude.list_components(uuid, text, timestamptz, uuid, integer) IS
    'Components by feature and status, oldest first; page with after/after_id. max_rows 0-1000, default 50. Errors: 23514 (unknown status), P0002 (a filter names a missing entity).';

CREATE FUNCTION claude.list_tasks(
    feature_id uuid DEFAULT NULL,
    status text DEFAULT NULL,
    assigned_to_identity_id uuid DEFAULT NULL,
    project_id uuid DEFAULT NULL,
    after timestamptz DEFAULT NULL,
    after_id uuid DEFAULT NULL,
    max_rows integer DEFAULT 50)
RETURNS SETOF claude.build_tasks
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    filters text[] := '{}'::text[];
BEGIN
    IF list_tasks.feature_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claude.features x WHERE x.feature_id = list_tasks.feature_id) THEN
        PERFORM claude.raise_not_found('feature', list_tasks.feature_id);
    END IF;
    IF list_tasks.assigned_to_identity_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claude.identities x WHERE x.identity_id = list_tasks.assigned_to_identity_id) THEN
        PERFORM claude.raise_not_found('identity', list_tasks.assigned_to_identity_id);
    END IF;
    IF list_tasks.project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claude.projects x WHERE x.project_id = list_tasks.project_id) THEN
        PERFORM claude.raise_not_found('project', list_tasks.project_id);
    END IF;
    PERFORM claude.raise_errors(claude.unknown_status_error('build_task', status), 'cannot list tasks');
    IF feature_id IS NOT NULL THEN filters := filters || 't.feature_id = $1'::text; END IF;
    IF status IS NOT NULL THEN filters := filters || 't.status = $2'::text; END IF;
    IF assigned_to_identity_id IS NOT NULL THEN filters := filters || 't.assigned_to_identity_id = $3'::text; END IF;
    IF project_id IS NOT NULL THEN
        filters := filters || 't.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = $4)'::text;
    END IF;
    filters := filters || claude.keyset_after('task_id', after, after_id, 5);
    RETURN QUERY EXECUTE
        'SELECT t.* FROM claude.build_tasks t'
        || COALESCE(' WHERE ' || NULLIF(array_to_string(filters, ' AND '), ''), '')
        || ' ORDER BY t.created_at, t.task_id LIMIT $7'
      USING feature_id, status, assigned_to_identity_id, project_id, after, after_id,
            LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000);
END
$$;
COMMENT ON FUNCTION claude.list_tasks(uuid, text, uuid, uuid, timestamptz, uuid, integer) IS
    'Build tasks by feature, status, assignee and project, oldest first; page with after/after_id. max_rows 0-1000, default 50. Errors: 23514 (unknown status), P0002 (a filter names a missing entity).';

CREATE FUNCTION claude.list_requirements(
    feature_id uuid DEFAULT NULL,
    status text DEFAULT NULL,
    after timestamptz DEFAULT NULL,
    after_id uuid DEFAULT NULL,
    max_rows integer DEFAULT 50)
RETURNS SETOF claude.requirements
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    filters text[] := '{}'::text[];
BEGIN
    IF list_requirements.feature_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claude.features x WHERE x.feature_id = list_requirements.feature_id) THEN
        PERFORM claude.raise_not_found('feature', list_requirements.feature_id);
    END IF;
    PERFORM claude.raise_errors(claude.unknown_status_error('requirement', status), 'cannot list requirements');
    IF feature_id IS NOT NULL THEN filters := filters || 't.feature_id = $1'::text; END IF;
    IF status IS NOT NULL THEN filters := filters || 't.status = $2'::text; END IF;
    filters := filters || claude.keyset_after('requirement_id', after, after_id, 3);
    RETURN QUERY EXECUTE
        'SELECT t.* FROM claude.requirements t'
        || COALESCE(' WHERE ' || NULLIF(array_to_string(filters, ' AND '), ''), '')
        || ' ORDER BY t.created_at, t.requirement_id LIMIT $5'
      USING feature_id, status, after, after_id, LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000);
END
$$;
COMMENT ON FUNCTION claude.list_requirements(uuid, text, timestamptz, uuid, integer) IS
    'Requirements by feature and status, oldest first; page with after/after_id. max_rows 0-1000, default 50. Errors: 23514 (unknown status), P0002 (a filter names a missing entity).';

CREATE FUNCTION claude.list_api_tokens()
RETURNS TABLE (token_id uuid, identity_name text, access text, label text, created_at timestamptz,
               revoked_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
        SELECT t.token_id, i.identity_name, t.access, t.label, t.created_at, t.revoked_at
          FROM claude.api_tokens t JOIN claude.identities i ON i.identity_id = t.identity_id
         ORDER BY t.created_at, t.token_id;
END
$$;
COMMENT ON FUNCTION claude.list_api_tokens() IS
    'Admin only: every REST API token (never the token itself, which is not stored), oldest first.';

GRANT EXECUTE ON FUNCTION
    claude.get_project(uuid), claude.get_identity(uuid), claude.get_feature(uuid), claude.get_component(uuid),
    claude.get_task(uuid), claude.get_requirement(uuid),
    claude.list_projects(), claude.list_identities(),
    claude.list_features(uuid, text, timestamptz, uuid, integer),
    claude.list_components(uuid, text, timestamptz, uuid, integer),
    claude.list_tasks(uuid, text, uuid, uuid, timestamptz, uuid, integer),
    claude.list_requirements(uuid, text, timestamptz, uuid, integer)
TO buildtracker_reader;

COMMIT;
