--
-- PostgreSQL database dump
--

\restrict buildtracker


SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: claude; Type: SCHEMA; Schema: -; Owner: buildtracker_owner
--

CREATE SCHEMA claude;


ALTER SCHEMA claude OWNER TO buildtracker_owner;

--
-- Name: SCHEMA claude; Type: COMMENT; Schema: -; Owner: buildtracker_owner
--

COMMENT ON SCHEMA claude IS 'buildtracker: build tracking (projects, features, components, tasks, requirements, activity feed); every rule lives here.';


--
-- Name: action_from_statuses(text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.action_from_statuses(entity_type text, action text) RETURNS text[]
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RETURN (SELECT COALESCE(array_agg(s.from_status ORDER BY s.from_status), '{}')
              FROM claude.status_transitions s
             WHERE s.entity_type = action_from_statuses.entity_type
               AND s.action = action_from_statuses.action);
END
$$;


ALTER FUNCTION claude.action_from_statuses(entity_type text, action text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION action_from_statuses(entity_type text, action text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.action_from_statuses(entity_type text, action text) IS 'The statuses a workflow action (start, block, complete, ...) applies to, read from claude.status_transitions: the one place they are written down.';


--
-- Name: active_task_count(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.active_task_count(identity_id uuid) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    -- PL/pgSQL keeps this plan for the session; as a SQL function with a
    -- subquery it was parsed and planned again in every transaction
    RETURN (SELECT count(*) FROM claude.build_tasks t
             WHERE t.assigned_to_identity_id = active_task_count.identity_id
               AND t.status IN ('in_progress', 'blocked', 'review'));
END
$$;


ALTER FUNCTION claude.active_task_count(identity_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION active_task_count(identity_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.active_task_count(identity_id uuid) IS 'Number of active (in_progress, blocked or review) tasks assigned to an identity.';


SET default_tablespace = '';

--
-- Name: activity_feed; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.activity_feed (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source_type text NOT NULL,
    source_id uuid,
    actor text,
    activity_type text NOT NULL,
    title text NOT NULL,
    summary text,
    project_name text,
    severity text DEFAULT 'info'::text NOT NULL,
    created_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    changes jsonb,
    checksum text,
    origin text DEFAULT 'unrecorded'::text NOT NULL,
    db_user text,
    xact_id xid8 DEFAULT '0'::xid8 NOT NULL,
    CONSTRAINT chk_activity_actor_length CHECK ((char_length(actor) <= 255)),
    CONSTRAINT chk_activity_job_finding_length CHECK ((char_length((changes ->> 'job_finding'::text)) <= 255)),
    CONSTRAINT chk_activity_origin CHECK ((origin = ANY (ARRAY['trigger'::text, 'caller'::text, 'job'::text, 'system'::text, 'import'::text, 'unrecorded'::text]))),
    CONSTRAINT chk_activity_project_name_length CHECK ((char_length(project_name) <= 255)),
    CONSTRAINT chk_activity_severity CHECK ((severity = ANY (ARRAY['info'::text, 'warning'::text, 'error'::text, 'success'::text]))),
    CONSTRAINT chk_activity_source_type CHECK ((source_type = ANY (ARRAY['feature'::text, 'component'::text, 'build_task'::text, 'requirement'::text, 'project'::text, 'identity'::text, 'system'::text]))),
    CONSTRAINT chk_activity_title_length CHECK ((char_length(title) <= 255)),
    CONSTRAINT chk_activity_type CHECK ((activity_type = ANY (ARRAY['created'::text, 'updated'::text, 'status_changed'::text, 'completed'::text, 'started'::text, 'assigned'::text, 'blocked'::text, 'unblocked'::text, 'verified'::text, 'cancelled'::text, 'deleted'::text, 'commented'::text, 'reclaimed'::text, 'stale'::text, 'blocker_resolved'::text, 'ready_to_complete'::text, 'lease_expired'::text])))
)
PARTITION BY RANGE (created_at);


ALTER TABLE claude.activity_feed OWNER TO buildtracker_owner;

--
-- Name: TABLE activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.activity_feed IS 'Append-only history of everything that happened; rows outlive the entities they describe.';


--
-- Name: COLUMN activity_feed.id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.id IS 'Primary key.';


--
-- Name: COLUMN activity_feed.source_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.source_type IS 'Kind of entity: feature, component, build_task, requirement, project, identity, system.';


--
-- Name: COLUMN activity_feed.source_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.source_id IS 'Id of the entity (no foreign key: history outlives what it describes).';


--
-- Name: COLUMN activity_feed.actor; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.actor IS 'Who did it: the call''s actor, else SET buildtracker.actor, else session_user.';


--
-- Name: COLUMN activity_feed.activity_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.activity_type IS 'What happened: created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted.';


--
-- Name: COLUMN activity_feed.title; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.title IS 'Short readable summary, at most 255 characters.';


--
-- Name: COLUMN activity_feed.summary; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.summary IS 'Details, including the reason or note given.';


--
-- Name: COLUMN activity_feed.project_name; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.project_name IS 'Project of the entity, for filtering.';


--
-- Name: COLUMN activity_feed.severity; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.severity IS 'info, warning, error or success.';


--
-- Name: COLUMN activity_feed.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.created_at IS 'When it happened.';


--
-- Name: COLUMN activity_feed.changes; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.changes IS 'Going beyond the seed, what changed: {"field": {"old": …, "new": …}} for updates, {"deleted": row} for deletes, {"job_finding": key} for job findings.';


--
-- Name: COLUMN activity_feed.checksum; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.checksum IS 'md5 of the row''s content, sealed when written (claude.activity_checksum); a mismatch means the row was altered.';


--
-- Name: COLUMN activity_feed.origin; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.origin IS 'Who wrote the row, set by the database: trigger (an entity change), caller (claude.log_activity), job (run_jobs), system (pruning), import (claude.import_records: id and created_at kept from the export), unrecorded (written before 1.1).';


--
-- Name: COLUMN activity_feed.db_user; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.db_user IS 'The session_user of the writing session, set by the database.';


--
-- Name: COLUMN activity_feed.xact_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed.xact_id IS 'The writing transaction (pg_current_xact_id), set by the database; checkpoints cover ranges of it.';


--
-- Name: CONSTRAINT chk_activity_actor_length ON activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_activity_actor_length ON claude.activity_feed IS 'actor must be at most 255 characters';


--
-- Name: CONSTRAINT chk_activity_job_finding_length ON activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_activity_job_finding_length ON claude.activity_feed IS 'changes.job_finding must be at most 255 characters';


--
-- Name: CONSTRAINT chk_activity_origin ON activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_activity_origin ON claude.activity_feed IS 'origin must be one of trigger, caller, job, system, import, unrecorded';


--
-- Name: CONSTRAINT chk_activity_project_name_length ON activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_activity_project_name_length ON claude.activity_feed IS 'project_name must be at most 255 characters';


--
-- Name: CONSTRAINT chk_activity_severity ON activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_activity_severity ON claude.activity_feed IS 'severity must be one of info, warning, error, success';


--
-- Name: CONSTRAINT chk_activity_source_type ON activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_activity_source_type ON claude.activity_feed IS 'source_type must be one of feature, component, build_task, requirement, project, identity, system';


--
-- Name: CONSTRAINT chk_activity_title_length ON activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_activity_title_length ON claude.activity_feed IS 'title must be at most 255 characters';


--
-- Name: CONSTRAINT chk_activity_type ON activity_feed; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_activity_type ON claude.activity_feed IS 'activity_type must be one of created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted, commented, reclaimed, stale, blocker_resolved, ready_to_complete, lease_expired';


--
-- Name: activity_checksum(claude.activity_feed); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.activity_checksum(a claude.activity_feed) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN md5((jsonb_build_array((a).id, (a).source_type, (a).source_id, (a).actor, (a).activity_type, (a).title, (a).summary, (a).project_name, (a).severity, ((a).created_at AT TIME ZONE 'UTC'::text), (a).changes))::text);


ALTER FUNCTION claude.activity_checksum(a claude.activity_feed) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION activity_checksum(a claude.activity_feed); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.activity_checksum(a claude.activity_feed) IS 'The seal of an activity row: md5 over every column but the checksum itself. STABLE like its body, so it is inlined where it is called.';


--
-- Name: add_comment(text, uuid, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.add_comment(entity_type text, entity_id uuid, body text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.add_comment(entity_type text, entity_id uuid, body text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION add_comment(entity_type text, entity_id uuid, body text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.add_comment(entity_type text, entity_id uuid, body text, actor text) IS 'Adds a comment to a project, feature, component, build_task or requirement (logged in the feed as commented). Errors: 23514 (entity_type, body of 1-10000 characters), 23503 (no such entity).';


--
-- Name: add_component(uuid, text, text, text[], text[], text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.add_component(feature_id uuid, component_name text, component_type text, planned_functions text[] DEFAULT '{}'::text[], planned_dependencies text[] DEFAULT '{}'::text[], file_path text DEFAULT NULL::text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    created claude.components;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.components AS c (feature_id, component_name, component_type, planned_functions,
                                        planned_dependencies, file_path)
    VALUES (add_component.feature_id, btrim(add_component.component_name), add_component.component_type,
            COALESCE(add_component.planned_functions, '{}'), COALESCE(add_component.planned_dependencies, '{}'),
            add_component.file_path)
    RETURNING c.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;


ALTER FUNCTION claude.add_component(feature_id uuid, component_name text, component_type text, planned_functions text[], planned_dependencies text[], file_path text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION add_component(feature_id uuid, component_name text, component_type text, planned_functions text[], planned_dependencies text[], file_path text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.add_component(feature_id uuid, component_name text, component_type text, planned_functions text[], planned_dependencies text[], file_path text, actor text) IS 'Adds a planned component to a feature that is not completed or cancelled; file_path defaults to src/<type>/<name>. Errors: 23514, 23503, 55000.';


--
-- Name: add_dependency(uuid, uuid, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.add_dependency(task_id uuid, depends_on_task_id uuid, kind text DEFAULT 'blocks'::text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.add_dependency(task_id uuid, depends_on_task_id uuid, kind text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION add_dependency(task_id uuid, depends_on_task_id uuid, kind text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.add_dependency(task_id uuid, depends_on_task_id uuid, kind text, actor text) IS 'task_id depends on depends_on_task_id (kind blocks, related or discovered_from; adding it again changes the kind, and a kind other than blocks clears blocked_by_task_id when it named depends_on_task_id); both in one project, blocks edges never in a cycle. Errors: 23514, 23503.';


--
-- Name: add_feature(text, text, uuid, text, integer, uuid, uuid, text, text, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.add_feature(feature_name text, feature_type text, project_id uuid, description text DEFAULT NULL::text, priority integer DEFAULT 5, parent_feature_id uuid DEFAULT NULL::uuid, planned_by_identity_id uuid DEFAULT NULL::uuid, design_doc_path text DEFAULT NULL::text, actor text DEFAULT NULL::text, labels text[] DEFAULT '{}'::text[]) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    created claude.features;
BEGIN
    IF add_feature.parent_feature_id IS NOT NULL THEN
        PERFORM claude.lock_links('feature_parents');
    END IF;
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.features AS f (feature_name, feature_type, project_id, description, priority,
                                      parent_feature_id, planned_by_identity_id, design_doc_path, labels)
    VALUES (btrim(add_feature.feature_name), add_feature.feature_type, add_feature.project_id,
            add_feature.description, COALESCE(add_feature.priority, 5), add_feature.parent_feature_id,
            add_feature.planned_by_identity_id, add_feature.design_doc_path, COALESCE(add_feature.labels, '{}'))
    RETURNING f.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;


ALTER FUNCTION claude.add_feature(feature_name text, feature_type text, project_id uuid, description text, priority integer, parent_feature_id uuid, planned_by_identity_id uuid, design_doc_path text, actor text, labels text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION add_feature(feature_name text, feature_type text, project_id uuid, description text, priority integer, parent_feature_id uuid, planned_by_identity_id uuid, design_doc_path text, actor text, labels text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.add_feature(feature_name text, feature_type text, project_id uuid, description text, priority integer, parent_feature_id uuid, planned_by_identity_id uuid, design_doc_path text, actor text, labels text[]) IS 'Creates a feature (not_started, 0%), with optional labels. Errors: 23514 invalid values, 23503 unknown project/parent/identity.';


--
-- Name: add_identity(text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.add_identity(identity_name text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    created claude.identities;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.identities AS i (identity_name) VALUES (btrim(add_identity.identity_name)) RETURNING i.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;


ALTER FUNCTION claude.add_identity(identity_name text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION add_identity(identity_name text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.add_identity(identity_name text, actor text) IS 'Creates an identity: a person or agent who does work (name unique, not blank). Errors: 23514.';


--
-- Name: add_project(text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.add_project(project_name text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    created claude.projects;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.projects AS p (project_name) VALUES (btrim(add_project.project_name)) RETURNING p.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;


ALTER FUNCTION claude.add_project(project_name text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION add_project(project_name text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.add_project(project_name text, actor text) IS 'Creates a project (name unique, not blank). Errors: 23514.';


--
-- Name: add_requirement(uuid, text, text, text, text[], integer, boolean, uuid, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.add_requirement(feature_id uuid, requirement_name text, requirement_type text, description text, acceptance_criteria text[], priority integer DEFAULT 5, must_have boolean DEFAULT false, created_by_identity_id uuid DEFAULT NULL::uuid, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    created claude.requirements;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.requirements AS r (feature_id, requirement_name, requirement_type, description,
                                          acceptance_criteria, priority, must_have, created_by_identity_id)
    VALUES (add_requirement.feature_id, btrim(add_requirement.requirement_name), add_requirement.requirement_type,
            add_requirement.description, COALESCE(add_requirement.acceptance_criteria, '{}'),
            COALESCE(add_requirement.priority, 5), COALESCE(add_requirement.must_have, false),
            add_requirement.created_by_identity_id)
    RETURNING r.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created), '{}',
        jsonb_build_object('criteria_count', cardinality(created.acceptance_criteria)));
END
$$;


ALTER FUNCTION claude.add_requirement(feature_id uuid, requirement_name text, requirement_type text, description text, acceptance_criteria text[], priority integer, must_have boolean, created_by_identity_id uuid, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION add_requirement(feature_id uuid, requirement_name text, requirement_type text, description text, acceptance_criteria text[], priority integer, must_have boolean, created_by_identity_id uuid, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.add_requirement(feature_id uuid, requirement_name text, requirement_type text, description text, acceptance_criteria text[], priority integer, must_have boolean, created_by_identity_id uuid, actor text) IS 'Creates a draft requirement (creator required; description >= 20 characters; at least one non-empty criterion). Metadata: criteria_count. Errors: 23514, 23503, 55000.';


--
-- Name: add_task(text, text, text, uuid, uuid, integer, numeric, uuid, uuid, text, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.add_task(task_name text, task_description text, task_type text, component_id uuid DEFAULT NULL::uuid, feature_id uuid DEFAULT NULL::uuid, priority integer DEFAULT 5, estimated_hours numeric DEFAULT NULL::numeric, assigned_to_identity_id uuid DEFAULT NULL::uuid, blocked_by_task_id uuid DEFAULT NULL::uuid, actor text DEFAULT NULL::text, labels text[] DEFAULT '{}'::text[]) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    created claude.build_tasks;
BEGIN
    IF add_task.blocked_by_task_id IS NOT NULL THEN
        PERFORM claude.lock_links('task_dependencies');
    END IF;
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.build_tasks AS t (task_name, task_description, task_type, component_id, feature_id,
                                         priority, estimated_hours, assigned_to_identity_id, blocked_by_task_id, labels)
    VALUES (btrim(add_task.task_name), add_task.task_description, add_task.task_type, add_task.component_id,
            add_task.feature_id, COALESCE(add_task.priority, 5), add_task.estimated_hours,
            add_task.assigned_to_identity_id, add_task.blocked_by_task_id, COALESCE(add_task.labels, '{}'))
    RETURNING t.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created), '{}', jsonb_build_object('is_blocked', EXISTS (
        SELECT 1 FROM claude.build_tasks b
         WHERE b.task_id = created.blocked_by_task_id AND b.status NOT IN ('completed', 'cancelled'))));
END
$$;


ALTER FUNCTION claude.add_task(task_name text, task_description text, task_type text, component_id uuid, feature_id uuid, priority integer, estimated_hours numeric, assigned_to_identity_id uuid, blocked_by_task_id uuid, actor text, labels text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION add_task(task_name text, task_description text, task_type text, component_id uuid, feature_id uuid, priority integer, estimated_hours numeric, assigned_to_identity_id uuid, blocked_by_task_id uuid, actor text, labels text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.add_task(task_name text, task_description text, task_type text, component_id uuid, feature_id uuid, priority integer, estimated_hours numeric, assigned_to_identity_id uuid, blocked_by_task_id uuid, actor text, labels text[]) IS 'Creates a todo task on a feature or component (feature filled from the component), with optional labels. Metadata: is_blocked. Errors: 23514, 23503, 55000.';


--
-- Name: append_activity(text, text, uuid, text, text, text, text, text, text, jsonb); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.append_activity(origin text, source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    new_id uuid;
BEGIN
    PERFORM set_config('buildtracker.feed_origin', origin, true);
    INSERT INTO claude.activity_feed AS a (source_type, source_id, actor, activity_type, title, summary,
                                           project_name, severity, changes)
    VALUES (append_activity.source_type, append_activity.source_id, append_activity.actor,
            append_activity.activity_type, append_activity.title, append_activity.summary,
            append_activity.project_name, append_activity.severity, append_activity.changes)
    RETURNING a.id INTO new_id;
    PERFORM set_config('buildtracker.feed_origin', '', true);
    RETURN new_id;
END
$$;


ALTER FUNCTION claude.append_activity(origin text, source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION append_activity(origin text, source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.append_activity(origin text, source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb) IS 'Internal (owner only): the one INSERT of a feed row by the feed''s functions, marking its origin (caller, job, system).';


--
-- Name: apply_changes(text, uuid, jsonb, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.apply_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    table_name text;
    key_column text;
    errors jsonb := '[]'::jsonb;
    applicable jsonb;
    found_id uuid;
    result jsonb;
    failed_detail text;
    context text := format('cannot update %s %s', replace(entity_type, '_', ' '), entity_id);
BEGIN
    SELECT m.t, m.k INTO table_name, key_column
      FROM (VALUES ('feature', 'features', 'feature_id'), ('component', 'components', 'component_id'),
                   ('build_task', 'build_tasks', 'task_id'), ('requirement', 'requirements', 'requirement_id'))
           AS m(e, t, k)
     WHERE m.e = entity_type;

    -- the keys first, before the row's lock
    PERFORM claude.refuse_bad_changes(entity_type, entity_id, changes, editable);
    EXECUTE format('SELECT %I FROM claude.%I WHERE %I = $1 FOR UPDATE', key_column, table_name, key_column)
       INTO found_id USING entity_id;
    IF found_id IS NULL THEN
        PERFORM claude.raise_not_found(entity_type, entity_id);
    END IF;

    errors := claude.conversion_errors(table_name, changes);
    -- The fields that can be written at all: failing ones are left out.
    applicable := changes - (SELECT COALESCE(array_agg(e->>'field'), '{}') FROM jsonb_array_elements(errors) AS e);

    IF jsonb_array_length(errors) > 0 THEN
        -- Name every failed check, also those of the fields that could be
        -- written: try them in a subtransaction that is always rolled back.
        IF applicable <> '{}'::jsonb THEN
            BEGIN
                PERFORM claude.write_changes(table_name, key_column, entity_id, applicable);
                RAISE EXCEPTION USING ERRCODE = 'BTDRY', MESSAGE = 'trial update: rolled back';
            EXCEPTION
                WHEN SQLSTATE 'BTDRY' THEN
                    NULL;
                WHEN OTHERS THEN
                    GET STACKED DIAGNOSTICS failed_detail = PG_EXCEPTION_DETAIL;
                    errors := errors || COALESCE(claude.detail_errors(failed_detail),
                                                 claude.err(NULL, SQLERRM, SQLSTATE));
            END;
        END IF;
        PERFORM claude.raise_errors(errors, context);
    END IF;

    IF changes = '{}'::jsonb THEN
        EXECUTE format('SELECT to_jsonb(t) FROM claude.%I AS t WHERE t.%I = $1', table_name, key_column)
           INTO result USING entity_id;
        RETURN result;
    END IF;
    RETURN claude.write_changes(table_name, key_column, entity_id, changes);
END
$_$;


ALTER FUNCTION claude.apply_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION apply_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.apply_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]) IS 'Shared body of update_feature/update_component/update_task/update_requirement: refuses bad keys before the row''s lock (refuse_bad_changes), then unconvertible values plus whatever the rule trigger finds in the other fields, all named in one exception; else updates the row.';


SET default_table_access_method = heap;

--
-- Name: api_tokens; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.api_tokens (
    token_id uuid DEFAULT gen_random_uuid() NOT NULL,
    identity_id uuid NOT NULL,
    token_hash text NOT NULL,
    access text DEFAULT 'writer'::text NOT NULL,
    label text,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chk_api_tokens_access CHECK ((access = ANY (ARRAY['reader'::text, 'writer'::text])))
);


ALTER TABLE claude.api_tokens OWNER TO buildtracker_owner;

--
-- Name: TABLE api_tokens; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.api_tokens IS 'REST API bearer tokens, stored as SHA-256 hashes; each acts as an identity with reader or writer access.';


--
-- Name: COLUMN api_tokens.token_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.api_tokens.token_id IS 'Primary key (shown to admins; the token itself is shown once, at creation).';


--
-- Name: COLUMN api_tokens.identity_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.api_tokens.identity_id IS 'The identity the token acts as: the actor of its writes; deleting the identity deletes its tokens.';


--
-- Name: COLUMN api_tokens.token_hash; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.api_tokens.token_hash IS 'Hex SHA-256 of the token; the token itself is never stored.';


--
-- Name: COLUMN api_tokens.access; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.api_tokens.access IS 'reader or writer: the database role the token''s requests run as.';


--
-- Name: COLUMN api_tokens.label; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.api_tokens.label IS 'Free-form note (what the token is for).';


--
-- Name: COLUMN api_tokens.revoked_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.api_tokens.revoked_at IS 'When the token was revoked; a revoked token authenticates nothing.';


--
-- Name: COLUMN api_tokens.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.api_tokens.created_at IS 'When the row was inserted (set by the database).';


--
-- Name: COLUMN api_tokens.updated_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.api_tokens.updated_at IS 'When the row was last written (set by the database).';


--
-- Name: CONSTRAINT chk_api_tokens_access ON api_tokens; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_api_tokens_access ON claude.api_tokens IS 'access must be reader or writer';


--
-- Name: identities; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.identities (
    identity_id uuid DEFAULT gen_random_uuid() NOT NULL,
    identity_name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chk_identities_name_length CHECK ((char_length(identity_name) <= 255)),
    CONSTRAINT chk_identities_name_not_blank CHECK ((btrim(identity_name, ' 	
v'::text) <> ''::text))
);


ALTER TABLE claude.identities OWNER TO buildtracker_owner;

--
-- Name: TABLE identities; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.identities IS 'Who does the work: a person or an AI agent.';


--
-- Name: COLUMN identities.identity_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.identities.identity_id IS 'Primary key.';


--
-- Name: COLUMN identities.identity_name; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.identities.identity_name IS 'Unique, non-blank name of the person or agent.';


--
-- Name: COLUMN identities.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.identities.created_at IS 'When the row was inserted (set by the database).';


--
-- Name: COLUMN identities.updated_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.identities.updated_at IS 'When the row was last written (set by the database).';


--
-- Name: CONSTRAINT chk_identities_name_length ON identities; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_identities_name_length ON claude.identities IS 'identity_name must be at most 255 characters';


--
-- Name: CONSTRAINT chk_identities_name_not_blank ON identities; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_identities_name_not_blank ON claude.identities IS 'identity_name must not be blank';


--
-- Name: authenticate_api_token(text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.authenticate_api_token(token text) RETURNS TABLE(token_id uuid, identity_id uuid, identity_name text, access text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    BEGIN ATOMIC
 SELECT t.token_id,
     t.identity_id,
     i.identity_name,
     t.access
    FROM (claude.api_tokens t
      JOIN claude.identities i ON ((i.identity_id = t.identity_id)))
   WHERE ((t.token_hash = encode(sha256(convert_to(authenticate_api_token.token, 'UTF8'::name)), 'hex'::text)) AND (t.revoked_at IS NULL));
END;


ALTER FUNCTION claude.authenticate_api_token(token text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION authenticate_api_token(token text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.authenticate_api_token(token text) IS 'The identity and access of an active token (no row for an unknown or revoked one).';


--
-- Name: auto_unblock(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.auto_unblock() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.auto_unblock() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION auto_unblock(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.auto_unblock() IS 'Trigger: when a task completes or is cancelled, blocked tasks whose blocks dependencies are now all done resume (in_progress), logged with a note naming the blocker.';


--
-- Name: begin_call(text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.begin_call(actor text, note text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM set_config('buildtracker.call_actor', COALESCE(actor, ''), true),
            set_config('buildtracker.note', COALESCE(note, ''), true);
END
$$;


ALTER FUNCTION claude.begin_call(actor text, note text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION begin_call(actor text, note text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.begin_call(actor text, note text) IS 'Sets the actor and note of a workflow call for the triggers it fires (transaction-local).';


--
-- Name: block_task(uuid, text, uuid, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.block_task(task_id uuid, reason text, blocked_by_task_id uuid DEFAULT NULL::uuid, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    allowed text[] := claude.action_from_statuses('build_task', 'block');
    after claude.build_tasks;
BEGIN
    IF block_task.blocked_by_task_id IS NOT NULL THEN
        PERFORM claude.lock_links('task_dependencies');
    END IF;
    PERFORM claude.begin_call(actor, reason);
    -- one statement: the row changes only if the action applies to its status
    UPDATE claude.build_tasks AS t
       SET status = 'blocked', blocked_reason = block_task.reason,
           blocked_by_task_id = COALESCE(block_task.blocked_by_task_id, t.blocked_by_task_id)
     WHERE t.task_id = block_task.task_id
       AND t.status = ANY (allowed)
    RETURNING t.* INTO after;
    IF NOT FOUND THEN
        PERFORM claude.refuse_task_action(block_task.task_id, allowed, 'block');
    END IF;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after));
END
$$;


ALTER FUNCTION claude.block_task(task_id uuid, reason text, blocked_by_task_id uuid, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION block_task(task_id uuid, reason text, blocked_by_task_id uuid, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.block_task(task_id uuid, reason text, blocked_by_task_id uuid, actor text) IS 'Blocks an in_progress task with a reason, optionally naming the blocking task (never a cycle). Errors: 23514, 23503, P0002, 55000.';


--
-- Name: blocks_cycle(uuid, uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.blocks_cycle(task_id uuid, depends_on_task_id uuid) RETURNS uuid[]
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


ALTER FUNCTION claude.blocks_cycle(task_id uuid, depends_on_task_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION blocks_cycle(task_id uuid, depends_on_task_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.blocks_cycle(task_id uuid, depends_on_task_id uuid) IS 'The chain of blocks edges from depends_on_task_id back to task_id (the cycle a new edge task_id -> depends_on_task_id would close), or null; serialised with every change of task links.';


--
-- Name: build_constraint_checkers(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.build_constraint_checkers() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    tbl record;
    con record;
    col record;
    branches text[];
    -- per key branch: true when the branch cannot fire (its key is unchanged)
    quiet text[];
    pk_col text;
    built integer := 0;
    -- value checks (NOT NULL, CHECK): one CASE each, all evaluated in one pass
    value_cases text[];
    value_messages text[];
BEGIN
    FOR tbl IN
        SELECT c.oid, c.relname FROM pg_class c
         WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind = 'r'
           AND c.relname IN ('projects', 'identities', 'features', 'components', 'build_tasks', 'requirements')
         ORDER BY c.relname
    LOOP
        branches := '{}';
        quiet := '{}';
        value_cases := '{}';
        value_messages := '{}';
        SELECT a.attname INTO pk_col
          FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
         WHERE k.conrelid = tbl.oid AND k.contype = 'p';

        -- NOT NULL columns
        FOR col IN
            SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = tbl.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
             ORDER BY a.attnum
        LOOP
            value_messages := value_messages || format('(%s, %L, %L)', cardinality(value_messages) + 1,
                                                       col.attname, col.attname || ' is required');
            value_cases := value_cases || format('CASE WHEN t.%I IS NULL THEN %s END', col.attname,
                                                 cardinality(value_messages));
        END LOOP;

        -- CHECK, FOREIGN KEY and UNIQUE constraints, in name order
        FOR con IN
            SELECT k.conname, k.contype, k.conkey, k.confrelid, k.confkey,
                   pg_get_expr(k.conbin, k.conrelid) AS expr,
                   COALESCE(obj_description(k.oid, 'pg_constraint'), 'violates ' || k.conname) AS message,
                   (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                      FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)) AS cols,
                   (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = k.conrelid AND a.attnum = k.conkey[1]) AS first_col,
                   (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = k.conrelid AND a.attnum = k.conkey[cardinality(k.conkey)]) AS last_col
              FROM pg_constraint k
             WHERE k.conrelid = tbl.oid AND k.contype IN ('c', 'f', 'u')
             ORDER BY k.conname
        LOOP
            IF con.contype = 'c' THEN
                -- evaluated over the row's columns; null passes, as in PostgreSQL
                value_messages := value_messages || format('(%s, %L, %L)', cardinality(value_messages) + 1,
                                                           con.first_col, con.message);
                value_cases := value_cases || format('CASE WHEN (%s) IS FALSE THEN %s END', con.expr,
                                                     cardinality(value_messages));
            ELSIF con.contype = 'f' THEN
                quiet := quiet || format('NOT (r.%1$I IS NOT NULL AND (o IS NULL OR r.%1$I IS DISTINCT FROM o.%1$I))',
                                         con.first_col);
                branches := branches || format(
                    $f$CASE WHEN r.%1$I IS NOT NULL AND (o IS NULL OR r.%1$I IS DISTINCT FROM o.%1$I)
                              AND NOT EXISTS (SELECT 1 FROM %2$s AS x WHERE x.%3$I = r.%1$I)%6$s
                            THEN claude.err(%4$L, %5$L, '23503') END$f$,
                    con.first_col, con.confrelid::regclass,
                    (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attnum = con.confkey[1]),
                    con.first_col, con.message,
                    -- a row naming itself satisfies its own self-referencing key
                    CASE WHEN con.confrelid = tbl.oid THEN format(' AND r.%I <> r.%I', con.first_col, pk_col) ELSE '' END);
            ELSE
                quiet := quiet || format('NOT (o IS NULL OR (%1$s) IS DISTINCT FROM (%2$s))',
                    (SELECT string_agg('r.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)),
                    (SELECT string_agg('o.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)));
                branches := branches || format(
                    $f$CASE WHEN (o IS NULL OR (%1$s) IS DISTINCT FROM (%2$s))
                              AND EXISTS (SELECT 1 FROM claude.%3$I AS x
                                           WHERE (%4$s) = (%1$s) AND x.%5$I <> r.%5$I)
                            THEN claude.err(%6$L, %7$L) END$f$,
                    (SELECT string_agg('r.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)),
                    (SELECT string_agg('o.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)),
                    tbl.relname,
                    (SELECT string_agg('x.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = tbl.oid AND a.attnum = ANY (con.conkey)),
                    pk_col, con.last_col, con.message);
            END IF;
        END LOOP;

        EXECUTE format($f$
CREATE OR REPLACE FUNCTION claude.%1$I(r claude.%2$I, o claude.%2$I)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $body$
-- Generated by claude.build_constraint_checkers() from the constraints of
-- claude.%2$s; do not edit, re-run the builder after changing a constraint.
DECLARE
    failed integer[];
BEGIN
    -- every NOT NULL and CHECK constraint, over the row's columns, in one pass
    -- (a CHECK passes on null, as in PostgreSQL)
    SELECT array_remove(ARRAY[
               %3$s
           ], NULL)
      INTO failed
      FROM (SELECT r.*) AS t;
    -- the common case: every value check passes and no key column changed,
    -- so none of the key checks below can fire
    IF cardinality(failed) = 0%6$s THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN CASE WHEN cardinality(failed) = 0 THEN '[]'::jsonb ELSE (
               SELECT jsonb_agg(jsonb_build_object('field', m.field, 'message', m.message, 'code', '23514') ORDER BY m.n)
                 FROM (VALUES %4$s) AS m(n, field, message)
                WHERE m.n = ANY (failed)) END
        || %5$s;
END
$body$$f$,
            'check_' || tbl.relname || '_constraints', tbl.relname,
            array_to_string(value_cases, E',\n               '),
            array_to_string(value_messages, E',\n                             '),
            COALESCE(array_to_string(ARRAY(SELECT 'COALESCE(' || b || ', ''[]'')' FROM unnest(branches) AS b),
                                     E'\n        || '), '''[]''::jsonb'),
            array_to_string(ARRAY(SELECT E'\n       AND ' || q FROM unnest(quiet) AS q), ''));
        EXECUTE format('COMMENT ON FUNCTION claude.%I(claude.%I, claude.%I) IS %L',
            'check_' || tbl.relname || '_constraints', tbl.relname, tbl.relname,
            format('Generated: every CHECK, NOT NULL, FOREIGN KEY and UNIQUE constraint of claude.%s that row r (previously o, null on insert) fails, as a JSON error list; foreign keys and unique keys are checked only when their columns change.', tbl.relname));
        built := built + 1;
    END LOOP;
    RETURN built;
END
$_$;


ALTER FUNCTION claude.build_constraint_checkers() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION build_constraint_checkers(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.build_constraint_checkers() IS 'Regenerates claude.check_<table>_constraints(row, old_row) for every entity table from its constraints; run after any change to a constraint. Returns the number of functions built.';


--
-- Name: build_row_changes(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.build_row_changes() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    tbl record;
    built integer := 0;
BEGIN
    FOR tbl IN
        SELECT c.oid, c.relname,
               string_agg(format($c$CASE WHEN %2$s
                 THEN jsonb_build_object(%1$L, jsonb_build_object('old', o.%1$I, 'new', n.%1$I)) ELSE '{}' END$c$,
                                 a.attname,
                                 -- the comparison the generic diff made was on the JSON
                                 -- values; for these types (deterministically collated)
                                 -- native equality is the same and cheaper. Others
                                 -- differ (an array's bounds, an interval's units, JSON
                                 -- null against SQL null), so they are compared as
                                 -- JSON, exactly as before.
                                 CASE WHEN a.atttypid IN ('uuid'::regtype, 'text'::regtype, 'varchar'::regtype,
                                                          'boolean'::regtype, 'smallint'::regtype, 'integer'::regtype,
                                                          'bigint'::regtype, 'numeric'::regtype, 'date'::regtype,
                                                          'timestamp'::regtype, 'timestamptz'::regtype)
                                           -- text under a nondeterministic collation can be equal
                                           -- without being the same bytes, which JSON compares
                                           AND (a.attcollation = 0 OR (SELECT l.collisdeterministic FROM pg_collation l
                                                                        WHERE l.oid = a.attcollation))
                                      THEN format('n.%1$I IS DISTINCT FROM o.%1$I', a.attname)
                                      ELSE format($j$COALESCE(to_jsonb(n.%1$I), 'null') IS DISTINCT FROM COALESCE(to_jsonb(o.%1$I), 'null')$j$,
                                                  a.attname) END),
                          E'\n   || ' ORDER BY a.attnum) AS cases
          FROM pg_class c
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind = 'r'
           AND c.relname IN ('features', 'components', 'build_tasks', 'requirements')
           -- touched on every update: not a change worth recording; and a
           -- lease, extended by every heartbeat, is not history (the claim's
           -- and the reclaim's rows say who holds the task)
           AND a.attname NOT IN ('updated_at', 'lease_expires_at')
         GROUP BY c.oid, c.relname
         ORDER BY c.relname
    LOOP
        -- STABLE, not IMMUTABLE (jsonb_build_object is STABLE): so PostgreSQL
        -- inlines it into the caller's expression instead of calling it. A
        -- string body, not RETURN: a RETURN body would record a dependency on
        -- every column and stop any migration from dropping or retyping one.
        EXECUTE format($f$
CREATE OR REPLACE FUNCTION claude.row_changes(n claude.%1$I, o claude.%1$I)
RETURNS jsonb
LANGUAGE sql STABLE
AS $body$
-- Generated by claude.build_row_changes() from the columns of claude.%1$s;
-- do not edit, re-run the builder after adding, dropping or retyping a column.
SELECT NULLIF(%2$s, '{}')
$body$$f$, tbl.relname, tbl.cases);
        EXECUTE format('COMMENT ON FUNCTION claude.row_changes(claude.%1$I, claude.%1$I) IS %2$L', tbl.relname,
            format('Generated: the columns of claude.%s that differ between n and o (all but updated_at and lease_expires_at), as {"column": {"old": ..., "new": ...}}; null when none differ.', tbl.relname));
        built := built + 1;
    END LOOP;
    RETURN built;
END
$_$;


ALTER FUNCTION claude.build_row_changes() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION build_row_changes(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.build_row_changes() IS 'Regenerates claude.row_changes(new_row, old_row) for every entity table from its columns; run after adding, dropping or retyping a column of features, components, build_tasks or requirements (until then an update of that table fails loudly or misses the new column, which the tests catch). Returns the number of functions built.';


--
-- Name: can_complete_feature(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.can_complete_feature(feature_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    failures text[];
BEGIN
    PERFORM 1 FROM claude.features f WHERE f.feature_id = can_complete_feature.feature_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', can_complete_feature.feature_id);
    END IF;
    failures := claude.feature_completion_failures(can_complete_feature.feature_id);
    RETURN jsonb_build_object('can_complete', cardinality(failures) = 0, 'checks', to_jsonb(failures));
END
$$;


ALTER FUNCTION claude.can_complete_feature(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION can_complete_feature(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.can_complete_feature(feature_id uuid) IS 'The completion gate as data: {"can_complete": bool, "checks": [every failing condition by name]}; never raises for a gate failure. Errors: P0002.';


--
-- Name: cancel_task(uuid, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.cancel_task(task_id uuid, reason text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    allowed text[] := claude.action_from_statuses('build_task', 'cancel');
    after claude.build_tasks;
BEGIN
    PERFORM claude.begin_call(actor, reason);
    -- one statement: the row changes only if the action applies to its status
    UPDATE claude.build_tasks AS t SET status = 'cancelled', cancellation_reason = cancel_task.reason
     WHERE t.task_id = cancel_task.task_id
       AND t.status = ANY (allowed)
    RETURNING t.* INTO after;
    IF NOT FOUND THEN
        PERFORM claude.refuse_task_action(cancel_task.task_id, allowed, 'cancel');
    END IF;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after));
END
$$;


ALTER FUNCTION claude.cancel_task(task_id uuid, reason text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION cancel_task(task_id uuid, reason text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.cancel_task(task_id uuid, reason text, actor text) IS 'Cancels an unfinished task with a reason. Errors: 23514, P0002, 55000.';


--
-- Name: carry_component_tasks(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.carry_component_tasks() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- a task always belongs to the feature of its component (SPEC section 2)
    UPDATE claude.build_tasks AS t SET feature_id = NEW.feature_id
     WHERE t.component_id = NEW.component_id AND t.feature_id IS DISTINCT FROM NEW.feature_id;
    RETURN NULL;
END
$$;


ALTER FUNCTION claude.carry_component_tasks() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION carry_component_tasks(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.carry_component_tasks() IS 'Trigger: when a component moves to another feature, its tasks move with it (each move checked and logged like any task update).';


--
-- Name: chain_step(bytea, bytea); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.chain_step(state bytea, next bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN sha256((state || next));


ALTER FUNCTION claude.chain_step(state bytea, next bytea) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION chain_step(state bytea, next bytea); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.chain_step(state bytea, next bytea) IS 'One link of a hash chain: sha256(state || next).';


--
-- Name: labels_valid(text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.labels_valid(labels text[]) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
BEGIN
    IF labels IS NULL THEN
        RETURN false;
    END IF;
    -- no labels, the common case (every CHECK of a written row calls this):
    -- answered without running the query below
    IF labels = '{}' THEN
        RETURN true;
    END IF;
    -- every label 1-50 characters of a-z 0-9 : _ . -, starting with a letter
    -- or digit; no label twice; no null element; one dimension
    RETURN COALESCE(array_ndims(labels), 1) = 1
       AND NOT EXISTS (SELECT 1 FROM unnest(labels) l
                        WHERE l IS NULL OR char_length(l) > 50 OR l !~ '^[a-z0-9][a-z0-9:_.-]*$')
       AND (SELECT count(DISTINCT l) FROM unnest(labels) l) = cardinality(labels);
END
$_$;


ALTER FUNCTION claude.labels_valid(labels text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION labels_valid(labels text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.labels_valid(labels text[]) IS 'Whether a label list is valid: each label 1-50 characters matching ^[a-z0-9][a-z0-9:_.-]*$, none twice, no nulls.';


--
-- Name: build_tasks; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.build_tasks (
    task_id uuid DEFAULT gen_random_uuid() NOT NULL,
    feature_id uuid NOT NULL,
    component_id uuid,
    task_name text NOT NULL,
    task_description text NOT NULL,
    task_type text NOT NULL,
    status text DEFAULT 'todo'::text NOT NULL,
    priority integer DEFAULT 5 NOT NULL,
    assigned_to_identity_id uuid,
    estimated_hours numeric(8,2),
    actual_hours numeric(8,2),
    started_at timestamp with time zone,
    completed_at timestamp with time zone,
    blocked_reason text,
    blocked_by_task_id uuid,
    completion_notes text,
    cancellation_reason text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    labels text[] DEFAULT '{}'::text[] NOT NULL,
    lease_expires_at timestamp with time zone,
    CONSTRAINT chk_task_actual_hours CHECK (((actual_hours > (0)::numeric) AND (actual_hours <> 'NaN'::numeric))),
    CONSTRAINT chk_task_estimated_hours CHECK (((estimated_hours > (0)::numeric) AND (estimated_hours <> 'NaN'::numeric))),
    CONSTRAINT chk_task_labels CHECK (claude.labels_valid(labels)),
    CONSTRAINT chk_task_lease CHECK (((lease_expires_at IS NULL) OR (status = 'in_progress'::text))),
    CONSTRAINT chk_task_name_length CHECK ((char_length(task_name) <= 255)),
    CONSTRAINT chk_task_priority CHECK (((priority >= 1) AND (priority <= 10))),
    CONSTRAINT chk_task_status CHECK ((status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text, 'review'::text, 'completed'::text, 'cancelled'::text]))),
    CONSTRAINT chk_task_type CHECK ((task_type = ANY (ARRAY['code'::text, 'test'::text, 'review'::text, 'design'::text, 'documentation'::text, 'research'::text, 'bug_fix'::text, 'refactor'::text, 'deployment'::text, 'meeting'::text]))),
    CONSTRAINT chk_tasks_completed_at CHECK ((((status = 'completed'::text) = (completed_at IS NOT NULL)) AND ((completed_at IS NULL) OR (started_at IS NULL) OR (completed_at >= started_at)))),
    CONSTRAINT chk_tasks_not_blocked_by_self CHECK ((blocked_by_task_id <> task_id)),
    CONSTRAINT chk_tasks_started_at CHECK (
CASE
    WHEN (status = 'todo'::text) THEN (started_at IS NULL)
    WHEN (status = ANY (ARRAY['in_progress'::text, 'blocked'::text, 'review'::text, 'completed'::text])) THEN (started_at IS NOT NULL)
    ELSE true
END)
);


ALTER TABLE claude.build_tasks OWNER TO buildtracker_owner;

--
-- Name: TABLE build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.build_tasks IS 'A unit of work on a feature (optionally on one of its components), assigned to an identity.';


--
-- Name: COLUMN build_tasks.task_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.task_id IS 'Primary key.';


--
-- Name: COLUMN build_tasks.feature_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.feature_id IS 'The feature of the task; filled from the component when only component_id is given; deleting the feature deletes its tasks.';


--
-- Name: COLUMN build_tasks.component_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.component_id IS 'Optional component of that feature; set to null when the component is deleted.';


--
-- Name: COLUMN build_tasks.task_name; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.task_name IS 'Name of the task (at least 5 characters when written).';


--
-- Name: COLUMN build_tasks.task_description; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.task_description IS 'What to do (at least 10 characters when written).';


--
-- Name: COLUMN build_tasks.task_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.task_type IS 'Kind of task: code, test, review, design, documentation, research, bug_fix, refactor, deployment, meeting.';


--
-- Name: COLUMN build_tasks.status; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.status IS 'Workflow status: todo, in_progress, blocked, review, completed, cancelled.';


--
-- Name: COLUMN build_tasks.priority; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.priority IS '1 (highest) to 10 (lowest); default 5.';


--
-- Name: COLUMN build_tasks.assigned_to_identity_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.assigned_to_identity_id IS 'Assignee; required in in_progress, review and completed; changeable only in todo or blocked.';


--
-- Name: COLUMN build_tasks.estimated_hours; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.estimated_hours IS 'Estimate in hours (> 0).';


--
-- Name: COLUMN build_tasks.actual_hours; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.actual_hours IS 'Hours spent (> 0); set only on completed tasks.';


--
-- Name: COLUMN build_tasks.started_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.started_at IS 'When work started (set by the database).';


--
-- Name: COLUMN build_tasks.completed_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.completed_at IS 'When the task was completed (set by the database); set exactly when completed.';


--
-- Name: COLUMN build_tasks.blocked_reason; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.blocked_reason IS 'Why the task is blocked; cleared on unblock.';


--
-- Name: COLUMN build_tasks.blocked_by_task_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.blocked_by_task_id IS 'Task that must be completed or cancelled before this one can start; never a cycle; set to null when that task is deleted.';


--
-- Name: COLUMN build_tasks.completion_notes; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.completion_notes IS 'Notes given on completion.';


--
-- Name: COLUMN build_tasks.cancellation_reason; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.cancellation_reason IS 'Why the task was cancelled.';


--
-- Name: COLUMN build_tasks.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.created_at IS 'When the row was inserted (set by the database).';


--
-- Name: COLUMN build_tasks.updated_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.updated_at IS 'When the row was last written (set by the database).';


--
-- Name: COLUMN build_tasks.labels; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.labels IS 'Labels: lower-case words (a-z 0-9 : _ . -), 1-50 characters each, no duplicates; claim_next_task and get_ready_tasks filter by them.';


--
-- Name: COLUMN build_tasks.lease_expires_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.build_tasks.lease_expires_at IS 'Until when the assignee holds the task (claim_next_task, heartbeat_task); null unless in_progress, and null for a task started without a lease. Past it, another claim may take the task over.';


--
-- Name: CONSTRAINT chk_task_actual_hours ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_task_actual_hours ON claude.build_tasks IS 'actual_hours must be a number greater than 0';


--
-- Name: CONSTRAINT chk_task_estimated_hours ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_task_estimated_hours ON claude.build_tasks IS 'estimated_hours must be a number greater than 0';


--
-- Name: CONSTRAINT chk_task_labels ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_task_labels ON claude.build_tasks IS 'labels must each be 1-50 characters of a-z, 0-9, colon, underscore, dot or hyphen, starting with a letter or digit, and none may repeat';


--
-- Name: CONSTRAINT chk_task_lease ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_task_lease ON claude.build_tasks IS 'only an in_progress task holds a lease (lease_expires_at)';


--
-- Name: CONSTRAINT chk_task_name_length ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_task_name_length ON claude.build_tasks IS 'task_name must be at most 255 characters';


--
-- Name: CONSTRAINT chk_task_priority ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_task_priority ON claude.build_tasks IS 'priority must be between 1 and 10';


--
-- Name: CONSTRAINT chk_task_status ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_task_status ON claude.build_tasks IS 'status must be one of todo, in_progress, blocked, review, completed, cancelled';


--
-- Name: CONSTRAINT chk_task_type ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_task_type ON claude.build_tasks IS 'task_type must be one of code, test, review, design, documentation, research, bug_fix, refactor, deployment, meeting';


--
-- Name: CONSTRAINT chk_tasks_completed_at ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_tasks_completed_at ON claude.build_tasks IS 'completed_at must be set exactly when completed, and not before started_at';


--
-- Name: CONSTRAINT chk_tasks_not_blocked_by_self ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_tasks_not_blocked_by_self ON claude.build_tasks IS 'a task cannot block itself';


--
-- Name: CONSTRAINT chk_tasks_started_at ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_tasks_started_at ON claude.build_tasks IS 'started_at must be empty while todo, and set while in_progress, blocked, review or completed';


--
-- Name: check_build_tasks_constraints(claude.build_tasks, claude.build_tasks); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_build_tasks_constraints(r claude.build_tasks, o claude.build_tasks) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
-- Generated by claude.build_constraint_checkers() from the constraints of
-- claude.build_tasks; do not edit, re-run the builder after changing a constraint.
DECLARE
    failed integer[];
BEGIN
    -- every NOT NULL and CHECK constraint, over the row's columns, in one pass
    -- (a CHECK passes on null, as in PostgreSQL)
    SELECT array_remove(ARRAY[
               CASE WHEN t.task_id IS NULL THEN 1 END,
               CASE WHEN t.feature_id IS NULL THEN 2 END,
               CASE WHEN t.task_name IS NULL THEN 3 END,
               CASE WHEN t.task_description IS NULL THEN 4 END,
               CASE WHEN t.task_type IS NULL THEN 5 END,
               CASE WHEN t.status IS NULL THEN 6 END,
               CASE WHEN t.priority IS NULL THEN 7 END,
               CASE WHEN t.created_at IS NULL THEN 8 END,
               CASE WHEN t.updated_at IS NULL THEN 9 END,
               CASE WHEN t.labels IS NULL THEN 10 END,
               CASE WHEN (((actual_hours > (0)::numeric) AND (actual_hours <> 'NaN'::numeric))) IS FALSE THEN 11 END,
               CASE WHEN (((estimated_hours > (0)::numeric) AND (estimated_hours <> 'NaN'::numeric))) IS FALSE THEN 12 END,
               CASE WHEN (claude.labels_valid(labels)) IS FALSE THEN 13 END,
               CASE WHEN (((lease_expires_at IS NULL) OR (status = 'in_progress'::text))) IS FALSE THEN 14 END,
               CASE WHEN ((char_length(task_name) <= 255)) IS FALSE THEN 15 END,
               CASE WHEN (((priority >= 1) AND (priority <= 10))) IS FALSE THEN 16 END,
               CASE WHEN ((status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text, 'review'::text, 'completed'::text, 'cancelled'::text]))) IS FALSE THEN 17 END,
               CASE WHEN ((task_type = ANY (ARRAY['code'::text, 'test'::text, 'review'::text, 'design'::text, 'documentation'::text, 'research'::text, 'bug_fix'::text, 'refactor'::text, 'deployment'::text, 'meeting'::text]))) IS FALSE THEN 18 END,
               CASE WHEN ((((status = 'completed'::text) = (completed_at IS NOT NULL)) AND ((completed_at IS NULL) OR (started_at IS NULL) OR (completed_at >= started_at)))) IS FALSE THEN 19 END,
               CASE WHEN ((blocked_by_task_id <> task_id)) IS FALSE THEN 20 END,
               CASE WHEN (
CASE
    WHEN (status = 'todo'::text) THEN (started_at IS NULL)
    WHEN (status = ANY (ARRAY['in_progress'::text, 'blocked'::text, 'review'::text, 'completed'::text])) THEN (started_at IS NOT NULL)
    ELSE true
END) IS FALSE THEN 21 END
           ], NULL)
      INTO failed
      FROM (SELECT r.*) AS t;
    -- the common case: every value check passes and no key column changed,
    -- so none of the key checks below can fire
    IF cardinality(failed) = 0
       AND NOT (r.assigned_to_identity_id IS NOT NULL AND (o IS NULL OR r.assigned_to_identity_id IS DISTINCT FROM o.assigned_to_identity_id))
       AND NOT (r.blocked_by_task_id IS NOT NULL AND (o IS NULL OR r.blocked_by_task_id IS DISTINCT FROM o.blocked_by_task_id))
       AND NOT (r.component_id IS NOT NULL AND (o IS NULL OR r.component_id IS DISTINCT FROM o.component_id))
       AND NOT (r.feature_id IS NOT NULL AND (o IS NULL OR r.feature_id IS DISTINCT FROM o.feature_id)) THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN CASE WHEN cardinality(failed) = 0 THEN '[]'::jsonb ELSE (
               SELECT jsonb_agg(jsonb_build_object('field', m.field, 'message', m.message, 'code', '23514') ORDER BY m.n)
                 FROM (VALUES (1, 'task_id', 'task_id is required'),
                             (2, 'feature_id', 'feature_id is required'),
                             (3, 'task_name', 'task_name is required'),
                             (4, 'task_description', 'task_description is required'),
                             (5, 'task_type', 'task_type is required'),
                             (6, 'status', 'status is required'),
                             (7, 'priority', 'priority is required'),
                             (8, 'created_at', 'created_at is required'),
                             (9, 'updated_at', 'updated_at is required'),
                             (10, 'labels', 'labels is required'),
                             (11, 'actual_hours', 'actual_hours must be a number greater than 0'),
                             (12, 'estimated_hours', 'estimated_hours must be a number greater than 0'),
                             (13, 'labels', 'labels must each be 1-50 characters of a-z, 0-9, colon, underscore, dot or hyphen, starting with a letter or digit, and none may repeat'),
                             (14, 'lease_expires_at', 'only an in_progress task holds a lease (lease_expires_at)'),
                             (15, 'task_name', 'task_name must be at most 255 characters'),
                             (16, 'priority', 'priority must be between 1 and 10'),
                             (17, 'status', 'status must be one of todo, in_progress, blocked, review, completed, cancelled'),
                             (18, 'task_type', 'task_type must be one of code, test, review, design, documentation, research, bug_fix, refactor, deployment, meeting'),
                             (19, 'status', 'completed_at must be set exactly when completed, and not before started_at'),
                             (20, 'blocked_by_task_id', 'a task cannot block itself'),
                             (21, 'status', 'started_at must be empty while todo, and set while in_progress, blocked, review or completed')) AS m(n, field, message)
                WHERE m.n = ANY (failed)) END
        || COALESCE(CASE WHEN r.assigned_to_identity_id IS NOT NULL AND (o IS NULL OR r.assigned_to_identity_id IS DISTINCT FROM o.assigned_to_identity_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.identities AS x WHERE x.identity_id = r.assigned_to_identity_id)
                            THEN claude.err('assigned_to_identity_id', 'assigned_to_identity_id does not name an existing identity', '23503') END, '[]')
        || COALESCE(CASE WHEN r.blocked_by_task_id IS NOT NULL AND (o IS NULL OR r.blocked_by_task_id IS DISTINCT FROM o.blocked_by_task_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.build_tasks AS x WHERE x.task_id = r.blocked_by_task_id) AND r.blocked_by_task_id <> r.task_id
                            THEN claude.err('blocked_by_task_id', 'blocked_by_task_id does not name an existing task', '23503') END, '[]')
        || COALESCE(CASE WHEN r.component_id IS NOT NULL AND (o IS NULL OR r.component_id IS DISTINCT FROM o.component_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.components AS x WHERE x.component_id = r.component_id)
                            THEN claude.err('component_id', 'component_id does not name an existing component', '23503') END, '[]')
        || COALESCE(CASE WHEN r.feature_id IS NOT NULL AND (o IS NULL OR r.feature_id IS DISTINCT FROM o.feature_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.features AS x WHERE x.feature_id = r.feature_id)
                            THEN claude.err('feature_id', 'feature_id does not name an existing feature', '23503') END, '[]');
END
$$;


ALTER FUNCTION claude.check_build_tasks_constraints(r claude.build_tasks, o claude.build_tasks) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_build_tasks_constraints(r claude.build_tasks, o claude.build_tasks); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_build_tasks_constraints(r claude.build_tasks, o claude.build_tasks) IS 'Generated: every CHECK, NOT NULL, FOREIGN KEY and UNIQUE constraint of claude.build_tasks that row r (previously o, null on insert) fails, as a JSON error list; foreign keys and unique keys are checked only when their columns change.';


--
-- Name: feature_completion_failures(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feature_completion_failures(feature_id uuid) RETURNS text[]
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RETURN ARRAY(SELECT f ->> 'message'
                   FROM jsonb_array_elements(claude.feature_gate_failures(feature_completion_failures.feature_id)) AS f);
END
$$;


ALTER FUNCTION claude.feature_completion_failures(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feature_completion_failures(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feature_completion_failures(feature_id uuid) IS 'The completion gate as sentences (claude.feature_gate_failures, without the ids); empty when the feature can be completed.';


--
-- Name: features; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.features (
    feature_id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    parent_feature_id uuid,
    feature_name text NOT NULL,
    feature_type text NOT NULL,
    description text,
    priority integer DEFAULT 5 NOT NULL,
    status text DEFAULT 'not_started'::text NOT NULL,
    completion_percentage integer DEFAULT 0 NOT NULL,
    planned_date timestamp with time zone,
    planned_by_identity_id uuid,
    started_date timestamp with time zone,
    completed_date timestamp with time zone,
    implemented_by_identity_id uuid,
    design_doc_path text,
    implementation_notes text,
    blocked_reason text,
    cancellation_reason text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    labels text[] DEFAULT '{}'::text[] NOT NULL,
    CONSTRAINT chk_completion_percentage CHECK (((completion_percentage >= 0) AND (completion_percentage <= 100))),
    CONSTRAINT chk_feature_labels CHECK (claude.labels_valid(labels)),
    CONSTRAINT chk_feature_name_length CHECK ((char_length(feature_name) <= 255)),
    CONSTRAINT chk_feature_priority CHECK (((priority >= 1) AND (priority <= 10))),
    CONSTRAINT chk_feature_status CHECK ((status = ANY (ARRAY['not_started'::text, 'planned'::text, 'in_progress'::text, 'blocked'::text, 'on_hold'::text, 'completed'::text, 'cancelled'::text]))),
    CONSTRAINT chk_feature_type CHECK ((feature_type = ANY (ARRAY['feature'::text, 'enhancement'::text, 'bug_fix'::text, 'refactoring'::text, 'integration'::text, 'infrastructure'::text, 'ui'::text, 'api'::text, 'data'::text]))),
    CONSTRAINT chk_features_completed_date CHECK ((((status = 'completed'::text) = (completed_date IS NOT NULL)) AND ((completed_date IS NULL) OR (started_date IS NULL) OR (completed_date >= started_date)))),
    CONSTRAINT chk_features_not_own_parent CHECK ((parent_feature_id <> feature_id)),
    CONSTRAINT chk_features_started_date CHECK (
CASE
    WHEN (status = ANY (ARRAY['not_started'::text, 'planned'::text])) THEN (started_date IS NULL)
    WHEN (status = ANY (ARRAY['in_progress'::text, 'blocked'::text, 'on_hold'::text, 'completed'::text])) THEN (started_date IS NOT NULL)
    ELSE true
END)
);


ALTER TABLE claude.features OWNER TO buildtracker_owner;

--
-- Name: TABLE features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.features IS 'A unit of work delivered to a project; may have a parent feature, and is made of components, tasks and requirements.';


--
-- Name: COLUMN features.feature_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.feature_id IS 'Primary key.';


--
-- Name: COLUMN features.project_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.project_id IS 'The project the feature belongs to (a project with features cannot be deleted).';


--
-- Name: COLUMN features.parent_feature_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.parent_feature_id IS 'Optional parent feature; set to null when the parent is deleted; never a cycle.';


--
-- Name: COLUMN features.feature_name; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.feature_name IS 'Name of the feature (at least 5 characters when written).';


--
-- Name: COLUMN features.feature_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.feature_type IS 'Kind of feature: feature, enhancement, bug_fix, refactoring, integration, infrastructure, ui, api, data.';


--
-- Name: COLUMN features.description; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.description IS 'What the feature does (at least 20 characters once planned).';


--
-- Name: COLUMN features.priority; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.priority IS '1 (highest) to 10 (lowest); default 5.';


--
-- Name: COLUMN features.status; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.status IS 'Workflow status: not_started, planned, in_progress, blocked, on_hold, completed, cancelled.';


--
-- Name: COLUMN features.completion_percentage; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.completion_percentage IS '0-100; rolled up from components (or tasks) by triggers, manual when the feature has neither.';


--
-- Name: COLUMN features.planned_date; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.planned_date IS 'When the feature became planned (set by the database).';


--
-- Name: COLUMN features.planned_by_identity_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.planned_by_identity_id IS 'Who planned the feature; required to become planned.';


--
-- Name: COLUMN features.started_date; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.started_date IS 'When work started (set by the database on planned -> in_progress).';


--
-- Name: COLUMN features.completed_date; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.completed_date IS 'When the feature was completed (set by the database); set exactly when completed.';


--
-- Name: COLUMN features.implemented_by_identity_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.implemented_by_identity_id IS 'Who implements the feature; required to start it.';


--
-- Name: COLUMN features.design_doc_path; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.design_doc_path IS 'Path or URL of the design document.';


--
-- Name: COLUMN features.implementation_notes; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.implementation_notes IS 'Free-form implementation notes.';


--
-- Name: COLUMN features.blocked_reason; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.blocked_reason IS 'Why the feature is blocked or on hold; cleared when work resumes.';


--
-- Name: COLUMN features.cancellation_reason; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.cancellation_reason IS 'Why the feature was cancelled.';


--
-- Name: COLUMN features.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.created_at IS 'When the row was inserted (set by the database).';


--
-- Name: COLUMN features.updated_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.updated_at IS 'When the row was last written (set by the database).';


--
-- Name: COLUMN features.labels; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.features.labels IS 'Labels: lower-case words (a-z 0-9 : _ . -), 1-50 characters each, no duplicates.';


--
-- Name: CONSTRAINT chk_completion_percentage ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_completion_percentage ON claude.features IS 'completion_percentage must be between 0 and 100';


--
-- Name: CONSTRAINT chk_feature_labels ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_feature_labels ON claude.features IS 'labels must each be 1-50 characters of a-z, 0-9, colon, underscore, dot or hyphen, starting with a letter or digit, and none may repeat';


--
-- Name: CONSTRAINT chk_feature_name_length ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_feature_name_length ON claude.features IS 'feature_name must be at most 255 characters';


--
-- Name: CONSTRAINT chk_feature_priority ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_feature_priority ON claude.features IS 'priority must be between 1 and 10';


--
-- Name: CONSTRAINT chk_feature_status ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_feature_status ON claude.features IS 'status must be one of not_started, planned, in_progress, blocked, on_hold, completed, cancelled';


--
-- Name: CONSTRAINT chk_feature_type ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_feature_type ON claude.features IS 'feature_type must be one of feature, enhancement, bug_fix, refactoring, integration, infrastructure, ui, api, data';


--
-- Name: CONSTRAINT chk_features_completed_date ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_features_completed_date ON claude.features IS 'completed_date must be set exactly when completed, and not before started_date';


--
-- Name: CONSTRAINT chk_features_not_own_parent ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_features_not_own_parent ON claude.features IS 'a feature cannot be its own parent';


--
-- Name: CONSTRAINT chk_features_started_date ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_features_started_date ON claude.features IS 'started_date must be empty while not_started or planned, and set while in_progress, blocked, on_hold or completed';


--
-- Name: projects; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.projects (
    project_id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chk_projects_name_length CHECK ((char_length(project_name) <= 255)),
    CONSTRAINT chk_projects_name_not_blank CHECK ((btrim(project_name, ' 	
v'::text) <> ''::text))
);


ALTER TABLE claude.projects OWNER TO buildtracker_owner;

--
-- Name: TABLE projects; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.projects IS 'A project: the top-level container of features; its name labels the activity feed.';


--
-- Name: COLUMN projects.project_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.projects.project_id IS 'Primary key.';


--
-- Name: COLUMN projects.project_name; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.projects.project_name IS 'Unique, non-blank project name.';


--
-- Name: COLUMN projects.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.projects.created_at IS 'When the row was inserted (set by the database).';


--
-- Name: COLUMN projects.updated_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.projects.updated_at IS 'When the row was last written (set by the database).';


--
-- Name: CONSTRAINT chk_projects_name_length ON projects; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_projects_name_length ON claude.projects IS 'project_name must be at most 255 characters';


--
-- Name: CONSTRAINT chk_projects_name_not_blank ON projects; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_projects_name_not_blank ON claude.projects IS 'project_name must not be blank';


--
-- Name: check_completion_readiness(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_completion_readiness() RETURNS TABLE(feature_id uuid, feature_name text, completion_percentage integer, project_name text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    BEGIN ATOMIC
 SELECT f.feature_id,
     f.feature_name,
     f.completion_percentage,
     p.project_name
    FROM (claude.features f
      JOIN claude.projects p ON ((p.project_id = f.project_id)))
   WHERE ((f.status = 'in_progress'::text) AND (f.completion_percentage = 100) AND (cardinality(claude.feature_completion_failures(f.feature_id)) = 0))
   ORDER BY f.priority, f.created_at;
END;


ALTER FUNCTION claude.check_completion_readiness() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_completion_readiness(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_completion_readiness() IS 'in_progress features at 100% that pass the completion gate: someone should complete them.';


--
-- Name: components; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.components (
    component_id uuid DEFAULT gen_random_uuid() NOT NULL,
    feature_id uuid NOT NULL,
    component_name text NOT NULL,
    component_type text NOT NULL,
    file_path text,
    planned_functions text[] DEFAULT '{}'::text[] NOT NULL,
    planned_dependencies text[] DEFAULT '{}'::text[] NOT NULL,
    actual_functions text[] DEFAULT '{}'::text[] NOT NULL,
    status text DEFAULT 'planned'::text NOT NULL,
    lines_of_code integer,
    has_tests boolean DEFAULT false NOT NULL,
    test_coverage_percentage numeric(5,2),
    has_documentation boolean DEFAULT false NOT NULL,
    doc_path text,
    implemented_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chk_component_coverage CHECK (((test_coverage_percentage >= (0)::numeric) AND (test_coverage_percentage <= (100)::numeric))),
    CONSTRAINT chk_component_lines_of_code CHECK ((lines_of_code >= 0)),
    CONSTRAINT chk_component_name_length CHECK ((char_length(component_name) <= 255)),
    CONSTRAINT chk_component_status CHECK ((status = ANY (ARRAY['planned'::text, 'in_progress'::text, 'completed'::text, 'tested'::text, 'documented'::text, 'deprecated'::text]))),
    CONSTRAINT chk_component_type CHECK ((component_type = ANY (ARRAY['ui_component'::text, 'page'::text, 'layout'::text, 'dialog'::text, 'hook'::text, 'store'::text, 'api_endpoint'::text, 'service'::text, 'repository'::text, 'middleware'::text, 'worker'::text, 'database'::text, 'module'::text, 'utility'::text, 'config'::text, 'types'::text, 'test'::text]))),
    CONSTRAINT chk_components_implemented_at CHECK (
CASE
    WHEN (status = ANY (ARRAY['planned'::text, 'in_progress'::text])) THEN (implemented_at IS NULL)
    WHEN (status = ANY (ARRAY['completed'::text, 'tested'::text, 'documented'::text])) THEN (implemented_at IS NOT NULL)
    ELSE true
END)
);


ALTER TABLE claude.components OWNER TO buildtracker_owner;

--
-- Name: TABLE components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.components IS 'A piece of code that makes up a feature (page, service, hook, ...).';


--
-- Name: COLUMN components.component_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.component_id IS 'Primary key.';


--
-- Name: COLUMN components.feature_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.feature_id IS 'The feature this component belongs to; deleting the feature deletes its components.';


--
-- Name: COLUMN components.component_name; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.component_name IS 'Name, unique within the feature (at least 3 characters when written).';


--
-- Name: COLUMN components.component_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.component_type IS 'Kind of component: ui_component, page, layout, dialog, hook, store, api_endpoint, service, repository, middleware, worker, database, module, utility, config, types, test.';


--
-- Name: COLUMN components.file_path; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.file_path IS 'Source file; generated from type and name when not given.';


--
-- Name: COLUMN components.planned_functions; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.planned_functions IS 'Functions the component is planned to provide.';


--
-- Name: COLUMN components.planned_dependencies; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.planned_dependencies IS 'What the component is planned to depend on.';


--
-- Name: COLUMN components.actual_functions; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.actual_functions IS 'Functions it actually provides; at least one to complete.';


--
-- Name: COLUMN components.status; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.status IS 'Workflow status: planned, in_progress, completed, tested, documented, deprecated.';


--
-- Name: COLUMN components.lines_of_code; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.lines_of_code IS 'Size of the implementation, when known (>= 0).';


--
-- Name: COLUMN components.has_tests; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.has_tests IS 'Whether the component has tests; required to become tested.';


--
-- Name: COLUMN components.test_coverage_percentage; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.test_coverage_percentage IS 'Test coverage 0-100; required to become tested.';


--
-- Name: COLUMN components.has_documentation; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.has_documentation IS 'Whether the component is documented; required to become documented.';


--
-- Name: COLUMN components.doc_path; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.doc_path IS 'Where the documentation lives; required to become documented.';


--
-- Name: COLUMN components.implemented_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.implemented_at IS 'When the component was completed (set by the database).';


--
-- Name: COLUMN components.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.created_at IS 'When the row was inserted (set by the database).';


--
-- Name: COLUMN components.updated_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.components.updated_at IS 'When the row was last written (set by the database).';


--
-- Name: CONSTRAINT chk_component_coverage ON components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_component_coverage ON claude.components IS 'test_coverage_percentage must be between 0 and 100';


--
-- Name: CONSTRAINT chk_component_lines_of_code ON components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_component_lines_of_code ON claude.components IS 'lines_of_code must not be negative';


--
-- Name: CONSTRAINT chk_component_name_length ON components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_component_name_length ON claude.components IS 'component_name must be at most 255 characters';


--
-- Name: CONSTRAINT chk_component_status ON components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_component_status ON claude.components IS 'status must be one of planned, in_progress, completed, tested, documented, deprecated';


--
-- Name: CONSTRAINT chk_component_type ON components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_component_type ON claude.components IS 'component_type must be one of ui_component, page, layout, dialog, hook, store, api_endpoint, service, repository, middleware, worker, database, module, utility, config, types, test';


--
-- Name: CONSTRAINT chk_components_implemented_at ON components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_components_implemented_at ON claude.components IS 'implemented_at must be empty while planned or in_progress, and set once completed, tested or documented';


--
-- Name: check_components_constraints(claude.components, claude.components); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_components_constraints(r claude.components, o claude.components) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
-- Generated by claude.build_constraint_checkers() from the constraints of
-- claude.components; do not edit, re-run the builder after changing a constraint.
DECLARE
    failed integer[];
BEGIN
    -- every NOT NULL and CHECK constraint, over the row's columns, in one pass
    -- (a CHECK passes on null, as in PostgreSQL)
    SELECT array_remove(ARRAY[
               CASE WHEN t.component_id IS NULL THEN 1 END,
               CASE WHEN t.feature_id IS NULL THEN 2 END,
               CASE WHEN t.component_name IS NULL THEN 3 END,
               CASE WHEN t.component_type IS NULL THEN 4 END,
               CASE WHEN t.planned_functions IS NULL THEN 5 END,
               CASE WHEN t.planned_dependencies IS NULL THEN 6 END,
               CASE WHEN t.actual_functions IS NULL THEN 7 END,
               CASE WHEN t.status IS NULL THEN 8 END,
               CASE WHEN t.has_tests IS NULL THEN 9 END,
               CASE WHEN t.has_documentation IS NULL THEN 10 END,
               CASE WHEN t.created_at IS NULL THEN 11 END,
               CASE WHEN t.updated_at IS NULL THEN 12 END,
               CASE WHEN (((test_coverage_percentage >= (0)::numeric) AND (test_coverage_percentage <= (100)::numeric))) IS FALSE THEN 13 END,
               CASE WHEN ((lines_of_code >= 0)) IS FALSE THEN 14 END,
               CASE WHEN ((char_length(component_name) <= 255)) IS FALSE THEN 15 END,
               CASE WHEN ((status = ANY (ARRAY['planned'::text, 'in_progress'::text, 'completed'::text, 'tested'::text, 'documented'::text, 'deprecated'::text]))) IS FALSE THEN 16 END,
               CASE WHEN ((component_type = ANY (ARRAY['ui_component'::text, 'page'::text, 'layout'::text, 'dialog'::text, 'hook'::text, 'store'::text, 'api_endpoint'::text, 'service'::text, 'repository'::text, 'middleware'::text, 'worker'::text, 'database'::text, 'module'::text, 'utility'::text, 'config'::text, 'types'::text, 'test'::text]))) IS FALSE THEN 17 END,
               CASE WHEN (
CASE
    WHEN (status = ANY (ARRAY['planned'::text, 'in_progress'::text])) THEN (implemented_at IS NULL)
    WHEN (status = ANY (ARRAY['completed'::text, 'tested'::text, 'documented'::text])) THEN (implemented_at IS NOT NULL)
    ELSE true
END) IS FALSE THEN 18 END
           ], NULL)
      INTO failed
      FROM (SELECT r.*) AS t;
    -- the common case: every value check passes and no key column changed,
    -- so none of the key checks below can fire
    IF cardinality(failed) = 0
       AND NOT (r.feature_id IS NOT NULL AND (o IS NULL OR r.feature_id IS DISTINCT FROM o.feature_id))
       AND NOT (o IS NULL OR (r.feature_id, r.component_name) IS DISTINCT FROM (o.feature_id, o.component_name)) THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN CASE WHEN cardinality(failed) = 0 THEN '[]'::jsonb ELSE (
               SELECT jsonb_agg(jsonb_build_object('field', m.field, 'message', m.message, 'code', '23514') ORDER BY m.n)
                 FROM (VALUES (1, 'component_id', 'component_id is required'),
                             (2, 'feature_id', 'feature_id is required'),
                             (3, 'component_name', 'component_name is required'),
                             (4, 'component_type', 'component_type is required'),
                             (5, 'planned_functions', 'planned_functions is required'),
                             (6, 'planned_dependencies', 'planned_dependencies is required'),
                             (7, 'actual_functions', 'actual_functions is required'),
                             (8, 'status', 'status is required'),
                             (9, 'has_tests', 'has_tests is required'),
                             (10, 'has_documentation', 'has_documentation is required'),
                             (11, 'created_at', 'created_at is required'),
                             (12, 'updated_at', 'updated_at is required'),
                             (13, 'test_coverage_percentage', 'test_coverage_percentage must be between 0 and 100'),
                             (14, 'lines_of_code', 'lines_of_code must not be negative'),
                             (15, 'component_name', 'component_name must be at most 255 characters'),
                             (16, 'status', 'status must be one of planned, in_progress, completed, tested, documented, deprecated'),
                             (17, 'component_type', 'component_type must be one of ui_component, page, layout, dialog, hook, store, api_endpoint, service, repository, middleware, worker, database, module, utility, config, types, test'),
                             (18, 'status', 'implemented_at must be empty while planned or in_progress, and set once completed, tested or documented')) AS m(n, field, message)
                WHERE m.n = ANY (failed)) END
        || COALESCE(CASE WHEN r.feature_id IS NOT NULL AND (o IS NULL OR r.feature_id IS DISTINCT FROM o.feature_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.features AS x WHERE x.feature_id = r.feature_id)
                            THEN claude.err('feature_id', 'feature_id does not name an existing feature', '23503') END, '[]')
        || COALESCE(CASE WHEN (o IS NULL OR (r.feature_id, r.component_name) IS DISTINCT FROM (o.feature_id, o.component_name))
                              AND EXISTS (SELECT 1 FROM claude.components AS x
                                           WHERE (x.feature_id, x.component_name) = (r.feature_id, r.component_name) AND x.component_id <> r.component_id)
                            THEN claude.err('component_name', 'component_name is already used by another component of this feature') END, '[]');
END
$$;


ALTER FUNCTION claude.check_components_constraints(r claude.components, o claude.components) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_components_constraints(r claude.components, o claude.components); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_components_constraints(r claude.components, o claude.components) IS 'Generated: every CHECK, NOT NULL, FOREIGN KEY and UNIQUE constraint of claude.components that row r (previously o, null on insert) fails, as a JSON error list; foreign keys and unique keys are checked only when their columns change.';


--
-- Name: check_features_constraints(claude.features, claude.features); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_features_constraints(r claude.features, o claude.features) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
-- Generated by claude.build_constraint_checkers() from the constraints of
-- claude.features; do not edit, re-run the builder after changing a constraint.
DECLARE
    failed integer[];
BEGIN
    -- every NOT NULL and CHECK constraint, over the row's columns, in one pass
    -- (a CHECK passes on null, as in PostgreSQL)
    SELECT array_remove(ARRAY[
               CASE WHEN t.feature_id IS NULL THEN 1 END,
               CASE WHEN t.project_id IS NULL THEN 2 END,
               CASE WHEN t.feature_name IS NULL THEN 3 END,
               CASE WHEN t.feature_type IS NULL THEN 4 END,
               CASE WHEN t.priority IS NULL THEN 5 END,
               CASE WHEN t.status IS NULL THEN 6 END,
               CASE WHEN t.completion_percentage IS NULL THEN 7 END,
               CASE WHEN t.created_at IS NULL THEN 8 END,
               CASE WHEN t.updated_at IS NULL THEN 9 END,
               CASE WHEN t.labels IS NULL THEN 10 END,
               CASE WHEN (((completion_percentage >= 0) AND (completion_percentage <= 100))) IS FALSE THEN 11 END,
               CASE WHEN (claude.labels_valid(labels)) IS FALSE THEN 12 END,
               CASE WHEN ((char_length(feature_name) <= 255)) IS FALSE THEN 13 END,
               CASE WHEN (((priority >= 1) AND (priority <= 10))) IS FALSE THEN 14 END,
               CASE WHEN ((status = ANY (ARRAY['not_started'::text, 'planned'::text, 'in_progress'::text, 'blocked'::text, 'on_hold'::text, 'completed'::text, 'cancelled'::text]))) IS FALSE THEN 15 END,
               CASE WHEN ((feature_type = ANY (ARRAY['feature'::text, 'enhancement'::text, 'bug_fix'::text, 'refactoring'::text, 'integration'::text, 'infrastructure'::text, 'ui'::text, 'api'::text, 'data'::text]))) IS FALSE THEN 16 END,
               CASE WHEN ((((status = 'completed'::text) = (completed_date IS NOT NULL)) AND ((completed_date IS NULL) OR (started_date IS NULL) OR (completed_date >= started_date)))) IS FALSE THEN 17 END,
               CASE WHEN ((parent_feature_id <> feature_id)) IS FALSE THEN 18 END,
               CASE WHEN (
CASE
    WHEN (status = ANY (ARRAY['not_started'::text, 'planned'::text])) THEN (started_date IS NULL)
    WHEN (status = ANY (ARRAY['in_progress'::text, 'blocked'::text, 'on_hold'::text, 'completed'::text])) THEN (started_date IS NOT NULL)
    ELSE true
END) IS FALSE THEN 19 END
           ], NULL)
      INTO failed
      FROM (SELECT r.*) AS t;
    -- the common case: every value check passes and no key column changed,
    -- so none of the key checks below can fire
    IF cardinality(failed) = 0
       AND NOT (r.implemented_by_identity_id IS NOT NULL AND (o IS NULL OR r.implemented_by_identity_id IS DISTINCT FROM o.implemented_by_identity_id))
       AND NOT (r.parent_feature_id IS NOT NULL AND (o IS NULL OR r.parent_feature_id IS DISTINCT FROM o.parent_feature_id))
       AND NOT (r.planned_by_identity_id IS NOT NULL AND (o IS NULL OR r.planned_by_identity_id IS DISTINCT FROM o.planned_by_identity_id))
       AND NOT (r.project_id IS NOT NULL AND (o IS NULL OR r.project_id IS DISTINCT FROM o.project_id)) THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN CASE WHEN cardinality(failed) = 0 THEN '[]'::jsonb ELSE (
               SELECT jsonb_agg(jsonb_build_object('field', m.field, 'message', m.message, 'code', '23514') ORDER BY m.n)
                 FROM (VALUES (1, 'feature_id', 'feature_id is required'),
                             (2, 'project_id', 'project_id is required'),
                             (3, 'feature_name', 'feature_name is required'),
                             (4, 'feature_type', 'feature_type is required'),
                             (5, 'priority', 'priority is required'),
                             (6, 'status', 'status is required'),
                             (7, 'completion_percentage', 'completion_percentage is required'),
                             (8, 'created_at', 'created_at is required'),
                             (9, 'updated_at', 'updated_at is required'),
                             (10, 'labels', 'labels is required'),
                             (11, 'completion_percentage', 'completion_percentage must be between 0 and 100'),
                             (12, 'labels', 'labels must each be 1-50 characters of a-z, 0-9, colon, underscore, dot or hyphen, starting with a letter or digit, and none may repeat'),
                             (13, 'feature_name', 'feature_name must be at most 255 characters'),
                             (14, 'priority', 'priority must be between 1 and 10'),
                             (15, 'status', 'status must be one of not_started, planned, in_progress, blocked, on_hold, completed, cancelled'),
                             (16, 'feature_type', 'feature_type must be one of feature, enhancement, bug_fix, refactoring, integration, infrastructure, ui, api, data'),
                             (17, 'status', 'completed_date must be set exactly when completed, and not before started_date'),
                             (18, 'parent_feature_id', 'a feature cannot be its own parent'),
                             (19, 'status', 'started_date must be empty while not_started or planned, and set while in_progress, blocked, on_hold or completed')) AS m(n, field, message)
                WHERE m.n = ANY (failed)) END
        || COALESCE(CASE WHEN r.implemented_by_identity_id IS NOT NULL AND (o IS NULL OR r.implemented_by_identity_id IS DISTINCT FROM o.implemented_by_identity_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.identities AS x WHERE x.identity_id = r.implemented_by_identity_id)
                            THEN claude.err('implemented_by_identity_id', 'implemented_by_identity_id does not name an existing identity', '23503') END, '[]')
        || COALESCE(CASE WHEN r.parent_feature_id IS NOT NULL AND (o IS NULL OR r.parent_feature_id IS DISTINCT FROM o.parent_feature_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.features AS x WHERE x.feature_id = r.parent_feature_id) AND r.parent_feature_id <> r.feature_id
                            THEN claude.err('parent_feature_id', 'parent_feature_id does not name an existing feature', '23503') END, '[]')
        || COALESCE(CASE WHEN r.planned_by_identity_id IS NOT NULL AND (o IS NULL OR r.planned_by_identity_id IS DISTINCT FROM o.planned_by_identity_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.identities AS x WHERE x.identity_id = r.planned_by_identity_id)
                            THEN claude.err('planned_by_identity_id', 'planned_by_identity_id does not name an existing identity', '23503') END, '[]')
        || COALESCE(CASE WHEN r.project_id IS NOT NULL AND (o IS NULL OR r.project_id IS DISTINCT FROM o.project_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.projects AS x WHERE x.project_id = r.project_id)
                            THEN claude.err('project_id', 'project_id does not name an existing project', '23503') END, '[]');
END
$$;


ALTER FUNCTION claude.check_features_constraints(r claude.features, o claude.features) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_features_constraints(r claude.features, o claude.features); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_features_constraints(r claude.features, o claude.features) IS 'Generated: every CHECK, NOT NULL, FOREIGN KEY and UNIQUE constraint of claude.features that row r (previously o, null on insert) fails, as a JSON error list; foreign keys and unique keys are checked only when their columns change.';


--
-- Name: check_identities_constraints(claude.identities, claude.identities); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_identities_constraints(r claude.identities, o claude.identities) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
-- Generated by claude.build_constraint_checkers() from the constraints of
-- claude.identities; do not edit, re-run the builder after changing a constraint.
DECLARE
    failed integer[];
BEGIN
    -- every NOT NULL and CHECK constraint, over the row's columns, in one pass
    -- (a CHECK passes on null, as in PostgreSQL)
    SELECT array_remove(ARRAY[
               CASE WHEN t.identity_id IS NULL THEN 1 END,
               CASE WHEN t.identity_name IS NULL THEN 2 END,
               CASE WHEN t.created_at IS NULL THEN 3 END,
               CASE WHEN t.updated_at IS NULL THEN 4 END,
               CASE WHEN ((char_length(identity_name) <= 255)) IS FALSE THEN 5 END,
               CASE WHEN ((btrim(identity_name, ' 	
v'::text) <> ''::text)) IS FALSE THEN 6 END
           ], NULL)
      INTO failed
      FROM (SELECT r.*) AS t;
    -- the common case: every value check passes and no key column changed,
    -- so none of the key checks below can fire
    IF cardinality(failed) = 0
       AND NOT (o IS NULL OR (r.identity_name) IS DISTINCT FROM (o.identity_name)) THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN CASE WHEN cardinality(failed) = 0 THEN '[]'::jsonb ELSE (
               SELECT jsonb_agg(jsonb_build_object('field', m.field, 'message', m.message, 'code', '23514') ORDER BY m.n)
                 FROM (VALUES (1, 'identity_id', 'identity_id is required'),
                             (2, 'identity_name', 'identity_name is required'),
                             (3, 'created_at', 'created_at is required'),
                             (4, 'updated_at', 'updated_at is required'),
                             (5, 'identity_name', 'identity_name must be at most 255 characters'),
                             (6, 'identity_name', 'identity_name must not be blank')) AS m(n, field, message)
                WHERE m.n = ANY (failed)) END
        || COALESCE(CASE WHEN (o IS NULL OR (r.identity_name) IS DISTINCT FROM (o.identity_name))
                              AND EXISTS (SELECT 1 FROM claude.identities AS x
                                           WHERE (x.identity_name) = (r.identity_name) AND x.identity_id <> r.identity_id)
                            THEN claude.err('identity_name', 'identity_name is already used by another identity') END, '[]');
END
$$;


ALTER FUNCTION claude.check_identities_constraints(r claude.identities, o claude.identities) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_identities_constraints(r claude.identities, o claude.identities); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_identities_constraints(r claude.identities, o claude.identities) IS 'Generated: every CHECK, NOT NULL, FOREIGN KEY and UNIQUE constraint of claude.identities that row r (previously o, null on insert) fails, as a JSON error list; foreign keys and unique keys are checked only when their columns change.';


--
-- Name: computed_completion(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.computed_completion(feature_id uuid) RETURNS integer
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    total bigint;
    done bigint;
BEGIN
    SELECT count(*) FILTER (WHERE c.status <> 'deprecated'),
           count(*) FILTER (WHERE c.status IN ('completed', 'tested', 'documented'))
      INTO total, done
      FROM claude.components c WHERE c.feature_id = computed_completion.feature_id;
    IF total > 0 THEN
        RETURN round(100.0 * done / total);
    END IF;
    SELECT count(*) FILTER (WHERE t.status <> 'cancelled'),
           count(*) FILTER (WHERE t.status = 'completed')
      INTO total, done
      FROM claude.build_tasks t WHERE t.feature_id = computed_completion.feature_id;
    IF total > 0 THEN
        RETURN round(100.0 * done / total);
    END IF;
    RETURN NULL;
END
$$;


ALTER FUNCTION claude.computed_completion(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION computed_completion(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.computed_completion(feature_id uuid) IS 'The roll-up rule: rounded share of non-deprecated components that are completed/tested/documented; without such components, of non-cancelled tasks that are completed; null without either (the value is then set by hand).';


--
-- Name: comments; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.comments (
    comment_id uuid DEFAULT gen_random_uuid() NOT NULL,
    entity_type text NOT NULL,
    entity_id uuid NOT NULL,
    body text NOT NULL,
    actor text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chk_comment_actor_length CHECK ((char_length(actor) <= 255)),
    CONSTRAINT chk_comment_body_length CHECK (((char_length(btrim(body, ' 	
v'::text)) >= 1) AND (char_length(btrim(body, ' 	
v'::text)) <= 10000))),
    CONSTRAINT chk_comment_entity_type CHECK ((entity_type = ANY (ARRAY['project'::text, 'feature'::text, 'component'::text, 'build_task'::text, 'requirement'::text])))
);


ALTER TABLE claude.comments OWNER TO buildtracker_owner;

--
-- Name: TABLE comments; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.comments IS 'Comments on projects, features, components, tasks and requirements: append-only, each logged in the feed as commented (with the body''s SHA-256). No foreign key: like the feed, a comment outlives what it is about.';


--
-- Name: COLUMN comments.comment_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.comments.comment_id IS 'Primary key.';


--
-- Name: COLUMN comments.entity_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.comments.entity_type IS 'What the comment is about: project, feature, component, build_task or requirement.';


--
-- Name: COLUMN comments.entity_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.comments.entity_id IS 'The id of that entity (it must exist when the comment is written).';


--
-- Name: COLUMN comments.body; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.comments.body IS 'The text, 1-10000 characters (not counting surrounding blanks).';


--
-- Name: COLUMN comments.actor; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.comments.actor IS 'Who wrote it (the call''s actor, else the session user).';


--
-- Name: COLUMN comments.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.comments.created_at IS 'When it was written.';


--
-- Name: CONSTRAINT chk_comment_actor_length ON comments; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_comment_actor_length ON claude.comments IS 'actor must be at most 255 characters';


--
-- Name: CONSTRAINT chk_comment_body_length ON comments; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_comment_body_length ON claude.comments IS 'body must be 1-10000 characters (not counting surrounding blanks)';


--
-- Name: CONSTRAINT chk_comment_entity_type ON comments; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_comment_entity_type ON claude.comments IS 'entity_type must be one of project, feature, component, build_task, requirement';


--
-- Name: requirements; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.requirements (
    requirement_id uuid DEFAULT gen_random_uuid() NOT NULL,
    feature_id uuid NOT NULL,
    requirement_name text NOT NULL,
    requirement_type text NOT NULL,
    description text,
    acceptance_criteria text[] DEFAULT '{}'::text[] NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    priority integer DEFAULT 5 NOT NULL,
    must_have boolean DEFAULT false NOT NULL,
    implemented_by_component_id uuid,
    verified_at timestamp with time zone,
    verified_by_test_run_id uuid,
    created_by_identity_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chk_requirement_name_length CHECK ((char_length(requirement_name) <= 255)),
    CONSTRAINT chk_requirement_priority CHECK (((priority >= 1) AND (priority <= 10))),
    CONSTRAINT chk_requirement_status CHECK ((status = ANY (ARRAY['draft'::text, 'defined'::text, 'approved'::text, 'implemented'::text, 'verified'::text, 'rejected'::text]))),
    CONSTRAINT chk_requirement_type CHECK ((requirement_type = ANY (ARRAY['ui'::text, 'api'::text, 'data'::text, 'integration'::text, 'functional'::text, 'performance'::text, 'security'::text, 'usability'::text, 'accessibility'::text, 'compliance'::text, 'config'::text, 'deployment'::text]))),
    CONSTRAINT chk_requirements_must_have_not_rejected CHECK ((NOT (must_have AND (status = 'rejected'::text)))),
    CONSTRAINT chk_requirements_verified_at CHECK (((status = 'verified'::text) = (verified_at IS NOT NULL)))
);


ALTER TABLE claude.requirements OWNER TO buildtracker_owner;

--
-- Name: TABLE requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.requirements IS 'Something a feature must meet, with acceptance criteria; must-have ones gate the feature''s completion.';


--
-- Name: COLUMN requirements.requirement_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.requirement_id IS 'Primary key.';


--
-- Name: COLUMN requirements.feature_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.feature_id IS 'The feature this requirement belongs to; deleting the feature deletes it.';


--
-- Name: COLUMN requirements.requirement_name; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.requirement_name IS 'Name (at least 5 characters when written).';


--
-- Name: COLUMN requirements.requirement_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.requirement_type IS 'Kind: ui, api, data, integration, functional, performance, security, usability, accessibility, compliance, config, deployment.';


--
-- Name: COLUMN requirements.description; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.description IS 'What is required (at least 20 characters when written; more than 50 to approve).';


--
-- Name: COLUMN requirements.acceptance_criteria; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.acceptance_criteria IS 'Testable criteria: at least one, none empty (three to approve).';


--
-- Name: COLUMN requirements.status; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.status IS 'Workflow status: draft, defined, approved, implemented, verified, rejected.';


--
-- Name: COLUMN requirements.priority; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.priority IS '1 (highest) to 10 (lowest); default 5.';


--
-- Name: COLUMN requirements.must_have; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.must_have IS 'A must-have requirement gates feature completion and can never be rejected.';


--
-- Name: COLUMN requirements.implemented_by_component_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.implemented_by_component_id IS 'The component that implements it; set to null when that component is deleted.';


--
-- Name: COLUMN requirements.verified_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.verified_at IS 'When it was verified (set by the database); set exactly when verified.';


--
-- Name: COLUMN requirements.verified_by_test_run_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.verified_by_test_run_id IS 'Identifier of the test run that verified it, when given.';


--
-- Name: COLUMN requirements.created_by_identity_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.created_by_identity_id IS 'Who wrote the requirement; required when written.';


--
-- Name: COLUMN requirements.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.created_at IS 'When the row was inserted (set by the database).';


--
-- Name: COLUMN requirements.updated_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.requirements.updated_at IS 'When the row was last written (set by the database).';


--
-- Name: CONSTRAINT chk_requirement_name_length ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_requirement_name_length ON claude.requirements IS 'requirement_name must be at most 255 characters';


--
-- Name: CONSTRAINT chk_requirement_priority ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_requirement_priority ON claude.requirements IS 'priority must be between 1 and 10';


--
-- Name: CONSTRAINT chk_requirement_status ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_requirement_status ON claude.requirements IS 'status must be one of draft, defined, approved, implemented, verified, rejected';


--
-- Name: CONSTRAINT chk_requirement_type ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_requirement_type ON claude.requirements IS 'requirement_type must be one of ui, api, data, integration, functional, performance, security, usability, accessibility, compliance, config, deployment';


--
-- Name: CONSTRAINT chk_requirements_must_have_not_rejected ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_requirements_must_have_not_rejected ON claude.requirements IS 'a must-have requirement cannot be rejected';


--
-- Name: CONSTRAINT chk_requirements_verified_at ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_requirements_verified_at ON claude.requirements IS 'verified_at must be set exactly when verified';


--
-- Name: task_dependencies; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.task_dependencies (
    task_id uuid NOT NULL,
    depends_on_task_id uuid NOT NULL,
    kind text DEFAULT 'blocks'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    actor text,
    CONSTRAINT chk_dependency_actor_length CHECK ((char_length(actor) <= 255)),
    CONSTRAINT chk_dependency_kind CHECK ((kind = ANY (ARRAY['blocks'::text, 'related'::text, 'discovered_from'::text]))),
    CONSTRAINT chk_dependency_not_self CHECK ((task_id <> depends_on_task_id))
);


ALTER TABLE claude.task_dependencies OWNER TO buildtracker_owner;

--
-- Name: TABLE task_dependencies; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.task_dependencies IS 'Typed edges between tasks: task_id depends on depends_on_task_id. blocks edges decide readiness and never form a cycle.';


--
-- Name: COLUMN task_dependencies.task_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.task_dependencies.task_id IS 'The dependent task.';


--
-- Name: COLUMN task_dependencies.depends_on_task_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.task_dependencies.depends_on_task_id IS 'The task it depends on.';


--
-- Name: COLUMN task_dependencies.kind; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.task_dependencies.kind IS 'blocks (the task waits for it), related, discovered_from (found while working on it).';


--
-- Name: COLUMN task_dependencies.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.task_dependencies.created_at IS 'When the edge was added.';


--
-- Name: COLUMN task_dependencies.actor; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.task_dependencies.actor IS 'Who added it.';


--
-- Name: CONSTRAINT chk_dependency_actor_length ON task_dependencies; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_dependency_actor_length ON claude.task_dependencies IS 'actor must be at most 255 characters';


--
-- Name: CONSTRAINT chk_dependency_kind ON task_dependencies; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_dependency_kind ON claude.task_dependencies IS 'kind must be one of blocks, related, discovered_from';


--
-- Name: CONSTRAINT chk_dependency_not_self ON task_dependencies; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_dependency_not_self ON claude.task_dependencies IS 'a task cannot depend on itself';


--
-- Name: check_invariants(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_invariants() RETURNS TABLE(invariant text, entity text, entity_id uuid, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    BEGIN ATOMIC
 SELECT 'completion_rollup'::text,
     'feature'::text,
     f.feature_id,
     format('completion_percentage is %s, recomputed %s'::text, f.completion_percentage, r.expected) AS format
    FROM (claude.features f
      CROSS JOIN LATERAL ( SELECT claude.computed_completion(f.feature_id) AS expected) r)
   WHERE ((r.expected IS NOT NULL) AND (r.expected <> f.completion_percentage))
 UNION ALL
  SELECT 'feature_parent_cycle'::text,
     'feature'::text,
     cyc.feature_id,
     'the feature is its own ancestor'::text
    FROM ( WITH RECURSIVE walk(start_id, current_id, depth) AS (
                  SELECT f.feature_id,
                     f.parent_feature_id,
                     1 AS "?column?"
                    FROM claude.features f
                   WHERE (f.parent_feature_id IS NOT NULL)
                 UNION ALL
                  SELECT w.start_id,
                     p.parent_feature_id,
                     (w.depth + 1)
                    FROM (walk w
                      JOIN claude.features p ON ((p.feature_id = w.current_id)))
                   WHERE ((w.current_id <> w.start_id) AND (w.depth < 10000) AND (p.parent_feature_id IS NOT NULL))
                 )
          SELECT DISTINCT walk.start_id AS feature_id
            FROM walk
           WHERE (walk.current_id = walk.start_id)) cyc
 UNION ALL
  SELECT 'task_dependency_cycle'::text,
     'build_task'::text,
     cyc.task_id,
     'the task waits on itself (a cycle of blocks dependencies)'::text
    FROM ( WITH RECURSIVE edges(task_id, depends_on_task_id) AS (
                  SELECT d.task_id,
                     d.depends_on_task_id
                    FROM claude.task_dependencies d
                   WHERE (d.kind = 'blocks'::text)
                 UNION
                  SELECT t.task_id,
                     t.blocked_by_task_id
                    FROM claude.build_tasks t
                   WHERE (t.blocked_by_task_id IS NOT NULL)
                 ), walk(start_id, current_id) AS (
                  SELECT e.task_id,
                     e.depends_on_task_id
                    FROM edges e
                 UNION
                  SELECT w.start_id,
                     e.depends_on_task_id
                    FROM (walk w
                      JOIN edges e ON ((e.task_id = w.current_id)))
                   WHERE (w.current_id <> w.start_id)
                 )
          SELECT DISTINCT walk.start_id AS task_id
            FROM walk
           WHERE (walk.current_id = walk.start_id)) cyc
 UNION ALL
  SELECT 'blocked_by_edge'::text,
     'build_task'::text,
     t.task_id,
     'blocked_by_task_id has no blocks edge in task_dependencies'::text
    FROM claude.build_tasks t
   WHERE ((t.blocked_by_task_id IS NOT NULL) AND (NOT (EXISTS ( SELECT 1
            FROM claude.task_dependencies d
           WHERE ((d.task_id = t.task_id) AND (d.depends_on_task_id = t.blocked_by_task_id) AND (d.kind = 'blocks'::text))))))
 UNION ALL
  SELECT 'lease_in_progress'::text,
     'build_task'::text,
     t.task_id,
     format('status %s holds a lease until %s'::text, t.status, t.lease_expires_at) AS format
    FROM claude.build_tasks t
   WHERE ((t.lease_expires_at IS NOT NULL) AND (t.status <> 'in_progress'::text))
 UNION ALL
  SELECT 'task_component_feature'::text,
     'build_task'::text,
     t.task_id,
     'the task''s component belongs to another feature'::text
    FROM (claude.build_tasks t
      JOIN claude.components c ON ((c.component_id = t.component_id)))
   WHERE (c.feature_id <> t.feature_id)
 UNION ALL
  SELECT 'feature_dates'::text,
     'feature'::text,
     f.feature_id,
     format('status %s, started %s, completed %s'::text, f.status, f.started_date, f.completed_date) AS format
    FROM claude.features f
   WHERE (((f.status = ANY (ARRAY['not_started'::text, 'planned'::text])) AND (f.started_date IS NOT NULL)) OR ((f.status = ANY (ARRAY['in_progress'::text, 'blocked'::text, 'on_hold'::text, 'completed'::text])) AND (f.started_date IS NULL)) OR ((f.status = 'completed'::text) <> (f.completed_date IS NOT NULL)) OR (f.completed_date < f.started_date))
 UNION ALL
  SELECT 'task_dates'::text,
     'build_task'::text,
     t.task_id,
     format('status %s, started %s, completed %s'::text, t.status, t.started_at, t.completed_at) AS format
    FROM claude.build_tasks t
   WHERE (((t.status = 'todo'::text) AND (t.started_at IS NOT NULL)) OR ((t.status = ANY (ARRAY['in_progress'::text, 'blocked'::text, 'review'::text, 'completed'::text])) AND (t.started_at IS NULL)) OR ((t.status = 'completed'::text) <> (t.completed_at IS NOT NULL)) OR (t.completed_at < t.started_at))
 UNION ALL
  SELECT 'component_dates'::text,
     'component'::text,
     c.component_id,
     format('status %s, implemented %s'::text, c.status, c.implemented_at) AS format
    FROM claude.components c
   WHERE (((c.status = ANY (ARRAY['planned'::text, 'in_progress'::text])) AND (c.implemented_at IS NOT NULL)) OR ((c.status = ANY (ARRAY['completed'::text, 'tested'::text, 'documented'::text])) AND (c.implemented_at IS NULL)))
 UNION ALL
  SELECT 'requirement_dates'::text,
     'requirement'::text,
     r.requirement_id,
     format('status %s, verified %s'::text, r.status, r.verified_at) AS format
    FROM claude.requirements r
   WHERE ((r.status = 'verified'::text) <> (r.verified_at IS NOT NULL))
 UNION ALL
  SELECT 'creation_logged'::text,
     e.kind,
     e.id,
     'no created row in the activity feed'::text
    FROM ( SELECT 'feature'::text AS kind,
             f.feature_id AS id
            FROM claude.features f
         UNION ALL
          SELECT 'component'::text,
             c.component_id
            FROM claude.components c
         UNION ALL
          SELECT 'build_task'::text,
             t.task_id
            FROM claude.build_tasks t
         UNION ALL
          SELECT 'requirement'::text,
             r.requirement_id
            FROM claude.requirements r) e
   WHERE (NOT (EXISTS ( SELECT 1
            FROM claude.activity_feed a
           WHERE ((a.source_type = e.kind) AND (a.source_id = e.id) AND (a.activity_type = 'created'::text)))))
 UNION ALL
  SELECT 'activity_unaltered'::text,
     'activity'::text,
     a.id,
     'the row does not match its checksum'::text
    FROM claude.activity_feed a
   WHERE (a.checksum IS DISTINCT FROM claude.activity_checksum(a.*))
 UNION ALL
  SELECT 'comment_unaltered'::text,
     'comment'::text,
     c.comment_id,
     'the comment does not match the body_sha256 of its commented feed row'::text
    FROM (claude.comments c
      JOIN claude.activity_feed a ON (((a.activity_type = 'commented'::text) AND (a.source_id = c.entity_id) AND (((a.changes ->> 'comment_id'::text))::uuid = c.comment_id))))
   WHERE ((a.changes ->> 'body_sha256'::text) IS DISTINCT FROM encode(sha256(convert_to(c.body, 'UTF8'::name)), 'hex'::text))
 UNION ALL
  SELECT 'comment_unaltered'::text,
     'comment'::text,
     ((a.changes ->> 'comment_id'::text))::uuid AS uuid,
     'the feed has a commented row whose comment is gone'::text
    FROM claude.activity_feed a
   WHERE ((a.activity_type = 'commented'::text) AND (NOT (EXISTS ( SELECT 1
            FROM claude.comments c
           WHERE (c.comment_id = ((a.changes ->> 'comment_id'::text))::uuid)))))
 UNION ALL
  SELECT 'comment_logged'::text,
     'comment'::text,
     c.comment_id,
     'no commented row in the activity feed'::text
    FROM claude.comments c
   WHERE ((c.created_at >= ( SELECT min(a.created_at) AS min
            FROM claude.activity_feed a)) AND (NOT (EXISTS ( SELECT 1
            FROM claude.activity_feed a
           WHERE ((a.activity_type = 'commented'::text) AND (a.source_id = c.entity_id) AND (((a.changes ->> 'comment_id'::text))::uuid = c.comment_id))))));
END;


ALTER FUNCTION claude.check_invariants() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_invariants(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_invariants() IS 'Every violation of the SPEC''s invariants: roll-up equals recomputation, no parent cycles and no cycle of blocks dependencies, blocked_by_task_id kept as a blocks edge, leases only on in_progress tasks, timestamps consistent with statuses, every entity has its creation row in the feed, no activity row altered, every comment unaltered and logged. Empty when all hold.';


--
-- Name: check_projects_constraints(claude.projects, claude.projects); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_projects_constraints(r claude.projects, o claude.projects) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
-- Generated by claude.build_constraint_checkers() from the constraints of
-- claude.projects; do not edit, re-run the builder after changing a constraint.
DECLARE
    failed integer[];
BEGIN
    -- every NOT NULL and CHECK constraint, over the row's columns, in one pass
    -- (a CHECK passes on null, as in PostgreSQL)
    SELECT array_remove(ARRAY[
               CASE WHEN t.project_id IS NULL THEN 1 END,
               CASE WHEN t.project_name IS NULL THEN 2 END,
               CASE WHEN t.created_at IS NULL THEN 3 END,
               CASE WHEN t.updated_at IS NULL THEN 4 END,
               CASE WHEN ((char_length(project_name) <= 255)) IS FALSE THEN 5 END,
               CASE WHEN ((btrim(project_name, ' 	
v'::text) <> ''::text)) IS FALSE THEN 6 END
           ], NULL)
      INTO failed
      FROM (SELECT r.*) AS t;
    -- the common case: every value check passes and no key column changed,
    -- so none of the key checks below can fire
    IF cardinality(failed) = 0
       AND NOT (o IS NULL OR (r.project_name) IS DISTINCT FROM (o.project_name)) THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN CASE WHEN cardinality(failed) = 0 THEN '[]'::jsonb ELSE (
               SELECT jsonb_agg(jsonb_build_object('field', m.field, 'message', m.message, 'code', '23514') ORDER BY m.n)
                 FROM (VALUES (1, 'project_id', 'project_id is required'),
                             (2, 'project_name', 'project_name is required'),
                             (3, 'created_at', 'created_at is required'),
                             (4, 'updated_at', 'updated_at is required'),
                             (5, 'project_name', 'project_name must be at most 255 characters'),
                             (6, 'project_name', 'project_name must not be blank')) AS m(n, field, message)
                WHERE m.n = ANY (failed)) END
        || COALESCE(CASE WHEN (o IS NULL OR (r.project_name) IS DISTINCT FROM (o.project_name))
                              AND EXISTS (SELECT 1 FROM claude.projects AS x
                                           WHERE (x.project_name) = (r.project_name) AND x.project_id <> r.project_id)
                            THEN claude.err('project_name', 'project_name is already used by another project') END, '[]');
END
$$;


ALTER FUNCTION claude.check_projects_constraints(r claude.projects, o claude.projects) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_projects_constraints(r claude.projects, o claude.projects); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_projects_constraints(r claude.projects, o claude.projects) IS 'Generated: every CHECK, NOT NULL, FOREIGN KEY and UNIQUE constraint of claude.projects that row r (previously o, null on insert) fails, as a JSON error list; foreign keys and unique keys are checked only when their columns change.';


--
-- Name: check_requirements_constraints(claude.requirements, claude.requirements); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_requirements_constraints(r claude.requirements, o claude.requirements) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
-- Generated by claude.build_constraint_checkers() from the constraints of
-- claude.requirements; do not edit, re-run the builder after changing a constraint.
DECLARE
    failed integer[];
BEGIN
    -- every NOT NULL and CHECK constraint, over the row's columns, in one pass
    -- (a CHECK passes on null, as in PostgreSQL)
    SELECT array_remove(ARRAY[
               CASE WHEN t.requirement_id IS NULL THEN 1 END,
               CASE WHEN t.feature_id IS NULL THEN 2 END,
               CASE WHEN t.requirement_name IS NULL THEN 3 END,
               CASE WHEN t.requirement_type IS NULL THEN 4 END,
               CASE WHEN t.acceptance_criteria IS NULL THEN 5 END,
               CASE WHEN t.status IS NULL THEN 6 END,
               CASE WHEN t.priority IS NULL THEN 7 END,
               CASE WHEN t.must_have IS NULL THEN 8 END,
               CASE WHEN t.created_at IS NULL THEN 9 END,
               CASE WHEN t.updated_at IS NULL THEN 10 END,
               CASE WHEN ((char_length(requirement_name) <= 255)) IS FALSE THEN 11 END,
               CASE WHEN (((priority >= 1) AND (priority <= 10))) IS FALSE THEN 12 END,
               CASE WHEN ((status = ANY (ARRAY['draft'::text, 'defined'::text, 'approved'::text, 'implemented'::text, 'verified'::text, 'rejected'::text]))) IS FALSE THEN 13 END,
               CASE WHEN ((requirement_type = ANY (ARRAY['ui'::text, 'api'::text, 'data'::text, 'integration'::text, 'functional'::text, 'performance'::text, 'security'::text, 'usability'::text, 'accessibility'::text, 'compliance'::text, 'config'::text, 'deployment'::text]))) IS FALSE THEN 14 END,
               CASE WHEN ((NOT (must_have AND (status = 'rejected'::text)))) IS FALSE THEN 15 END,
               CASE WHEN (((status = 'verified'::text) = (verified_at IS NOT NULL))) IS FALSE THEN 16 END
           ], NULL)
      INTO failed
      FROM (SELECT r.*) AS t;
    -- the common case: every value check passes and no key column changed,
    -- so none of the key checks below can fire
    IF cardinality(failed) = 0
       AND NOT (r.implemented_by_component_id IS NOT NULL AND (o IS NULL OR r.implemented_by_component_id IS DISTINCT FROM o.implemented_by_component_id))
       AND NOT (r.created_by_identity_id IS NOT NULL AND (o IS NULL OR r.created_by_identity_id IS DISTINCT FROM o.created_by_identity_id))
       AND NOT (r.feature_id IS NOT NULL AND (o IS NULL OR r.feature_id IS DISTINCT FROM o.feature_id)) THEN
        RETURN '[]'::jsonb;
    END IF;
    RETURN CASE WHEN cardinality(failed) = 0 THEN '[]'::jsonb ELSE (
               SELECT jsonb_agg(jsonb_build_object('field', m.field, 'message', m.message, 'code', '23514') ORDER BY m.n)
                 FROM (VALUES (1, 'requirement_id', 'requirement_id is required'),
                             (2, 'feature_id', 'feature_id is required'),
                             (3, 'requirement_name', 'requirement_name is required'),
                             (4, 'requirement_type', 'requirement_type is required'),
                             (5, 'acceptance_criteria', 'acceptance_criteria is required'),
                             (6, 'status', 'status is required'),
                             (7, 'priority', 'priority is required'),
                             (8, 'must_have', 'must_have is required'),
                             (9, 'created_at', 'created_at is required'),
                             (10, 'updated_at', 'updated_at is required'),
                             (11, 'requirement_name', 'requirement_name must be at most 255 characters'),
                             (12, 'priority', 'priority must be between 1 and 10'),
                             (13, 'status', 'status must be one of draft, defined, approved, implemented, verified, rejected'),
                             (14, 'requirement_type', 'requirement_type must be one of ui, api, data, integration, functional, performance, security, usability, accessibility, compliance, config, deployment'),
                             (15, 'must_have', 'a must-have requirement cannot be rejected'),
                             (16, 'status', 'verified_at must be set exactly when verified')) AS m(n, field, message)
                WHERE m.n = ANY (failed)) END
        || COALESCE(CASE WHEN r.implemented_by_component_id IS NOT NULL AND (o IS NULL OR r.implemented_by_component_id IS DISTINCT FROM o.implemented_by_component_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.components AS x WHERE x.component_id = r.implemented_by_component_id)
                            THEN claude.err('implemented_by_component_id', 'implemented_by_component_id does not name an existing component', '23503') END, '[]')
        || COALESCE(CASE WHEN r.created_by_identity_id IS NOT NULL AND (o IS NULL OR r.created_by_identity_id IS DISTINCT FROM o.created_by_identity_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.identities AS x WHERE x.identity_id = r.created_by_identity_id)
                            THEN claude.err('created_by_identity_id', 'created_by_identity_id does not name an existing identity', '23503') END, '[]')
        || COALESCE(CASE WHEN r.feature_id IS NOT NULL AND (o IS NULL OR r.feature_id IS DISTINCT FROM o.feature_id)
                              AND NOT EXISTS (SELECT 1 FROM claude.features AS x WHERE x.feature_id = r.feature_id)
                            THEN claude.err('feature_id', 'feature_id does not name an existing feature', '23503') END, '[]');
END
$$;


ALTER FUNCTION claude.check_requirements_constraints(r claude.requirements, o claude.requirements) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_requirements_constraints(r claude.requirements, o claude.requirements); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_requirements_constraints(r claude.requirements, o claude.requirements) IS 'Generated: every CHECK, NOT NULL, FOREIGN KEY and UNIQUE constraint of claude.requirements that row r (previously o, null on insert) fails, as a JSON error list; foreign keys and unique keys are checked only when their columns change.';


--
-- Name: project_name_of(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.project_name_of(feature_id uuid) RETURNS text
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    name text;
BEGIN
    SELECT p.project_name INTO name
      FROM claude.features f JOIN claude.projects p ON p.project_id = f.project_id
     WHERE f.feature_id = project_name_of.feature_id;
    IF NOT FOUND THEN
        -- the feature is being deleted in this statement (cascade): its history knows
        SELECT a.project_name INTO name
          FROM claude.activity_feed a
         WHERE a.source_type = 'feature' AND a.source_id = project_name_of.feature_id AND a.project_name IS NOT NULL
         ORDER BY a.created_at DESC LIMIT 1;
    END IF;
    RETURN name;
END
$$;


ALTER FUNCTION claude.project_name_of(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION project_name_of(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.project_name_of(feature_id uuid) IS 'Project name of a feature, also while the feature is being deleted (taken from its history then).';


--
-- Name: check_stale_tasks(interval); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_stale_tasks(older_than interval DEFAULT '7 days'::interval) RETURNS TABLE(task_id uuid, task_name text, assigned_to_identity_id uuid, started_at timestamp with time zone, feature_id uuid, project_name text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    BEGIN ATOMIC
 SELECT t.task_id,
     t.task_name,
     t.assigned_to_identity_id,
     t.started_at,
     t.feature_id,
     claude.project_name_of(t.feature_id) AS project_name_of
    FROM claude.build_tasks t
   WHERE ((t.status = 'in_progress'::text) AND (t.started_at < (now() - COALESCE(check_stale_tasks.older_than, '7 days'::interval))))
   ORDER BY t.started_at;
END;


ALTER FUNCTION claude.check_stale_tasks(older_than interval) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_stale_tasks(older_than interval); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_stale_tasks(older_than interval) IS 'Tasks in_progress for longer than older_than (default 7 days), oldest first.';


--
-- Name: check_task_dependencies_constraints(claude.task_dependencies); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_task_dependencies_constraints(n claude.task_dependencies) RETURNS jsonb
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


ALTER FUNCTION claude.check_task_dependencies_constraints(n claude.task_dependencies) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_task_dependencies_constraints(n claude.task_dependencies); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_task_dependencies_constraints(n claude.task_dependencies) IS 'Every constraint of a new dependency, named: kind, no self-edge, both tasks exist.';


--
-- Name: check_unblocked_tasks(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.check_unblocked_tasks() RETURNS TABLE(task_id uuid, task_name text, blocked_by_task_id uuid, blocker_name text, blocker_status text, feature_id uuid, project_name text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    BEGIN ATOMIC
 SELECT t.task_id,
     t.task_name,
     t.blocked_by_task_id,
     b.task_name,
     b.status,
     t.feature_id,
     claude.project_name_of(t.feature_id) AS project_name_of
    FROM (claude.build_tasks t
      JOIN claude.build_tasks b ON ((b.task_id = t.blocked_by_task_id)))
   WHERE ((t.status = 'blocked'::text) AND (b.status = ANY (ARRAY['completed'::text, 'cancelled'::text])))
   ORDER BY t.priority, t.created_at;
END;


ALTER FUNCTION claude.check_unblocked_tasks() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION check_unblocked_tasks(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.check_unblocked_tasks() IS 'Blocked tasks whose blocking task is now completed or cancelled: someone should unblock them.';


--
-- Name: claim_next_task(uuid, uuid, uuid, text[], interval, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.claim_next_task(identity_id uuid, project_id uuid DEFAULT NULL::uuid, feature_id uuid DEFAULT NULL::uuid, labels text[] DEFAULT NULL::text[], lease interval DEFAULT '00:30:00'::interval, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    length interval := claude.lease_length(claim_next_task.lease);
    ready text;
    best_ready integer;
    picked claude.build_tasks;
    expired claude.build_tasks;
BEGIN
    IF identity_id IS NULL THEN
        PERFORM claude.raise_errors(claude.err('identity_id', 'identity_id is required to claim a task'), 'cannot claim a task');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM claude.identities i WHERE i.identity_id = claim_next_task.identity_id) THEN
        PERFORM claude.raise_errors(claude.err('identity_id', 'identity_id does not name an existing identity', '23503'),
                                    'cannot claim a task');
    END IF;
    -- a task assigned to someone else is theirs: claim only unassigned ones or our own
    ready := claude.ready_tasks_query(claim_next_task.feature_id, NULL, claim_next_task.project_id, claim_next_task.labels)
             || ' AND (t.assigned_to_identity_id IS NULL OR t.assigned_to_identity_id = $4)'
             || ' ORDER BY t.priority, t.created_at, t.task_id LIMIT 1';
    -- An in_progress task whose lease has expired is abandoned work, taken
    -- over when it comes first by priority (before a ready task of equal
    -- priority: it was started earlier). Only when there is one (an index
    -- probe), the best ready priority is read without a lock, so a claim
    -- never holds a ready task it passes over.
    IF claude.expired_lease_exists(claim_next_task.feature_id, claim_next_task.project_id, claim_next_task.labels) THEN
        EXECUTE 'SELECT r.priority FROM (' || ready || ') r'
           INTO best_ready
          USING claim_next_task.feature_id, NULL::uuid, claim_next_task.project_id, claim_next_task.identity_id,
                claim_next_task.labels;
        EXECUTE 'SELECT t.* FROM claude.build_tasks t
                  WHERE t.status = ''in_progress'' AND t.lease_expires_at < now()'
                || claude.task_filters(claim_next_task.feature_id, NULL, claim_next_task.project_id, claim_next_task.labels)
                || ' AND ($4::integer IS NULL OR t.priority <= $4)'
                || ' ORDER BY t.priority, t.lease_expires_at, t.task_id LIMIT 1 FOR UPDATE OF t SKIP LOCKED'
           INTO expired
          USING claim_next_task.feature_id, NULL::uuid, claim_next_task.project_id, best_ready,
                claim_next_task.labels;
    END IF;
    IF expired.task_id IS NOT NULL THEN
        -- logged as reclaimed (claude.log_entity_activity), naming the previous assignee
        RETURN jsonb_set(jsonb_set(jsonb_set(claude.start_locked_task(expired, claim_next_task.identity_id, now() + length, actor),
                                             '{metadata,claimed}', 'true'),
                                   '{metadata,reclaimed}', 'true'),
                         -- the claimer's own expired lease renewed: nothing taken from anyone
                         '{metadata,reclaimed_from_identity_id}',
                         CASE WHEN expired.assigned_to_identity_id IS DISTINCT FROM claim_next_task.identity_id
                              THEN COALESCE(to_jsonb(expired.assigned_to_identity_id), 'null') ELSE 'null' END);
    END IF;
    -- SKIP LOCKED: concurrent claimers pass over each other's picks, so no
    -- task is handed out twice and nobody waits.
    EXECUTE ready || ' FOR UPDATE OF t SKIP LOCKED'
       INTO picked
      USING claim_next_task.feature_id, NULL::uuid, claim_next_task.project_id, claim_next_task.identity_id,
            claim_next_task.labels;
    IF picked.task_id IS NULL THEN
        RETURN claude.envelope(NULL, '{}', jsonb_build_object('claimed', false));
    END IF;
    RETURN jsonb_set(jsonb_set(jsonb_set(claude.start_locked_task(picked, claim_next_task.identity_id, now() + length, actor),
                                         '{metadata,claimed}', 'true'),
                               '{metadata,reclaimed}', 'false'),
                     '{metadata,reclaimed_from_identity_id}', 'null');
END
$_$;


ALTER FUNCTION claude.claim_next_task(identity_id uuid, project_id uuid, feature_id uuid, labels text[], lease interval, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION claim_next_task(identity_id uuid, project_id uuid, feature_id uuid, labels text[], lease interval, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.claim_next_task(identity_id uuid, project_id uuid, feature_id uuid, labels text[], lease interval, actor text) IS 'Atomically picks the highest-priority ready task (optionally of a project or feature, carrying all the given labels) that is unassigned or assigned to identity_id, or an in_progress task whose lease has expired (logged as reclaimed), and starts it for identity_id holding it for lease (1 second to 1 day, default 30 minutes); safe for many agents at once. data is null when nothing is claimable. Metadata: claimed, reclaimed (an expired lease taken over, even the claimer''s own), reclaimed_from_identity_id (the previous holder when another identity), active_tasks_count. Errors: 23514, 23503.';


--
-- Name: closed_feature_error(text, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.closed_feature_error(field text, joiner text, feature_status text) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
    -- a finished feature would silently stop passing its own completion gate
    IF feature_status IN ('completed', 'cancelled') THEN
        RETURN claude.err(field, format('%s cannot be added to a %s feature', joiner, feature_status), '55000');
    END IF;
    RETURN '[]'::jsonb;
END
$$;


ALTER FUNCTION claude.closed_feature_error(field text, joiner text, feature_status text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION closed_feature_error(field text, joiner text, feature_status text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.closed_feature_error(field text, joiner text, feature_status text) IS 'The one rule "nothing joins a completed or cancelled feature", for the four rule triggers: a 55000 error on field when feature_status is completed or cancelled (joiner says what was joining: "a task", ...), else an empty list.';


--
-- Name: comment_feed_partition_indexes(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.comment_feed_partition_indexes() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    index record;
    commented integer := 0;
BEGIN
    -- a partition's copy of an index says what the feed's index says
    FOR index IN
        SELECT c.relname, obj_description(i.inhparent, 'pg_class') AS comment
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid AND c.relkind = 'i'
         WHERE i.inhparent IN (SELECT x.indexrelid FROM pg_index x WHERE x.indrelid = 'claude.activity_feed'::regclass)
           AND obj_description(i.inhparent, 'pg_class') IS DISTINCT FROM obj_description(c.oid, 'pg_class')
    LOOP
        EXECUTE format('COMMENT ON INDEX claude.%I IS %L', index.relname, index.comment);
        commented := commented + 1;
    END LOOP;
    RETURN commented;
END
$$;


ALTER FUNCTION claude.comment_feed_partition_indexes() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION comment_feed_partition_indexes(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.comment_feed_partition_indexes() IS 'Gives each partition''s copy of a feed index the comment of the feed''s index; returns how many it set.';


--
-- Name: complete_component(uuid, text[], text, integer, boolean, numeric, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.complete_component(component_id uuid, actual_functions text[] DEFAULT NULL::text[], file_path text DEFAULT NULL::text, lines_of_code integer DEFAULT NULL::integer, has_tests boolean DEFAULT NULL::boolean, test_coverage_percentage numeric DEFAULT NULL::numeric, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    before claude.components;
    after claude.components;
    feature_row claude.features;
BEGIN
    SELECT * INTO before FROM claude.components c WHERE c.component_id = complete_component.component_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('component', complete_component.component_id);
    END IF;
    PERFORM claude.require_status(format('component "%s"', before.component_name), before.status,
                                  claude.action_from_statuses('component', 'complete'), 'complete');
    PERFORM claude.begin_call(actor);
    UPDATE claude.components AS c
       SET status = 'completed',
           actual_functions = COALESCE(complete_component.actual_functions, c.actual_functions),
           file_path = COALESCE(complete_component.file_path, c.file_path),
           lines_of_code = COALESCE(complete_component.lines_of_code, c.lines_of_code),
           has_tests = COALESCE(complete_component.has_tests, c.has_tests),
           test_coverage_percentage = COALESCE(complete_component.test_coverage_percentage, c.test_coverage_percentage)
     WHERE c.component_id = complete_component.component_id
    RETURNING c.* INTO after;
    PERFORM claude.end_call();
    SELECT * INTO feature_row FROM claude.features f WHERE f.feature_id = after.feature_id;
    RETURN claude.envelope(to_jsonb(after), claude.component_completion_warnings(after), jsonb_build_object(
        'feature_completion_percentage', feature_row.completion_percentage,
        -- what complete_feature would say now: its status and its gate
        'feature_ready_to_complete', feature_row.status = ANY (claude.action_from_statuses('feature', 'complete'))
                                     AND cardinality(claude.feature_completion_failures(after.feature_id)) = 0));
END
$$;


ALTER FUNCTION claude.complete_component(component_id uuid, actual_functions text[], file_path text, lines_of_code integer, has_tests boolean, test_coverage_percentage numeric, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION complete_component(component_id uuid, actual_functions text[], file_path text, lines_of_code integer, has_tests boolean, test_coverage_percentage numeric, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.complete_component(component_id uuid, actual_functions text[], file_path text, lines_of_code integer, has_tests boolean, test_coverage_percentage numeric, actor text) IS 'Completes an in_progress component, recording what was built; warns on missing/extra functions, no tests, coverage under 80%. Metadata: feature_completion_percentage, feature_ready_to_complete. Errors: 23514, P0002, 55000.';


--
-- Name: update_feature_status(uuid, text, text, uuid, uuid, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.update_feature_status(feature_id uuid, new_status text, reason text DEFAULT NULL::text, implemented_by_identity_id uuid DEFAULT NULL::uuid, planned_by_identity_id uuid DEFAULT NULL::uuid, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    before claude.features;
    after claude.features;
BEGIN
    SELECT * INTO before FROM claude.features f WHERE f.feature_id = update_feature_status.feature_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', update_feature_status.feature_id);
    END IF;
    IF new_status IS NULL OR new_status = before.status THEN
        PERFORM claude.raise_errors(claude.err('status', COALESCE('the feature is already ' || new_status, 'new_status is required'),
                                               CASE WHEN new_status IS NULL THEN '23514' ELSE '55000' END),
            format('cannot change the status of feature "%s"', before.feature_name));
    END IF;
    PERFORM claude.begin_call(actor, reason);
    UPDATE claude.features AS f
       SET status = new_status,
           blocked_reason = CASE WHEN new_status IN ('blocked', 'on_hold') THEN reason ELSE f.blocked_reason END,
           cancellation_reason = CASE WHEN new_status = 'cancelled' THEN reason ELSE f.cancellation_reason END,
           implemented_by_identity_id = COALESCE(update_feature_status.implemented_by_identity_id, f.implemented_by_identity_id),
           planned_by_identity_id = COALESCE(update_feature_status.planned_by_identity_id, f.planned_by_identity_id)
     WHERE f.feature_id = update_feature_status.feature_id
    RETURNING f.* INTO after;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after), '{}', jsonb_build_object(
        'old_status', before.status, 'new_status', after.status,
        'completion_percentage', after.completion_percentage));
END
$$;


ALTER FUNCTION claude.update_feature_status(feature_id uuid, new_status text, reason text, implemented_by_identity_id uuid, planned_by_identity_id uuid, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION update_feature_status(feature_id uuid, new_status text, reason text, implemented_by_identity_id uuid, planned_by_identity_id uuid, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.update_feature_status(feature_id uuid, new_status text, reason text, implemented_by_identity_id uuid, planned_by_identity_id uuid, actor text) IS 'Moves a feature along its state machine; reason is the blocked/on-hold/cancellation reason or the resume note. Metadata: old_status, new_status, completion_percentage. Errors: 23514, 23503, P0002, 55000.';


--
-- Name: complete_feature(uuid, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.complete_feature(feature_id uuid, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    RETURN claude.update_feature_status(feature_id => feature_id, new_status => 'completed'::text, actor => actor);


ALTER FUNCTION claude.complete_feature(feature_id uuid, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION complete_feature(feature_id uuid, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.complete_feature(feature_id uuid, actor text) IS 'Completes a feature if the completion gate passes (every failing check is named in the 55000 error). Errors: P0002, 55000.';


--
-- Name: complete_task(uuid, numeric, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.complete_task(task_id uuid, actual_hours numeric, completion_notes text DEFAULT NULL::text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    allowed text[] := claude.action_from_statuses('build_task', 'complete');
    -- the column's type, converted here: an out-of-range value is refused
    -- (22003) whatever the task, not only when a plan happens to fold the
    -- conversion before finding no row
    hours numeric(8,2) := complete_task.actual_hours;
    after claude.build_tasks;
    accuracy numeric;
BEGIN
    PERFORM claude.begin_call(actor, completion_notes);
    -- one statement: the row changes only if the action applies to its status
    UPDATE claude.build_tasks AS t
       SET status = 'completed', actual_hours = hours,
           completion_notes = COALESCE(complete_task.completion_notes, t.completion_notes)
     WHERE t.task_id = complete_task.task_id
       AND t.status = ANY (allowed)
    RETURNING t.* INTO after;
    IF NOT FOUND THEN
        PERFORM claude.refuse_task_action(complete_task.task_id, allowed, 'complete');
    END IF;
    PERFORM claude.end_call();
    accuracy := round(after.actual_hours / NULLIF(after.estimated_hours, 0), 2);
    RETURN claude.envelope(to_jsonb(after),
        CASE WHEN after.actual_hours > 2 * after.estimated_hours
             THEN ARRAY[format('actual hours %s are more than twice the estimate of %s', after.actual_hours, after.estimated_hours)]
             ELSE '{}' END,
        jsonb_build_object(
            'estimate_accuracy', accuracy,
            -- the tasks that waited on it (blocks edges): todo ones now ready,
            -- blocked ones resumed by claude.auto_unblock, or still waiting on others
            'unblocked_tasks', COALESCE((SELECT jsonb_agg(jsonb_build_object('task_id', w.task_id, 'task_name', w.task_name,
                                                                             'status', w.status) ORDER BY w.priority, w.created_at)
                                           FROM claude.task_dependencies d JOIN claude.build_tasks w ON w.task_id = d.task_id
                                          WHERE d.depends_on_task_id = after.task_id AND d.kind = 'blocks'
                                            AND w.status IN ('todo', 'blocked', 'in_progress')
                                            AND claude.open_blockers(w.task_id) = '[]'::jsonb), '[]')));
END
$$;


ALTER FUNCTION claude.complete_task(task_id uuid, actual_hours numeric, completion_notes text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION complete_task(task_id uuid, actual_hours numeric, completion_notes text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.complete_task(task_id uuid, actual_hours numeric, completion_notes text, actor text) IS 'Completes an in_progress or review task with actual_hours > 0; warns when over twice the estimate. Metadata: estimate_accuracy (actual/estimated), unblocked_tasks (tasks that were waiting on it). Errors: 23514, P0002, 55000.';


--
-- Name: completion_class(text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.completion_class(table_name text, status text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ((table_name = 'components'::text) AND (status = ANY (ARRAY['completed'::text, 'tested'::text, 'documented'::text]))) THEN 'done'::text WHEN ((table_name = 'components'::text) AND (status = 'deprecated'::text)) THEN 'excluded'::text WHEN ((table_name = 'build_tasks'::text) AND (status = 'completed'::text)) THEN 'done'::text WHEN ((table_name = 'build_tasks'::text) AND (status = 'cancelled'::text)) THEN 'excluded'::text ELSE 'open'::text END;


ALTER FUNCTION claude.completion_class(table_name text, status text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION completion_class(table_name text, status text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.completion_class(table_name text, status text) IS 'How a component or task status counts in the roll-up: done, excluded (deprecated, cancelled) or open; the same classes as claude.computed_completion.';


--
-- Name: component_completion_warnings(claude.components); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.component_completion_warnings(c claude.components) RETURNS text[]
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RETURN array_remove(ARRAY[
        (SELECT 'planned functions missing from the actual ones: ' || string_agg(p, ', ' ORDER BY p)
           FROM unnest(c.planned_functions) AS p WHERE p <> ALL (c.actual_functions)),
        (SELECT 'functions not planned: ' || string_agg(a, ', ' ORDER BY a)
           FROM unnest(c.actual_functions) AS a WHERE a <> ALL (c.planned_functions)
          HAVING cardinality(c.planned_functions) > 0),
        CASE WHEN NOT c.has_tests THEN 'no tests for this component' END,
        -- tests without a figure count as 0%, as requirement verification
        -- counts them (no tests at all is the warning above)
        CASE WHEN c.test_coverage_percentage IS NULL AND c.has_tests
             THEN 'no test coverage reported (counted as 0%, below 80%)'
             WHEN c.test_coverage_percentage < 80
             THEN format('test coverage %s%% is below 80%%', c.test_coverage_percentage) END
    ], NULL);
END
$$;


ALTER FUNCTION claude.component_completion_warnings(c claude.components) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION component_completion_warnings(c claude.components); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.component_completion_warnings(c claude.components) IS 'Warnings (never errors) on completing a component: planned functions missing, unplanned extra functions, no tests, coverage under 80% or not reported (counted as 0%).';


--
-- Name: conversion_errors(text, jsonb); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.conversion_errors(table_name text, data jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    errors jsonb := '[]'::jsonb;
    data_key text;
BEGIN
    -- Every value must convert to its column's type; name each one that does not.
    FOR data_key IN
        SELECT k FROM jsonb_object_keys(data) AS k
         WHERE EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = format('claude.%I', table_name)::regclass
                          AND a.attname = k AND a.attnum > 0 AND NOT a.attisdropped)
    LOOP
        BEGIN
            EXECUTE format('SELECT (jsonb_populate_record(NULL::claude.%I, $1)).%I', table_name, data_key)
               USING jsonb_build_object(data_key, data -> data_key);
        EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
            errors := errors || claude.err(data_key, format('%s: %s', data_key, SQLERRM));
        END;
    END LOOP;
    RETURN errors;
END
$_$;


ALTER FUNCTION claude.conversion_errors(table_name text, data jsonb) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION conversion_errors(table_name text, data jsonb); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.conversion_errors(table_name text, data jsonb) IS 'One 23514 error for each key of data naming a column of claude.<table_name> whose value does not convert to the column''s type.';


--
-- Name: create_api_token(uuid, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.create_api_token(identity_id uuid, access text DEFAULT 'writer'::text, label text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    token text := 'bt_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
    created claude.api_tokens;
    errors jsonb := '[]'::jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM claude.identities i WHERE i.identity_id = create_api_token.identity_id) THEN
        errors := errors || claude.err('identity_id', 'identity_id does not name an existing identity', '23503');
    END IF;
    IF access IS NULL OR access NOT IN ('reader', 'writer') THEN
        errors := errors || claude.err('access', 'access must be reader or writer');
    END IF;
    PERFORM claude.raise_errors(errors, 'cannot create an API token');
    INSERT INTO claude.api_tokens AS t (identity_id, token_hash, access, label)
    VALUES (create_api_token.identity_id, encode(sha256(convert_to(token, 'UTF8')), 'hex'),
            create_api_token.access, create_api_token.label)
    RETURNING t.* INTO created;
    RETURN jsonb_build_object('token_id', created.token_id, 'token', token, 'identity_id', created.identity_id,
                              'access', created.access, 'label', created.label, 'created_at', created.created_at);
END
$$;


ALTER FUNCTION claude.create_api_token(identity_id uuid, access text, label text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION create_api_token(identity_id uuid, access text, label text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.create_api_token(identity_id uuid, access text, label text) IS 'Admin only (owner): creates a bearer token for an identity with reader or writer access; returns the token once (only its hash is kept). Errors: 23514, 23503.';


--
-- Name: create_feed_partition(date); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.create_feed_partition(month date) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    first timestamptz := claude.feed_month_start(month::timestamp AT TIME ZONE 'UTC');
    next timestamptz := first + interval '1 month';
    part text := claude.feed_partition_name((first AT TIME ZONE 'UTC')::date);
    -- the bounds spelled in UTC: the text of a timestamptz follows the
    -- session's TimeZone and DateStyle, and some zone abbreviations read back
    -- as other zones
    first_utc text := to_char(first AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00';
    next_utc text := to_char(next AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00';
    moved bigint := 0;
BEGIN
    IF to_regclass('claude.' || part) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE claude.%I (LIKE claude.activity_feed INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                   ' INCLUDING COMMENTS INCLUDING STORAGE INCLUDING COMPRESSION)', part);
    EXECUTE format('ALTER TABLE claude.%I ADD CONSTRAINT %I CHECK (created_at >= %L AND created_at < %L)',
                   part, part || '_range', first_utc, next_utc);
    EXECUTE format('COMMENT ON TABLE claude.%I IS %L', part,
                   format('Partition of claude.activity_feed: the rows created in %s (UTC).', to_char(first AT TIME ZONE 'UTC', 'YYYY-MM')));
    IF to_regclass('claude.activity_feed_default') IS NOT NULL THEN
        -- writers of this month wait while its rows move (a rare case: months
        -- are made ahead; imported or legacy rows of old months)
        LOCK TABLE claude.activity_feed_default IN SHARE ROW EXCLUSIVE MODE;
        EXECUTE format('INSERT INTO claude.%I SELECT * FROM claude.activity_feed_default d'
                       ' WHERE d.created_at >= $1 AND d.created_at < $2', part) USING first, next;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved > 0 THEN
            -- the guard (claude.guard_activity_feed) recognises this statement
            DELETE FROM claude.activity_feed_default d WHERE d.created_at >= first AND d.created_at < next;
        END IF;
    END IF;
    EXECUTE format('ALTER TABLE claude.activity_feed ATTACH PARTITION claude.%I FOR VALUES FROM (%L) TO (%L)',
                   part, first_utc, next_utc);
    -- the partition constraint now holds the range
    EXECUTE format('ALTER TABLE claude.%I DROP CONSTRAINT %I', part, part || '_range');
    PERFORM claude.guard_feed_partition(format('claude.%I', part)::regclass);
    PERFORM claude.comment_feed_partition_indexes();
    RETURN moved;
END
$_$;


ALTER FUNCTION claude.create_feed_partition(month date) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION create_feed_partition(month date); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.create_feed_partition(month date) IS 'Creates and attaches the feed''s partition for the UTC month holding month, moving that month''s rows out of activity_feed_default; NULL when it exists, else the number of rows moved.';


--
-- Name: creates_cycle(text, uuid, uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.creates_cycle(links text, entity_id uuid, new_link uuid) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    current_id uuid := new_link;
    steps integer := 0;
BEGIN
    -- Serialise every change of this kind of link, so two transactions adding
    -- A->B and B->A at once cannot both pass: the second waits, then sees the first.
    PERFORM claude.lock_links(links);
    WHILE current_id IS NOT NULL LOOP
        IF current_id = entity_id THEN
            RETURN true;
        END IF;
        steps := steps + 1;
        EXIT WHEN steps > 100000;
        -- FOR KEY SHARE: under REPEATABLE READ a concurrently changed link
        -- raises a serialization failure instead of being read stale.
        IF links = 'feature_parents' THEN
            SELECT f.parent_feature_id INTO current_id
              FROM claude.features f WHERE f.feature_id = current_id FOR KEY SHARE;
        ELSE
            SELECT t.blocked_by_task_id INTO current_id
              FROM claude.build_tasks t WHERE t.task_id = current_id FOR KEY SHARE;
        END IF;
    END LOOP;
    RETURN false;
END
$$;


ALTER FUNCTION claude.creates_cycle(links text, entity_id uuid, new_link uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION creates_cycle(links text, entity_id uuid, new_link uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.creates_cycle(links text, entity_id uuid, new_link uuid) IS 'True when linking entity_id to new_link would close a cycle of feature_parents (parent_feature_id) or task_dependencies (blocked_by_task_id); serialised per kind of link by a transaction-scoped advisory lock.';


--
-- Name: current_actor(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.current_actor() RETURNS text
    LANGUAGE sql STABLE
    RETURN COALESCE(NULLIF(current_setting('buildtracker.call_actor'::text, true), ''::text), NULLIF(current_setting('buildtracker.actor'::text, true), ''::text), (SESSION_USER)::text);


ALTER FUNCTION claude.current_actor() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION current_actor(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.current_actor() IS 'Who is acting: the actor argument of the workflow call in progress, else SET buildtracker.actor, else session_user.';


--
-- Name: current_note(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.current_note() RETURNS text
    LANGUAGE sql STABLE
    RETURN NULLIF(btrim(current_setting('buildtracker.note'::text, true), ' 	
v'::text), ''::text);


ALTER FUNCTION claude.current_note() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION current_note(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.current_note() IS 'The reason or note given to the workflow call in progress (or by SET LOCAL buildtracker.note for raw DML); null when none.';


--
-- Name: default_component_path(text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.default_component_path(component_type text, component_name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((('src/'::text || component_type) || '/'::text) || COALESCE(NULLIF(btrim(regexp_replace(lower(component_name), '[^a-z0-9]+'::text, '_'::text, 'g'::text), '_'::text), ''::text), 'component'::text));


ALTER FUNCTION claude.default_component_path(component_type text, component_name text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION default_component_path(component_type text, component_name text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.default_component_path(component_type text, component_name text) IS 'file_path given to a component created without one: src/<component_type>/<name in lower snake case>.';


--
-- Name: delete_feature(uuid, boolean, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.delete_feature(feature_id uuid, force boolean DEFAULT false, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    deleted claude.features;
    counts jsonb;
    current_status text;
BEGIN
    -- a completed feature is history: only the owner may remove it, and only on purpose
    -- the caller's role: SET ROLE's (the REST API sets one per request), else the
    -- login; inside this SECURITY DEFINER function current_user is the owner
    IF COALESCE(delete_feature.force, false)
       AND NOT pg_has_role(CASE WHEN current_setting('role') = 'none' THEN session_user::text
                                ELSE current_setting('role') END, 'buildtracker_owner', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'cannot delete feature with force: only the owner role may',
            DETAIL = jsonb_build_object('errors', claude.err('force', 'force is for the owner role only', '42501'))::text;
    END IF;
    -- Lock the children before the feature, each kind in the order its own
    -- writers lock: a requirement action locks the requirement, then its
    -- component (bt15); a component move locks the component, then its tasks;
    -- task and component actions lock their row, then the feature (roll-up).
    -- The same order here means they wait for each other instead of deadlocking.
    PERFORM 1 FROM claude.requirements r WHERE r.feature_id = delete_feature.feature_id FOR UPDATE;
    PERFORM 1 FROM claude.components c WHERE c.feature_id = delete_feature.feature_id FOR UPDATE;
    PERFORM 1 FROM claude.build_tasks t WHERE t.feature_id = delete_feature.feature_id FOR UPDATE;
    SELECT f.status INTO current_status FROM claude.features f WHERE f.feature_id = delete_feature.feature_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', delete_feature.feature_id);
    END IF;
    IF current_status = 'completed' AND NOT COALESCE(delete_feature.force, false) THEN
        PERFORM claude.raise_errors(claude.err('status',
            'a completed feature is kept with its verified requirements; the owner may delete it with force => true', '55000'),
            format('cannot delete feature %s', delete_feature.feature_id));
    END IF;
    SELECT jsonb_build_object(
        'deleted_components', (SELECT count(*) FROM claude.components c WHERE c.feature_id = delete_feature.feature_id),
        'deleted_tasks', (SELECT count(*) FROM claude.build_tasks t WHERE t.feature_id = delete_feature.feature_id),
        'deleted_requirements', (SELECT count(*) FROM claude.requirements r WHERE r.feature_id = delete_feature.feature_id),
        'detached_child_features', (SELECT count(*) FROM claude.features c WHERE c.parent_feature_id = delete_feature.feature_id))
      INTO counts;
    PERFORM claude.begin_call(actor);
    DELETE FROM claude.features f WHERE f.feature_id = delete_feature.feature_id RETURNING f.* INTO deleted;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(deleted), '{}', counts);
END
$$;


ALTER FUNCTION claude.delete_feature(feature_id uuid, force boolean, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION delete_feature(feature_id uuid, force boolean, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.delete_feature(feature_id uuid, force boolean, actor text) IS 'Deletes a feature with its components, tasks and requirements (child features are detached); a completed feature only with force => true, which only the owner role may pass. Metadata: counts of what went. Errors: P0002, 55000 (completed), 42501 (force without the owner role).';


--
-- Name: detail_errors(text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.detail_errors(detail text) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
    RETURN detail::jsonb -> 'errors';
EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;  -- not one of ours: PostgreSQL's own DETAIL text
END
$$;


ALTER FUNCTION claude.detail_errors(detail text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION detail_errors(detail text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.detail_errors(detail text) IS 'The error list of a DETAIL written by claude.raise_errors; null for any other DETAIL.';


--
-- Name: end_call(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.end_call() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM set_config('buildtracker.call_actor', '', true),
            set_config('buildtracker.note', '', true);
END
$$;


ALTER FUNCTION claude.end_call() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION end_call(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.end_call() IS 'Clears the call context so that later statements of the same transaction are not attributed to the call.';


--
-- Name: enforce_comment_rules(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.enforce_comment_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.enforce_comment_rules() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION enforce_comment_rules(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.enforce_comment_rules() IS 'Trigger: a comment names an existing entity and has a body of 1-10000 characters (every failed check in one error); created_at is the database''s.';


--
-- Name: enforce_component_rules(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.enforce_component_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
    is_insert boolean := TG_OP = 'INSERT';
    moved boolean := TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status;
    feature_status text;
BEGIN
    IF is_insert AND claude.too_short(NEW.file_path, 1) THEN
        NEW.file_path := claude.default_component_path(NEW.component_type, NEW.component_name);
    END IF;

    IF is_insert THEN
        IF NEW.status IS DISTINCT FROM 'planned' THEN
            errors := errors || claude.err('status', format('a new component starts as planned, not %s', NEW.status));
        END IF;
        IF NEW.implemented_at IS NOT NULL THEN
            errors := errors || claude.err('implemented_at', 'implemented_at is set by the database');
        END IF;
    ELSE
        -- A transition that is not listed is refused on its own (55000): what the
        -- target status would need is irrelevant then.
        PERFORM claude.raise_errors(claude.transition_error('component', OLD.status, NEW.status),
            format('cannot move component "%s" from %s to %s', NEW.component_name, OLD.status, NEW.status));
        -- checked before the transition below sets them, so a caller can never write them
        IF NEW.implemented_at IS DISTINCT FROM OLD.implemented_at THEN
            errors := errors || claude.err('implemented_at', 'implemented_at is set by the database');
        END IF;
    END IF;

    IF (is_insert OR NEW.component_name IS DISTINCT FROM OLD.component_name)
       AND claude.too_short(NEW.component_name, 3) THEN
        errors := errors || claude.err('component_name', 'component_name must be at least 3 characters');
    END IF;

    IF is_insert OR NEW.feature_id IS DISTINCT FROM OLD.feature_id THEN
        SELECT f.status INTO feature_status FROM claude.features f WHERE f.feature_id = NEW.feature_id;
        errors := errors || claude.closed_feature_error('feature_id', 'a component', feature_status);
    END IF;
    -- A component that implements a requirement of its feature stays with it
    -- (its tasks move along: claude.carry_component_tasks).
    IF NOT is_insert AND NEW.feature_id IS DISTINCT FROM OLD.feature_id
       AND EXISTS (SELECT 1 FROM claude.requirements r WHERE r.implemented_by_component_id = NEW.component_id) THEN
        errors := errors || claude.err('feature_id',
            'the component implements a requirement of its feature and cannot move to another feature', '55000');
    END IF;

    IF moved THEN
        CASE NEW.status
        WHEN 'completed' THEN
            IF NOT EXISTS (SELECT 1 FROM unnest(NEW.actual_functions) AS a WHERE btrim(a) <> '') THEN
                errors := errors || claude.err('actual_functions', 'completing a component needs at least one actual function');
            END IF;
            IF claude.too_short(NEW.file_path, 1) THEN
                errors := errors || claude.err('file_path', 'completing a component needs file_path');
            END IF;
            SELECT f.status INTO feature_status FROM claude.features f WHERE f.feature_id = NEW.feature_id;
            IF feature_status IN ('not_started', 'planned') THEN
                errors := errors || claude.err('feature_id', format('the feature is %s; start it before completing its components', feature_status), '55000');
            END IF;
            NEW.implemented_at := now();
        WHEN 'tested' THEN
            IF NOT NEW.has_tests THEN
                errors := errors || claude.err('has_tests', 'marking a component tested needs has_tests = true');
            END IF;
            IF NEW.test_coverage_percentage IS NULL THEN
                errors := errors || claude.err('test_coverage_percentage', 'marking a component tested needs test_coverage_percentage');
            END IF;
        WHEN 'documented' THEN
            IF NOT NEW.has_documentation THEN
                errors := errors || claude.err('has_documentation', 'marking a component documented needs has_documentation = true');
            END IF;
            IF claude.too_short(NEW.doc_path, 1) THEN
                errors := errors || claude.err('doc_path', 'marking a component documented needs doc_path');
            END IF;
        ELSE
            NULL;
        END CASE;
    END IF;

    errors := claude.check_components_constraints(NEW, OLD) || errors;
    PERFORM claude.raise_errors(errors, CASE
        WHEN is_insert THEN format('cannot add component "%s"', NEW.component_name)
        WHEN moved THEN format('cannot move component "%s" from %s to %s', NEW.component_name, OLD.status, NEW.status)
        ELSE format('cannot update component "%s"', NEW.component_name) END);
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.enforce_component_rules() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION enforce_component_rules(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.enforce_component_rules() IS 'Trigger: every component rule of SPEC section 4 (initial status, transitions and what each needs, name length, no components on finished features, default file_path, database-owned implemented_at) plus all table constraints, reported together.';


--
-- Name: enforce_dependency_rules(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.enforce_dependency_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.enforce_dependency_rules() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION enforce_dependency_rules(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.enforce_dependency_rules() IS 'Trigger: a dependency joins two tasks of one project, and a blocks edge never closes a cycle (23514 naming it); with the table''s constraints, all in one error.';


--
-- Name: enforce_feature_rules(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.enforce_feature_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
    is_insert boolean := TG_OP = 'INSERT';
    moved boolean := TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status;
    parent_project uuid;
    parent_status text;
BEGIN
    IF is_insert THEN
        IF NEW.status IS DISTINCT FROM 'not_started' THEN
            errors := errors || claude.err('status', format('a new feature starts as not_started, not %s', NEW.status));
        END IF;
        IF NEW.planned_date IS NOT NULL OR NEW.started_date IS NOT NULL OR NEW.completed_date IS NOT NULL THEN
            errors := errors || claude.err('status', 'planned_date, started_date and completed_date are set by the database');
        END IF;
    ELSE
        -- A transition that is not listed is refused on its own (55000): what the
        -- target status would need is irrelevant then.
        PERFORM claude.raise_errors(claude.transition_error('feature', OLD.status, NEW.status),
            format('cannot move feature "%s" from %s to %s', NEW.feature_name, OLD.status, NEW.status));
        -- checked before the transition below sets them, so a caller can never write them
        IF (NEW.planned_date IS DISTINCT FROM OLD.planned_date
                          OR NEW.started_date IS DISTINCT FROM OLD.started_date
                          OR NEW.completed_date IS DISTINCT FROM OLD.completed_date) THEN
            errors := errors || claude.err('status', 'planned_date, started_date and completed_date are set by the database');
        END IF;
    END IF;

    IF (is_insert OR NEW.feature_name IS DISTINCT FROM OLD.feature_name)
       AND claude.too_short(NEW.feature_name, 5) THEN
        errors := errors || claude.err('feature_name', 'feature_name must be at least 5 characters');
    END IF;

    IF NEW.status IN ('planned', 'in_progress', 'blocked', 'on_hold', 'completed')
       AND (is_insert OR moved OR NEW.description IS DISTINCT FROM OLD.description)
       AND claude.too_short(NEW.description, 20) THEN
        errors := errors || claude.err('description', 'description must be at least 20 characters once a feature is planned');
    END IF;

    IF NEW.parent_feature_id IS NOT NULL
       AND (is_insert OR NEW.parent_feature_id IS DISTINCT FROM OLD.parent_feature_id
            OR NEW.project_id IS DISTINCT FROM OLD.project_id) THEN
        -- the parent-link lock first, as update_feature takes it before any row
        -- (and claude.creates_cycle below takes it anyway), so a raw INSERT and
        -- a re-parenting call wait for each other in the same order
        PERFORM claude.lock_links('feature_parents');
        -- locked like the feature of a component or task (parent_row_locks): a
        -- parent being completed or cancelled makes this wait, then refuses it
        SELECT f.project_id, f.status INTO parent_project, parent_status
          FROM claude.features f WHERE f.feature_id = NEW.parent_feature_id
           FOR NO KEY UPDATE;
        IF FOUND AND parent_project IS DISTINCT FROM NEW.project_id THEN
            errors := errors || claude.err('parent_feature_id', 'the parent feature belongs to another project');
        END IF;
        IF is_insert OR NEW.parent_feature_id IS DISTINCT FROM OLD.parent_feature_id THEN
            errors := errors || claude.closed_feature_error('parent_feature_id', 'a child feature', parent_status);
        END IF;
        IF NEW.parent_feature_id <> NEW.feature_id
           AND claude.creates_cycle('feature_parents', NEW.feature_id, NEW.parent_feature_id) THEN
            errors := errors || claude.err('parent_feature_id', 'parent_feature_id would make the feature its own ancestor');
        END IF;
    END IF;

    IF moved THEN
        CASE NEW.status
        WHEN 'planned' THEN
            IF NEW.planned_by_identity_id IS NULL THEN
                errors := errors || claude.err('planned_by_identity_id', 'planning a feature needs planned_by_identity_id');
            END IF;
            NEW.planned_date := now();
        WHEN 'in_progress' THEN
            IF OLD.status = 'planned' THEN
                IF NEW.implemented_by_identity_id IS NULL THEN
                    errors := errors || claude.err('implemented_by_identity_id', 'starting a feature needs implemented_by_identity_id');
                END IF;
                NEW.started_date := now();
            ELSIF OLD.status = 'blocked' THEN
                IF claude.current_note() IS NULL THEN
                    errors := errors || claude.err('note', 'resuming a blocked feature needs a note (reason)');
                END IF;
                NEW.blocked_reason := NULL;
            ELSIF OLD.status = 'on_hold' THEN
                NEW.blocked_reason := NULL;
            END IF;
        WHEN 'blocked', 'on_hold' THEN
            IF claude.too_short(NEW.blocked_reason, 1) THEN
                errors := errors || claude.err('blocked_reason', format('putting a feature %s needs a reason', replace(NEW.status, '_', ' ')));
            END IF;
        WHEN 'completed' THEN
            errors := errors || claude.feature_gate_failures(NEW.feature_id);
            NEW.completed_date := now();
        WHEN 'cancelled' THEN
            IF claude.too_short(NEW.cancellation_reason, 1) THEN
                errors := errors || claude.err('cancellation_reason', 'cancelling a feature needs a reason');
            END IF;
        ELSE
            NULL;
        END CASE;
    END IF;

    errors := claude.check_features_constraints(NEW, OLD) || errors;
    PERFORM claude.raise_errors(errors, CASE
        WHEN is_insert THEN format('cannot add feature "%s"', NEW.feature_name)
        WHEN moved THEN format('cannot move feature "%s" from %s to %s', NEW.feature_name, OLD.status, NEW.status)
        ELSE format('cannot update feature "%s"', NEW.feature_name) END);
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.enforce_feature_rules() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION enforce_feature_rules(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.enforce_feature_rules() IS 'Trigger: every feature rule of SPEC section 4 (initial status, allowed transitions and what each needs, name and description lengths, parent cycles, no child feature under a completed or cancelled parent, database-owned dates) plus all table constraints, reported together in one exception.';


--
-- Name: enforce_identity_rules(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.enforce_identity_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM claude.raise_errors(claude.check_identities_constraints(NEW, OLD),
        format('cannot save identity "%s"', NEW.identity_name));
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.enforce_identity_rules() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION enforce_identity_rules(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.enforce_identity_rules() IS 'Trigger: reports every failed constraint of an identity row in one exception.';


--
-- Name: enforce_project_rules(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.enforce_project_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM claude.raise_errors(claude.check_projects_constraints(NEW, OLD),
        format('cannot save project "%s"', NEW.project_name));
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.enforce_project_rules() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION enforce_project_rules(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.enforce_project_rules() IS 'Trigger: reports every failed constraint of a project row in one exception.';


--
-- Name: enforce_requirement_rules(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.enforce_requirement_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
    is_insert boolean := TG_OP = 'INSERT';
    moved boolean := TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status;
    feature_status text;
    component record;
BEGIN
    IF is_insert THEN
        IF NEW.status IS DISTINCT FROM 'draft' THEN
            errors := errors || claude.err('status', format('a new requirement starts as draft, not %s', NEW.status));
        END IF;
        IF NEW.verified_at IS NOT NULL THEN
            errors := errors || claude.err('verified_at', 'verified_at is set by the database');
        END IF;
        IF NEW.created_by_identity_id IS NULL THEN
            errors := errors || claude.err('created_by_identity_id', 'a requirement needs its creator (created_by_identity_id)');
        END IF;
    ELSE
        -- A transition that is not listed is refused on its own (55000): what the
        -- target status would need is irrelevant then.
        PERFORM claude.raise_errors(claude.transition_error('requirement', OLD.status, NEW.status),
            format('cannot move requirement "%s" from %s to %s', NEW.requirement_name, OLD.status, NEW.status));
        -- checked before the transition below sets it, so a caller can never write it
        IF NEW.verified_at IS DISTINCT FROM OLD.verified_at THEN
            errors := errors || claude.err('verified_at', 'verified_at is set by the database');
        END IF;
    END IF;

    IF (is_insert OR NEW.requirement_name IS DISTINCT FROM OLD.requirement_name)
       AND claude.too_short(NEW.requirement_name, 5) THEN
        errors := errors || claude.err('requirement_name', 'requirement_name must be at least 5 characters');
    END IF;
    IF (is_insert OR NEW.description IS DISTINCT FROM OLD.description OR (moved AND NEW.status = 'defined'))
       AND claude.too_short(NEW.description, 20) THEN
        errors := errors || claude.err('description', 'description must be at least 20 characters');
    END IF;
    IF is_insert OR NEW.acceptance_criteria IS DISTINCT FROM OLD.acceptance_criteria OR (moved AND NEW.status = 'defined') THEN
        IF cardinality(NEW.acceptance_criteria) = 0 THEN
            errors := errors || claude.err('acceptance_criteria', 'at least one acceptance criterion is required');
        ELSIF EXISTS (SELECT 1 FROM unnest(NEW.acceptance_criteria) AS c WHERE COALESCE(btrim(c), '') = '') THEN
            errors := errors || claude.err('acceptance_criteria', 'acceptance criteria must not be empty');
        END IF;
    END IF;

    IF is_insert OR NEW.feature_id IS DISTINCT FROM OLD.feature_id THEN
        SELECT f.status INTO feature_status FROM claude.features f WHERE f.feature_id = NEW.feature_id;
        errors := errors || claude.closed_feature_error('feature_id', 'a requirement', feature_status);
    ELSIF NEW.must_have AND NOT OLD.must_have THEN
        -- a new must-have of a completed feature would fail its gate afterwards;
        -- locked (as bt15 locks a feature joined), so a completion waits or is seen
        SELECT f.status INTO feature_status FROM claude.features f WHERE f.feature_id = NEW.feature_id
           FOR NO KEY UPDATE;
        IF feature_status = 'completed' AND NEW.status <> 'verified' THEN
            errors := errors || claude.err('must_have', 'a requirement of a completed feature cannot become must-have', '55000');
        END IF;
    END IF;

    IF NEW.implemented_by_component_id IS NOT NULL
       AND (is_insert OR NEW.implemented_by_component_id IS DISTINCT FROM OLD.implemented_by_component_id) THEN
        SELECT c.feature_id, c.component_name, c.status, c.has_tests INTO component
          FROM claude.components c WHERE c.component_id = NEW.implemented_by_component_id;
        IF FOUND AND component.feature_id <> NEW.feature_id THEN
            errors := errors || claude.err('implemented_by_component_id', 'the implementing component belongs to another feature');
        END IF;
    END IF;

    IF moved THEN
        CASE NEW.status
        WHEN 'approved' THEN
            IF char_length(btrim(COALESCE(NEW.description, ''))) <= 50 THEN
                errors := errors || claude.err('description', 'approving a requirement needs a description of more than 50 characters');
            END IF;
            IF cardinality(NEW.acceptance_criteria) < 3 THEN
                errors := errors || claude.err('acceptance_criteria', 'approving a requirement needs at least 3 acceptance criteria');
            END IF;
        WHEN 'implemented', 'verified' THEN
            SELECT c.component_name, c.status, c.has_tests INTO component
              FROM claude.components c WHERE c.component_id = NEW.implemented_by_component_id;
            IF NEW.implemented_by_component_id IS NULL THEN
                errors := errors || claude.err('implemented_by_component_id',
                    format('a requirement %s needs the implementing component', NEW.status));
            ELSIF FOUND AND component.status NOT IN ('completed', 'tested', 'documented') THEN
                errors := errors || claude.err('implemented_by_component_id',
                    format('component "%s" is %s, not completed, tested or documented', component.component_name, component.status), '55000');
            END IF;
            IF NEW.status = 'verified' THEN
                IF FOUND AND NOT component.has_tests THEN
                    errors := errors || claude.err('implemented_by_component_id',
                        format('component "%s" has no tests', component.component_name), '55000');
                END IF;
                SELECT f.status INTO feature_status FROM claude.features f WHERE f.feature_id = NEW.feature_id;
                IF feature_status IN ('not_started', 'planned') THEN
                    errors := errors || claude.err('feature_id',
                        format('the feature is %s; a requirement is verified only once work has started', feature_status), '55000');
                END IF;
                NEW.verified_at := now();
            END IF;
        WHEN 'rejected' THEN
            -- a refused move, reported on its own like an unlisted transition
            IF NEW.must_have THEN
                PERFORM claude.raise_errors(claude.err('must_have', 'a must-have requirement can never be rejected', '55000'),
                    format('cannot move requirement "%s" from %s to %s', NEW.requirement_name, OLD.status, NEW.status));
            END IF;
        ELSE
            NULL;
        END CASE;
    END IF;

    errors := claude.check_requirements_constraints(NEW, OLD) || errors;
    PERFORM claude.raise_errors(errors, CASE
        WHEN is_insert THEN format('cannot add requirement "%s"', NEW.requirement_name)
        WHEN moved THEN format('cannot move requirement "%s" from %s to %s', NEW.requirement_name, OLD.status, NEW.status)
        ELSE format('cannot update requirement "%s"', NEW.requirement_name) END);
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.enforce_requirement_rules() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION enforce_requirement_rules(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.enforce_requirement_rules() IS 'Trigger: every requirement rule of SPEC section 4 (initial status and creator, transitions and what each needs, lengths and criteria, must-haves never rejected and never added to a completed feature, database-owned verified_at) plus all table constraints, reported together.';


--
-- Name: enforce_task_rules(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.enforce_task_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
    is_insert boolean := TG_OP = 'INSERT';
    moved boolean := TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status;
    component_feature uuid;
    component_status text;
    feature_status text;
BEGIN
    -- The database, not the caller, owns both timestamps: what
    -- claude.touch_timestamps does on the other tables, done here so a task
    -- write costs one BEFORE trigger call less (lean_triggers drops
    -- bt10_touch_timestamps on build_tasks)
    IF is_insert THEN
        NEW.created_at := now();
    ELSE
        NEW.created_at := OLD.created_at;
    END IF;
    NEW.updated_at := now();

    -- A task given only a component belongs to that component's feature.
    IF NEW.component_id IS NOT NULL THEN
        SELECT c.feature_id, c.status INTO component_feature, component_status
          FROM claude.components c WHERE c.component_id = NEW.component_id;
        IF NEW.feature_id IS NULL THEN
            NEW.feature_id := component_feature;
        ELSIF FOUND AND component_feature <> NEW.feature_id THEN
            errors := errors || claude.err('component_id', 'the component belongs to another feature');
        END IF;
    END IF;

    IF is_insert THEN
        IF NEW.status IS DISTINCT FROM 'todo' THEN
            errors := errors || claude.err('status', format('a new task starts as todo, not %s', NEW.status));
        END IF;
        IF NEW.started_at IS NOT NULL OR NEW.completed_at IS NOT NULL THEN
            errors := errors || claude.err('status', 'started_at and completed_at are set by the database');
        END IF;
    ELSE
        -- A transition that is not listed is refused on its own (55000): what the
        -- target status would need is irrelevant then.
        PERFORM claude.raise_errors(claude.transition_error('build_task', OLD.status, NEW.status),
            format('cannot move task "%s" from %s to %s', NEW.task_name, OLD.status, NEW.status));
        -- checked before the transition below sets them, so a caller can never write them
        IF (NEW.started_at IS DISTINCT FROM OLD.started_at
                          OR NEW.completed_at IS DISTINCT FROM OLD.completed_at) THEN
            errors := errors || claude.err('status', 'started_at and completed_at are set by the database');
        END IF;
    END IF;

    IF (is_insert OR NEW.task_name IS DISTINCT FROM OLD.task_name) AND claude.too_short(NEW.task_name, 5) THEN
        errors := errors || claude.err('task_name', 'task_name must be at least 5 characters');
    END IF;
    IF (is_insert OR NEW.task_description IS DISTINCT FROM OLD.task_description)
       AND claude.too_short(NEW.task_description, 10) THEN
        errors := errors || claude.err('task_description', 'task_description must be at least 10 characters');
    END IF;

    IF is_insert OR NEW.feature_id IS DISTINCT FROM OLD.feature_id THEN
        SELECT f.status INTO feature_status FROM claude.features f WHERE f.feature_id = NEW.feature_id;
        errors := errors || claude.closed_feature_error('feature_id', 'a task', feature_status);
    END IF;

    IF NEW.actual_hours IS NOT NULL AND NEW.status <> 'completed'
       AND (is_insert OR moved OR NEW.actual_hours IS DISTINCT FROM OLD.actual_hours) THEN
        errors := errors || claude.err('actual_hours', 'actual_hours is set only when a task is completed');
    END IF;

    -- release (in_progress -> todo) gives the task back: it clears the assignee
    IF moved AND OLD.status = 'in_progress' AND NEW.status = 'todo' THEN
        NEW.assigned_to_identity_id := NULL;
        NEW.started_at := NULL;
    END IF;
    -- a lease is held only while in_progress (chk_task_lease)
    IF moved AND NEW.status <> 'in_progress' THEN
        NEW.lease_expires_at := NULL;
    END IF;
    -- an in_progress task changes hands through release, or by a take-over:
    -- its lease has expired and the new holder takes a fresh one in the same
    -- UPDATE (claim_next_task); a plain reassignment (update_task) is refused
    IF NOT is_insert AND NEW.assigned_to_identity_id IS DISTINCT FROM OLD.assigned_to_identity_id
       AND OLD.status NOT IN ('todo', 'blocked')
       AND NOT (moved AND OLD.status = 'in_progress' AND NEW.status = 'todo')
       AND NOT (NOT moved AND OLD.status = 'in_progress' AND COALESCE(OLD.lease_expires_at < now(), false)
                AND COALESCE(NEW.lease_expires_at > now(), false)) THEN
        errors := errors || claude.err('assigned_to_identity_id',
            format('a task can be reassigned only in todo or blocked (or taken over with a new lease once its lease has expired: claim_next_task), not %s', OLD.status), '55000');
    END IF;
    IF NEW.assigned_to_identity_id IS NULL AND NEW.status IN ('in_progress', 'review', 'completed')
       AND (is_insert OR moved OR OLD.assigned_to_identity_id IS NOT NULL) THEN
        errors := errors || claude.err('assigned_to_identity_id', format('a task in %s needs an assignee', NEW.status));
    END IF;

    IF NEW.blocked_by_task_id IS NOT NULL AND NEW.blocked_by_task_id <> NEW.task_id
       AND (is_insert OR NEW.blocked_by_task_id IS DISTINCT FROM OLD.blocked_by_task_id)
       AND claude.creates_cycle('task_dependencies', NEW.task_id, NEW.blocked_by_task_id) THEN
        errors := errors || claude.err('blocked_by_task_id', 'blocked_by_task_id would make the task wait on itself (a dependency cycle)');
    END IF;

    IF moved THEN
        CASE
        WHEN NEW.status = 'in_progress' AND OLD.status = 'todo' THEN
            -- every open blocks dependency (claude.task_dependencies, the seed's
            -- blocked_by_task_id included), each item naming its blocker (entity_id)
            errors := errors || claude.open_blockers(NEW.task_id);
            NEW.started_at := now();
        WHEN NEW.status = 'in_progress' AND OLD.status = 'blocked' THEN
            IF claude.current_note() IS NULL THEN
                errors := errors || claude.err('note', 'unblocking a task needs a resolution note');
            END IF;
            errors := errors || claude.open_blockers(NEW.task_id);
            NEW.blocked_reason := NULL;
        WHEN NEW.status = 'todo' AND OLD.status = 'in_progress' THEN
            IF claude.current_note() IS NULL THEN
                errors := errors || claude.err('reason', 'releasing a task needs a reason');
            END IF;
        WHEN NEW.status = 'in_progress' AND OLD.status = 'review' THEN
            IF claude.current_note() IS NULL THEN
                errors := errors || claude.err('note', 'requesting changes needs a note');
            END IF;
        WHEN NEW.status = 'blocked' THEN
            IF claude.too_short(NEW.blocked_reason, 1) THEN
                errors := errors || claude.err('blocked_reason', 'blocking a task needs a reason');
            END IF;
        WHEN NEW.status = 'completed' THEN
            IF NEW.actual_hours IS NULL THEN
                errors := errors || claude.err('actual_hours', 'completing a task needs actual_hours greater than 0');
            END IF;
            IF component_status = 'planned' THEN
                errors := errors || claude.err('component_id', 'the task''s component is still planned', '55000');
            END IF;
            NEW.completed_at := now();
        WHEN NEW.status = 'cancelled' THEN
            IF claude.too_short(NEW.cancellation_reason, 1) THEN
                errors := errors || claude.err('cancellation_reason', 'cancelling a task needs a reason');
            END IF;
        ELSE
            NULL;
        END CASE;
    END IF;

    errors := claude.check_build_tasks_constraints(NEW, OLD) || errors;
    PERFORM claude.raise_errors(errors, CASE
        WHEN is_insert THEN format('cannot add task "%s"', NEW.task_name)
        WHEN moved THEN format('cannot move task "%s" from %s to %s', NEW.task_name, OLD.status, NEW.status)
        ELSE format('cannot update task "%s"', NEW.task_name) END);
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.enforce_task_rules() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION enforce_task_rules(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.enforce_task_rules() IS 'Trigger: every build-task rule of SPEC section 4 (feature from component, initial status, transitions and what each needs, assignee rules, hours only on completion, dependency cycles, database-owned timestamps) plus all table constraints, reported together; also sets created_at and updated_at (the job of claude.touch_timestamps on the other tables).';


--
-- Name: ensure_feed_partitions(integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.ensure_feed_partitions(months_ahead integer DEFAULT 3) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    month date;
    moved bigint;
    created text[] := '{}'::text[];
    rows_moved bigint := 0;
    partman text := claude.partman_schema();
BEGIN
    IF months_ahead IS NULL OR months_ahead NOT BETWEEN 0 AND 36 THEN
        PERFORM claude.raise_errors(claude.err('months_ahead', 'months_ahead must be between 0 and 36'),
                                    'cannot create feed partitions');
    END IF;
    IF (SELECT c.relkind FROM pg_class c WHERE c.oid = 'claude.activity_feed'::regclass) <> 'p' THEN
        RETURN jsonb_build_object('partitioned', false, 'created', '[]'::jsonb, 'rows_moved', 0);
    END IF;
    -- The months ahead, unless pg_partman manages the feed: then its own
    -- maintenance (pg_partman_bgw, or partman.run_maintenance_proc() from
    -- cron) makes them. Not called from here: pg_partman 4 sets search_path
    -- at session level, which would leave this function's pinned path in the
    -- caller's session. And every month with rows waiting in the default
    -- partition, either way (pg_partman tolerates partitions it did not make:
    -- they carry its names).
    FOR month IN
        SELECT m::date FROM generate_series(date_trunc('month', now() AT TIME ZONE 'UTC'),
                                            date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => months_ahead),
                                            interval '1 month') m
         WHERE partman IS NULL
        UNION
        SELECT DISTINCT date_trunc('month', d.created_at AT TIME ZONE 'UTC')::date FROM claude.activity_feed_default d
        ORDER BY 1
    LOOP
        moved := claude.create_feed_partition(month);
        IF moved IS NOT NULL THEN
            created := created || claude.feed_partition_name(month);
            rows_moved := rows_moved + moved;
        END IF;
    END LOOP;
    -- partitions made by pg_partman get the TRUNCATE guard too; one another
    -- role owns (pg_partman's maintenance run by a superuser) cannot get it
    -- from here, nor can prune_activity drop it: named in the result
    PERFORM claude.guard_feed_partition(c.oid)
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'claude.activity_feed'::regclass AND c.relowner = 'buildtracker_owner'::regrole;
    RETURN jsonb_build_object('partitioned', true, 'created', to_jsonb(created), 'rows_moved', rows_moved,
                              'maintained_by', CASE WHEN partman IS NULL THEN 'buildtracker' ELSE 'pg_partman' END,
                              'owned_by_another_role', to_jsonb(ARRAY(
                                  SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                                   WHERE i.inhparent = 'claude.activity_feed'::regclass
                                     AND c.relowner <> 'buildtracker_owner'::regrole ORDER BY 1)));
END
$$;


ALTER FUNCTION claude.ensure_feed_partitions(months_ahead integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION ensure_feed_partitions(months_ahead integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.ensure_feed_partitions(months_ahead integer) IS 'For the DBA (owner only; run_jobs runs it for writers): creates the feed''s monthly partitions from this UTC month to months_ahead (0-36, default 3) months ahead (left to pg_partman''s maintenance when it manages the feed, see claude.use_pg_partman), and one for every month with rows in activity_feed_default, moving them there; gives every partition the TRUNCATE guard; returns {"partitioned", "created": [names], "rows_moved", "maintained_by": buildtracker|pg_partman, "owned_by_another_role": [names the owner role cannot guard or prune: set pg_partman_bgw.role = buildtracker_owner]}. Run by run_jobs.';


--
-- Name: entity_project(text, uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.entity_project(entity_type text, entity_id uuid) RETURNS TABLE(project_id uuid, project_name text, entity_name text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.entity_project(entity_type text, entity_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION entity_project(entity_type text, entity_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.entity_project(entity_type text, entity_id uuid) IS 'The project (id and name) and the name of an entity given by type and id; no row when it does not exist.';


--
-- Name: envelope(jsonb, text[], jsonb); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.envelope(data jsonb, warnings text[] DEFAULT '{}'::text[], metadata jsonb DEFAULT '{}'::jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
    RETURN jsonb_build_object(
        'success', true,
        'data', data,
        'validation', jsonb_build_object('errors', '[]'::jsonb,
                                         'warnings', to_jsonb(COALESCE(warnings, '{}'::text[]))),
        'metadata', COALESCE(metadata, '{}'::jsonb));
END
$$;


ALTER FUNCTION claude.envelope(data jsonb, warnings text[], metadata jsonb) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION envelope(data jsonb, warnings text[], metadata jsonb); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.envelope(data jsonb, warnings text[], metadata jsonb) IS 'The seed''s response envelope: {success, data, validation: {errors, warnings}, metadata}.';


--
-- Name: err(text, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.err(field text, message text, code text DEFAULT '23514'::text) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN jsonb_build_array(jsonb_build_object('field', field, 'message', message, 'code', code));


ALTER FUNCTION claude.err(field text, message text, code text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION err(field text, message text, code text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.err(field text, message text, code text) IS 'One failed check as a one-element JSON array ({field, message, code}), ready to append to an error list. code is the SQLSTATE the check stands for: 23514 invalid value, 23503 missing reference, 55000 wrong state.';


--
-- Name: expired_lease_exists(uuid, uuid, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.expired_lease_exists(feature_id uuid, project_id uuid, labels text[]) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    found boolean;
BEGIN
    -- an index probe (idx_tasks_lease) within the claim's own filters
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM claude.build_tasks t
                             WHERE t.status = ''in_progress'' AND t.lease_expires_at < now()'
            || claude.task_filters(feature_id, NULL, project_id, labels) || ')'
       INTO found
      USING feature_id, NULL::uuid, project_id, NULL::uuid, labels;
    RETURN found;
END
$$;


ALTER FUNCTION claude.expired_lease_exists(feature_id uuid, project_id uuid, labels text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION expired_lease_exists(feature_id uuid, project_id uuid, labels text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.expired_lease_exists(feature_id uuid, project_id uuid, labels text[]) IS 'Whether claim_next_task with these filters could take over an in_progress task whose lease has expired (so it compares priorities only then).';


--
-- Name: export_records(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.export_records(project_id uuid DEFAULT NULL::uuid) RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $$
DECLARE
    stamps text[] := claude.feed_stamp_columns();
BEGIN
    IF project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claude.projects p WHERE p.project_id = export_records.project_id) THEN
        PERFORM claude.raise_not_found('project', project_id);
    END IF;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'projects') || to_jsonb(p))::text
      FROM claude.projects p WHERE export_records.project_id IS NULL OR p.project_id = export_records.project_id
     ORDER BY p.created_at, p.project_id;
    -- every identity: they are shared by projects and few
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'identities') || to_jsonb(i))::text
      FROM claude.identities i ORDER BY i.created_at, i.identity_id;
    -- parents before children
    RETURN QUERY
    WITH RECURSIVE tree(feature_id, depth) AS (
        SELECT f.feature_id, 0 FROM claude.features f WHERE f.parent_feature_id IS NULL
        UNION ALL
        SELECT c.feature_id, t.depth + 1 FROM claude.features c JOIN tree t ON c.parent_feature_id = t.feature_id
         WHERE t.depth < 10000)
    SELECT (jsonb_build_object('record', 'features') || to_jsonb(f))::text
      FROM claude.features f LEFT JOIN (SELECT t.feature_id, min(t.depth) AS depth FROM tree t GROUP BY t.feature_id) d
           ON d.feature_id = f.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY COALESCE(d.depth, 0), f.created_at, f.feature_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'components') || to_jsonb(c))::text
      FROM claude.components c JOIN claude.features f ON f.feature_id = c.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY c.created_at, c.component_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'build_tasks') || to_jsonb(t))::text
      FROM claude.build_tasks t JOIN claude.features f ON f.feature_id = t.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY t.created_at, t.task_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'requirements') || to_jsonb(r))::text
      FROM claude.requirements r JOIN claude.features f ON f.feature_id = r.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY r.created_at, r.requirement_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'task_dependencies') || to_jsonb(d))::text
      FROM claude.task_dependencies d JOIN claude.build_tasks t ON t.task_id = d.task_id
      JOIN claude.features f ON f.feature_id = t.feature_id
     WHERE export_records.project_id IS NULL OR f.project_id = export_records.project_id
     ORDER BY d.task_id, d.depends_on_task_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'comments') || to_jsonb(c))::text
      FROM claude.comments c
     WHERE export_records.project_id IS NULL
        OR (SELECT e.project_id FROM claude.entity_project(c.entity_type, c.entity_id) e) = export_records.project_id
     ORDER BY c.created_at, c.comment_id;
    RETURN QUERY
    SELECT (jsonb_build_object('record', 'activity_feed') || (to_jsonb(a) - stamps))::text
      FROM claude.activity_feed a
     WHERE export_records.project_id IS NULL
        OR a.project_name = (SELECT p.project_name FROM claude.projects p WHERE p.project_id = export_records.project_id)
     ORDER BY a.created_at, a.id;
END
$$;


ALTER FUNCTION claude.export_records(project_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION export_records(project_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.export_records(project_id uuid) IS 'The database (or one project, with every identity) as JSON Lines, one row a line with its table in "record": projects, identities, features (parents first), components, build_tasks, requirements, task_dependencies, comments, activity_feed (without the stamps origin, db_user, xact_id, checksum); times in UTC; the same data gives the same lines. Errors: P0002 (no such project).';


--
-- Name: export_tables(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.export_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['projects'::text, 'identities'::text, 'features'::text, 'components'::text, 'build_tasks'::text, 'requirements'::text, 'task_dependencies'::text, 'comments'::text, 'activity_feed'::text];


ALTER FUNCTION claude.export_tables() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION export_tables(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.export_tables() IS 'The tables an export holds, in the order their lines are written (a line''s "record" is the table name).';


--
-- Name: feature_gate_failures(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feature_gate_failures(feature_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    -- one error item per failing condition, naming the entity at fault
    RETURN (
    SELECT COALESCE(jsonb_agg(jsonb_build_object('field', 'completion_gate', 'message', failure, 'code', '55000',
                                                 'entity_id', entity_id) ORDER BY kind, name), '[]')
      FROM (
        SELECT 1 AS kind, c.component_name AS name, c.component_id AS entity_id,
               format('component "%s" is %s, not completed, tested or documented', c.component_name, c.status) AS failure
          FROM claude.components c
         WHERE c.feature_id = feature_gate_failures.feature_id
           AND c.status NOT IN ('completed', 'tested', 'documented', 'deprecated')
        UNION ALL
        SELECT 2, r.requirement_name, r.requirement_id,
               format('must-have requirement "%s" is %s, not verified', r.requirement_name, r.status)
          FROM claude.requirements r
         WHERE r.feature_id = feature_gate_failures.feature_id
           AND r.must_have AND r.status <> 'verified'
        UNION ALL
        SELECT 3, t.task_name, t.task_id,
               format('task "%s" is %s, not completed', t.task_name, t.status)
          FROM claude.build_tasks t
         WHERE t.feature_id = feature_gate_failures.feature_id
           AND t.status NOT IN ('completed', 'cancelled')
        UNION ALL
        SELECT 4, f.feature_name, f.feature_id,
               format('child feature "%s" is %s, not completed or cancelled', f.feature_name, f.status)
          FROM claude.features f
         WHERE f.parent_feature_id = feature_gate_failures.feature_id
           AND f.status NOT IN ('completed', 'cancelled')
      ) AS failures);
END
$$;


ALTER FUNCTION claude.feature_gate_failures(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feature_gate_failures(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feature_gate_failures(feature_id uuid) IS 'The completion gate: every reason the feature cannot be completed (unfinished components, unverified must-have requirements, open tasks, open child features) as error items {field: completion_gate, message, code: 55000, entity_id: the entity at fault}; empty when it can.';


--
-- Name: feed_anchor(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feed_anchor() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN COALESCE((SELECT c.checkpoint_id || ':' || c.digest FROM claude.feed_checkpoints c
                      ORDER BY c.checkpoint_id DESC LIMIT 1), '0:');
END
$$;


ALTER FUNCTION claude.feed_anchor() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feed_anchor(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feed_anchor() IS 'The head of the checkpoint chain as "<checkpoint_id>:<digest>" ("0:" before the first seal). Save it somewhere the database''s owner cannot write; verify_feed(anchor) then proves the history up to it was not rewritten.';


--
-- Name: feed_month_start(timestamp with time zone); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feed_month_start(at timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (date_trunc('month'::text, (at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text);


ALTER FUNCTION claude.feed_month_start(at timestamp with time zone) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feed_month_start(at timestamp with time zone); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feed_month_start(at timestamp with time zone) IS 'The start of the UTC month holding at: the lower bound of its feed partition (the partitions do not depend on the session''s TimeZone).';


--
-- Name: feed_partition_name(date); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feed_partition_name(month date) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ((('activity_feed_p'::text || lpad(((EXTRACT(year FROM month))::integer)::text, 4, '0'::text)) || '_'::text) || lpad(((EXTRACT(month FROM month))::integer)::text, 2, '0'::text));


ALTER FUNCTION claude.feed_partition_name(month date) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feed_partition_name(month date); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feed_partition_name(month date) IS 'The name of the feed''s partition for the UTC month starting on month: activity_feed_pYYYY_MM (pg_partman''s monthly naming).';


--
-- Name: feed_partitions(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feed_partitions() RETURNS TABLE(partition_name text, range_start timestamp with time zone, range_end timestamp with time zone, estimated_rows bigint)
    LANGUAGE sql STABLE
    BEGIN ATOMIC
 SELECT (c.relname)::text AS relname,
     m.first,
     (m.first + '1 mon'::interval),
     (GREATEST(c.reltuples, (0)::real))::bigint AS "greatest"
    FROM (((pg_class parent
      JOIN pg_inherits i ON ((i.inhparent = parent.oid)))
      JOIN pg_class c ON ((c.oid = i.inhrelid)))
      CROSS JOIN LATERAL ( SELECT
                 CASE
                     WHEN (c.relname ~ '^activity_feed_p[0-9]{4}_[0-9]{2}$'::text) THEN ((to_date(substr((c.relname)::text, 16), 'YYYY_MM'::text))::timestamp without time zone AT TIME ZONE 'UTC'::text)
                     ELSE NULL::timestamp with time zone
                 END AS first) m)
   WHERE ((parent.relname = 'activity_feed'::name) AND (parent.relnamespace = ('claude'::regnamespace)::oid))
   ORDER BY m.first NULLS FIRST;
END;


ALTER FUNCTION claude.feed_partitions() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feed_partitions(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feed_partitions() IS 'The feed''s partitions: name, UTC month range (NULL for activity_feed_default) and the planner''s row estimate.';


--
-- Name: feed_range_digest(xid8, xid8, timestamp with time zone, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feed_range_digest(from_xid xid8, through_xid xid8, sealed_at timestamp with time zone, previous_digest text, OUT row_count bigint, OUT first_at timestamp with time zone, OUT last_at timestamp with time zone, OUT digest text) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    rows_chain bytea;
BEGIN
    SELECT count(*), min(a.created_at), max(a.created_at),
           claude.hash_chain(claude.feed_row_digest(a) ORDER BY a.xact_id, a.created_at, a.id)
      INTO row_count, first_at, last_at, rows_chain
      FROM claude.activity_feed a
     WHERE a.xact_id >= feed_range_digest.from_xid AND a.xact_id < feed_range_digest.through_xid;
    -- the checkpoint's own fields are hashed too: changing one breaks the chain
    digest := encode(sha256(convert_to(jsonb_build_array(previous_digest, from_xid::text, through_xid::text,
                  sealed_at AT TIME ZONE 'UTC', row_count, first_at AT TIME ZONE 'UTC',
                  last_at AT TIME ZONE 'UTC')::text, 'UTF8') || COALESCE(rows_chain, '')), 'hex');
END
$$;


ALTER FUNCTION claude.feed_range_digest(from_xid xid8, through_xid xid8, sealed_at timestamp with time zone, previous_digest text, OUT row_count bigint, OUT first_at timestamp with time zone, OUT last_at timestamp with time zone, OUT digest text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feed_range_digest(from_xid xid8, through_xid xid8, sealed_at timestamp with time zone, previous_digest text, OUT row_count bigint, OUT first_at timestamp with time zone, OUT last_at timestamp with time zone, OUT digest text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feed_range_digest(from_xid xid8, through_xid xid8, sealed_at timestamp with time zone, previous_digest text, OUT row_count bigint, OUT first_at timestamp with time zone, OUT last_at timestamp with time zone, OUT digest text) IS 'The digest of the feed rows of a transaction range, chained to previous_digest, with their count and time span: what seal_feed stores and verify_feed recomputes.';


--
-- Name: feed_row_digest(claude.activity_feed); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feed_row_digest(a claude.activity_feed) RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN sha256(convert_to((jsonb_build_array((a).id, (a).source_type, (a).source_id, (a).actor, (a).activity_type, (a).title, (a).summary, (a).project_name, (a).severity, ((a).created_at AT TIME ZONE 'UTC'::text), (a).changes, (a).checksum, (a).origin, (a).db_user, ((a).xact_id)::text))::text, 'UTF8'::name));


ALTER FUNCTION claude.feed_row_digest(a claude.activity_feed) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feed_row_digest(a claude.activity_feed); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feed_row_digest(a claude.activity_feed) IS 'sha256 of every column of a feed row: the unit the checkpoints chain over.';


--
-- Name: feed_stamp_columns(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.feed_stamp_columns() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['origin'::text, 'db_user'::text, 'xact_id'::text, 'checksum'::text];


ALTER FUNCTION claude.feed_stamp_columns() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION feed_stamp_columns(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.feed_stamp_columns() IS 'The feed''s columns that describe the database which wrote a row (not the row): left out of an export, refused in an import line.';


--
-- Name: finding_logged(text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.finding_logged(finding_key text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- rows the jobs wrote (or written before origins were recorded): a caller
    -- cannot pre-empt a finding, log_activity refuses the key
    RETURN EXISTS (SELECT 1 FROM claude.activity_feed a
                    WHERE (a.changes ->> 'job_finding') = finding_logged.finding_key
                      AND a.origin IN ('job', 'unrecorded'));
END
$$;


ALTER FUNCTION claude.finding_logged(finding_key text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION finding_logged(finding_key text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.finding_logged(finding_key text) IS 'Whether run_jobs already logged this finding (its job_finding key on a row the jobs wrote).';


--
-- Name: follow_feed(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.follow_feed() RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- LISTEN and the registration take effect at this transaction's commit:
    -- a writer that checks for followers after that notifies; one that
    -- checked just before does not, which the follower's polling covers
    LISTEN buildtracker_feed;
    PERFORM claude.forget_gone_followers();
    INSERT INTO claude.feed_followers AS f (pid) VALUES (pg_backend_pid())
        ON CONFLICT (pid) DO UPDATE SET since = now();
    RETURN true;
END
$$;


ALTER FUNCTION claude.follow_feed() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION follow_feed(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.follow_feed() IS 'Starts following the feed in this session: LISTEN on channel buildtracker_feed, and registers the session (claude.feed_followers) so that writers notify it (they do not notify while nobody follows). Then read with get_activity_after, when woken and every few seconds anyway (a notification can come late or never: a row becomes readable when the oldest open transaction ends). The registration ends with the session. Returns true.';


--
-- Name: forget_gone_followers(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.forget_gone_followers() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    forgotten integer;
BEGIN
    DELETE FROM claude.feed_followers f
     WHERE NOT EXISTS (SELECT 1 FROM pg_stat_get_activity(NULL) a WHERE a.pid = f.pid);
    GET DIAGNOSTICS forgotten = ROW_COUNT;
    RETURN forgotten;
END
$$;


ALTER FUNCTION claude.forget_gone_followers() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION forget_gone_followers(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.forget_gone_followers() IS 'Removes the followers of the feed whose session has ended (claude.feed_followers); returns how many.';


--
-- Name: get_activity(text, text, uuid, text, text, text[], timestamp with time zone, timestamp with time zone, integer, uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_activity(project_name text DEFAULT NULL::text, source_type text DEFAULT NULL::text, source_id uuid DEFAULT NULL::uuid, actor text DEFAULT NULL::text, activity_type text DEFAULT NULL::text, severities text[] DEFAULT NULL::text[], since timestamp with time zone DEFAULT NULL::timestamp with time zone, before timestamp with time zone DEFAULT NULL::timestamp with time zone, max_rows integer DEFAULT 50, before_id uuid DEFAULT NULL::uuid) RETURNS SETOF claude.activity_feed
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    filters text[] := '{}'::text[];
BEGIN
    IF project_name IS NOT NULL THEN filters := filters || 'a.project_name = $1'::text; END IF;
    IF source_type IS NOT NULL THEN filters := filters || 'a.source_type = $2'::text; END IF;
    IF source_id IS NOT NULL THEN filters := filters || 'a.source_id = $3'::text; END IF;
    IF actor IS NOT NULL THEN filters := filters || 'a.actor = $4'::text; END IF;
    IF activity_type IS NOT NULL THEN filters := filters || 'a.activity_type = $5'::text; END IF;
    IF severities IS NOT NULL THEN filters := filters || 'a.severity = ANY ($6)'::text; END IF;
    IF since IS NOT NULL THEN filters := filters || 'a.created_at >= $7'::text; END IF;
    IF before IS NOT NULL AND before_id IS NOT NULL THEN
        -- keyset on (created_at, id): rows sharing a created_at are not skipped
        filters := filters || '(a.created_at, a.id) < ($8, $10)'::text;
    ELSIF before IS NOT NULL THEN
        filters := filters || 'a.created_at < $8'::text;
    END IF;
    RETURN QUERY EXECUTE
        'SELECT a.* FROM claude.activity_feed a'
        || COALESCE(' WHERE ' || NULLIF(array_to_string(filters, ' AND '), ''), '')
        || ' ORDER BY a.created_at DESC, a.id DESC LIMIT $9'
      USING project_name, source_type, source_id, actor, activity_type, severities, since, before,
            LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000), before_id;
END
$_$;


ALTER FUNCTION claude.get_activity(project_name text, source_type text, source_id uuid, actor text, activity_type text, severities text[], since timestamp with time zone, before timestamp with time zone, max_rows integer, before_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_activity(project_name text, source_type text, source_id uuid, actor text, activity_type text, severities text[], since timestamp with time zone, before timestamp with time zone, max_rows integer, before_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_activity(project_name text, source_type text, source_id uuid, actor text, activity_type text, severities text[], since timestamp with time zone, before timestamp with time zone, max_rows integer, before_id uuid) IS 'The activity feed, newest first, filtered; page backwards by passing the last row''s created_at as before and its id as before_id. max_rows 0-1000, default 50.';


--
-- Name: get_activity_after(uuid, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_activity_after(after_id uuid DEFAULT NULL::uuid, max_rows integer DEFAULT 100) RETURNS SETOF claude.activity_feed
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
    wanted integer := LEAST(GREATEST(COALESCE(max_rows, 100), 0), 1000);
    last claude.activity_feed;
BEGIN
    IF after_id = '00000000-0000-0000-0000-000000000000'::uuid THEN
        -- from the very beginning (a follower that started on an empty feed)
        RETURN QUERY
        SELECT a.* FROM claude.activity_feed a WHERE a.xact_id < horizon
         ORDER BY a.xact_id, a.created_at, a.id LIMIT wanted;
        RETURN;
    END IF;
    IF after_id IS NULL THEN
        -- where to start: the newest final rows, oldest first
        RETURN QUERY
        SELECT r.* FROM (SELECT a.* FROM claude.activity_feed a WHERE a.xact_id < horizon
                          ORDER BY a.xact_id DESC, a.created_at DESC, a.id DESC LIMIT wanted) r
         ORDER BY r.xact_id, r.created_at, r.id;
        RETURN;
    END IF;
    SELECT * INTO last FROM claude.activity_feed a WHERE a.id = after_id;
    IF NOT FOUND THEN
        -- pruned, or never there: the caller cannot know what it missed
        PERFORM claude.raise_not_found('activity', after_id);
    END IF;
    RETURN QUERY
    SELECT a.* FROM claude.activity_feed a
     WHERE (a.xact_id, a.created_at, a.id) > (last.xact_id, last.created_at, last.id)
       AND a.xact_id < horizon
     ORDER BY a.xact_id, a.created_at, a.id
     LIMIT wanted;
END
$$;


ALTER FUNCTION claude.get_activity_after(after_id uuid, max_rows integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_activity_after(after_id uuid, max_rows integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_activity_after(after_id uuid, max_rows integer) IS 'Follows the feed: the final rows after the row after_id, in the feed''s chain order (transaction, time, id), every severity, oldest first; without after_id the newest max_rows final rows; with the nil uuid (00000000-0000-0000-0000-000000000000) the oldest, for a follower that started on an empty feed. Final means every transaction that could still add a row before it has ended, so a reader passing the last id it got never misses a row. max_rows 0-1000, default 100. Errors: P0002 (after_id is not in the feed, e.g. pruned).';


--
-- Name: get_comments(text, uuid, integer, timestamp with time zone, uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_comments(entity_type text, entity_id uuid, max_rows integer DEFAULT 50, before timestamp with time zone DEFAULT NULL::timestamp with time zone, before_id uuid DEFAULT NULL::uuid) RETURNS SETOF claude.comments
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_comments(entity_type text, entity_id uuid, max_rows integer, before timestamp with time zone, before_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_comments(entity_type text, entity_id uuid, max_rows integer, before timestamp with time zone, before_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_comments(entity_type text, entity_id uuid, max_rows integer, before timestamp with time zone, before_id uuid) IS 'The comments on one entity, newest first; page backwards with the last row''s created_at as before and its comment_id as before_id. max_rows 0-1000, default 50. Comments outlive their entity, so a deleted entity''s comments are still returned.';


--
-- Name: get_component(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_component(component_id uuid) RETURNS claude.components
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_component(component_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_component(component_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_component(component_id uuid) IS 'One component by id. Errors: P0002.';


--
-- Name: get_feature(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_feature(feature_id uuid) RETURNS claude.features
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_feature(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_feature(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_feature(feature_id uuid) IS 'One feature by id (its row only; get_feature_with_children adds its components, tasks and requirements). Errors: P0002.';


--
-- Name: get_feature_completion(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_feature_completion(feature_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    f claude.features;
    failures text[];
BEGIN
    SELECT * INTO f FROM claude.features x WHERE x.feature_id = get_feature_completion.feature_id;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('feature', get_feature_completion.feature_id);
    END IF;
    failures := claude.feature_completion_failures(f.feature_id);
    RETURN jsonb_build_object(
        'feature_id', f.feature_id,
        'feature_name', f.feature_name,
        'status', f.status,
        'completion_percentage', f.completion_percentage,
        'components', (SELECT jsonb_build_object(
                'total', count(*),
                'done', count(*) FILTER (WHERE c.status IN ('completed', 'tested', 'documented')),
                'deprecated', count(*) FILTER (WHERE c.status = 'deprecated'),
                'remaining', count(*) FILTER (WHERE c.status IN ('planned', 'in_progress')))
            FROM claude.components c WHERE c.feature_id = f.feature_id),
        'tasks', (SELECT jsonb_build_object(
                'total', count(*),
                'completed', count(*) FILTER (WHERE t.status = 'completed'),
                'cancelled', count(*) FILTER (WHERE t.status = 'cancelled'),
                'open', count(*) FILTER (WHERE t.status NOT IN ('completed', 'cancelled')))
            FROM claude.build_tasks t WHERE t.feature_id = f.feature_id),
        'requirements', (SELECT jsonb_build_object(
                'total', count(*),
                'verified', count(*) FILTER (WHERE r.status = 'verified'),
                'must_have', count(*) FILTER (WHERE r.must_have),
                'must_have_verified', count(*) FILTER (WHERE r.must_have AND r.status = 'verified'))
            FROM claude.requirements r WHERE r.feature_id = f.feature_id),
        'child_features', (SELECT jsonb_build_object(
                'total', count(*),
                'finished', count(*) FILTER (WHERE c.status IN ('completed', 'cancelled')))
            FROM claude.features c WHERE c.parent_feature_id = f.feature_id),
        'can_complete', cardinality(failures) = 0,
        'checks', to_jsonb(failures));
END
$$;


ALTER FUNCTION claude.get_feature_completion(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_feature_completion(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_feature_completion(feature_id uuid) IS 'Completion details: counts per child kind (components, tasks, requirements, child features), the percentage, and the gate result. Errors: P0002.';


--
-- Name: get_feature_with_children(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_feature_with_children(feature_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    result jsonb;
BEGIN
    SELECT to_jsonb(f) || jsonb_build_object(
        'components', COALESCE((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.created_at, c.component_name)
                                  FROM claude.components c WHERE c.feature_id = f.feature_id), '[]'),
        'tasks', COALESCE((SELECT jsonb_agg(to_jsonb(t) ORDER BY t.created_at, t.task_name)
                             FROM claude.build_tasks t WHERE t.feature_id = f.feature_id), '[]'),
        'requirements', COALESCE((SELECT jsonb_agg(to_jsonb(r) ORDER BY r.created_at, r.requirement_name)
                                    FROM claude.requirements r WHERE r.feature_id = f.feature_id), '[]'))
      INTO result
      FROM claude.features f WHERE f.feature_id = get_feature_with_children.feature_id;
    IF result IS NULL THEN
        PERFORM claude.raise_not_found('feature', get_feature_with_children.feature_id);
    END IF;
    RETURN result;
END
$$;


ALTER FUNCTION claude.get_feature_with_children(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_feature_with_children(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_feature_with_children(feature_id uuid) IS 'The feature row with its components, tasks and requirements as arrays. Errors: P0002.';


--
-- Name: get_identity(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_identity(identity_id uuid) RETURNS claude.identities
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_identity(identity_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_identity(identity_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_identity(identity_id uuid) IS 'One identity by id. Errors: P0002.';


--
-- Name: get_project(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_project(project_id uuid) RETURNS claude.projects
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_project(project_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_project(project_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_project(project_id uuid) IS 'One project by id. Errors: P0002.';


--
-- Name: get_ready_tasks(uuid, uuid, uuid, integer, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_ready_tasks(feature_id uuid DEFAULT NULL::uuid, component_id uuid DEFAULT NULL::uuid, project_id uuid DEFAULT NULL::uuid, max_rows integer DEFAULT 50, labels text[] DEFAULT NULL::text[]) RETURNS SETOF claude.build_tasks
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
BEGIN
    RETURN QUERY EXECUTE claude.ready_tasks_query(feature_id, component_id, project_id, labels)
                         || ' ORDER BY t.priority, t.created_at, t.task_id LIMIT $4'
      USING feature_id, component_id, project_id, LEAST(GREATEST(COALESCE(max_rows, 50), 0), 1000), labels;
END
$_$;


ALTER FUNCTION claude.get_ready_tasks(feature_id uuid, component_id uuid, project_id uuid, max_rows integer, labels text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_ready_tasks(feature_id uuid, component_id uuid, project_id uuid, max_rows integer, labels text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_ready_tasks(feature_id uuid, component_id uuid, project_id uuid, max_rows integer, labels text[]) IS 'todo tasks whose blocks dependencies (claude.task_dependencies) are all completed or cancelled, by priority then age (index idx_tasks_ready); labels keeps only tasks carrying all of them; max_rows 0-1000, default 50.';


--
-- Name: get_requirement(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_requirement(requirement_id uuid) RETURNS claude.requirements
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_requirement(requirement_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_requirement(requirement_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_requirement(requirement_id uuid) IS 'One requirement by id. Errors: P0002.';


--
-- Name: get_task(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_task(task_id uuid) RETURNS claude.build_tasks
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_task(task_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_task(task_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_task(task_id uuid) IS 'One build task by id. Errors: P0002.';


--
-- Name: get_task_context(uuid, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_task_context(task_id uuid, max_comments integer DEFAULT 20) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_task_context(task_id uuid, max_comments integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_task_context(task_id uuid, max_comments integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_task_context(task_id uuid, max_comments integer) IS 'One task with what an agent needs to work it: {"task": row, "feature_name", "project_name", "assignee_name", "depends_on": [{task_id, task_name, status, kind}], "dependents": [...], "comments": [newest first, at most max_comments (clamped to 0-100, default 20)]}. Errors: P0002.';


--
-- Name: get_task_dependencies(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.get_task_dependencies(task_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.get_task_dependencies(task_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION get_task_dependencies(task_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.get_task_dependencies(task_id uuid) IS 'A task''s edges both ways: {"depends_on": [{task_id, task_name, status, kind}], "dependents": [...]}. Errors: P0002.';


--
-- Name: guard_activity_feed(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.guard_activity_feed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    stack text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- Only the DELETE statement of claude.prune_activity passes: its frame
        -- must call this trigger directly. A session setting would let anyone
        -- who may DELETE (the owner) switch the guard off unseen; getting past
        -- this check takes DDL (replacing prune_activity or the trigger).
        -- Matched on what PostgreSQL never translates (the statement's text
        -- and the function's signature), so it works under any lc_messages.
        GET DIAGNOSTICS stack = PG_CONTEXT;
        IF strpos((string_to_array(stack, E'\n'))[2], 'DELETE FROM claude.activity_feed a WHERE a.xact_id < prune_horizon') > 0
           AND (string_to_array(stack, E'\n'))[3] ~ '(^|[^"])\mclaude\.prune_activity\(interval,text\)' THEN
            RETURN OLD;
        END IF;
        -- and the move of a month's rows out of the default partition into
        -- their new partition (copied first, in the same transaction)
        IF strpos((string_to_array(stack, E'\n'))[2],
                  'DELETE FROM claude.activity_feed_default d WHERE d.created_at >= first AND d.created_at < next') > 0
           AND (string_to_array(stack, E'\n'))[3] ~ '(^|[^"])\mclaude\.create_feed_partition\(date\)' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'object_not_in_prerequisite_state',
        MESSAGE = format('the activity feed is append-only: %s is not allowed', TG_OP),
        DETAIL = jsonb_build_object('errors', claude.err('activity_feed',
                     format('%s on the activity feed is not allowed', TG_OP), '55000'))::text,
        HINT = 'Old rows can be pruned with claude.prune_activity(older_than), which records the pruning.';
END
$$;


ALTER FUNCTION claude.guard_activity_feed() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION guard_activity_feed(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.guard_activity_feed() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE on the activity feed, even for the owner; only the DELETE statements inside claude.prune_activity and claude.create_feed_partition (which moves rows it has just copied) pass (checked on the call stack, not by a setting anyone could make).';


--
-- Name: guard_comments(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.guard_comments() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.guard_comments() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION guard_comments(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.guard_comments() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE on comments, even for the owner (55000).';


--
-- Name: guard_computed_completion(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.guard_computed_completion() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    computed integer := claude.computed_completion(NEW.feature_id);
BEGIN
    IF computed IS NOT NULL AND NEW.completion_percentage IS DISTINCT FROM computed THEN
        PERFORM claude.raise_errors(claude.err('completion_percentage',
            format('completion_percentage is computed from the feature''s components or tasks (%s), not set by hand', computed)),
            format('cannot update feature "%s"', NEW.feature_name));
    END IF;
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.guard_computed_completion() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION guard_computed_completion(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.guard_computed_completion() IS 'Trigger: a feature with components or tasks has its completion_percentage computed; only a feature with neither takes a value set by hand.';


--
-- Name: guard_feed_checkpoints(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.guard_feed_checkpoints() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'object_not_in_prerequisite_state',
        MESSAGE = format('the feed''s checkpoints are append-only: %s is not allowed', TG_OP),
        DETAIL = jsonb_build_object('errors', claude.err('feed_checkpoints',
                     format('%s on the feed''s checkpoints is not allowed', TG_OP), '55000'))::text;
END
$$;


ALTER FUNCTION claude.guard_feed_checkpoints() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION guard_feed_checkpoints(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.guard_feed_checkpoints() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE on the feed''s checkpoints.';


--
-- Name: guard_feed_partition(regclass); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.guard_feed_partition(part regclass) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = part AND t.tgname = 'bt05_append_only_truncate') THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TRIGGER bt05_append_only_truncate BEFORE TRUNCATE ON %s'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_activity_feed()', part);
    RETURN true;
END
$$;


ALTER FUNCTION claude.guard_feed_partition(part regclass) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION guard_feed_partition(part regclass); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.guard_feed_partition(part regclass) IS 'Gives a partition of the feed the append-only TRUNCATE guard (PostgreSQL does not pass TRUNCATE triggers on to partitions); false when it has it.';


--
-- Name: heartbeat_task(uuid, uuid, interval, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.heartbeat_task(task_id uuid, identity_id uuid, lease interval DEFAULT '00:30:00'::interval, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    length interval := claude.lease_length(heartbeat_task.lease);
    -- a heartbeat applies where a release does: while the task is held (in_progress)
    locked claude.build_tasks := claude.lock_task(heartbeat_task.task_id,
                                                  claude.action_from_statuses('build_task', 'release'), 'heartbeat');
    after claude.build_tasks;
BEGIN
    -- only the holder extends its lease; an expired lease may already be someone else's
    IF locked.assigned_to_identity_id IS DISTINCT FROM heartbeat_task.identity_id THEN
        PERFORM claude.raise_errors(jsonb_set(claude.err('identity_id',
            format('task "%s" is held by %s, not by the caller', locked.task_name,
                   COALESCE((SELECT i.identity_name FROM claude.identities i
                              WHERE i.identity_id = locked.assigned_to_identity_id), 'nobody')),
            '55000'), '{0,entity_id}', COALESCE(to_jsonb(locked.assigned_to_identity_id), 'null')),
            format('cannot heartbeat task "%s"', locked.task_name));
    END IF;
    PERFORM claude.begin_call(actor);
    UPDATE claude.build_tasks AS t SET lease_expires_at = now() + length
     WHERE t.task_id = heartbeat_task.task_id
    RETURNING t.* INTO after;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after), '{}', jsonb_build_object('lease_expires_at', after.lease_expires_at));
END
$$;


ALTER FUNCTION claude.heartbeat_task(task_id uuid, identity_id uuid, lease interval, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION heartbeat_task(task_id uuid, identity_id uuid, lease interval, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.heartbeat_task(task_id uuid, identity_id uuid, lease interval, actor text) IS 'Extends the lease of an in_progress task held by identity_id to now() + lease (1 second to 1 day, default 30 minutes); not logged in the feed (a lease is not history). Metadata: lease_expires_at. Errors: 23514, P0002, 55000 (not in progress, or held by another identity).';


--
-- Name: import_records(jsonb, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.import_records(records jsonb, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $_$
DECLARE
    -- every exported table but the feed, whose own triggers stamp and seal the rows
    entity_tables text[] := array_remove(claude.export_tables(), 'activity_feed');
    errors jsonb := '[]'::jsonb;
    counts jsonb := '{}'::jsonb;
    line jsonb;
    line_no integer := 0;
    tbl text;
    unknown text;
    parents jsonb := '[]'::jsonb;
    blockers jsonb := '[]'::jsonb;
    problem record;
    known jsonb;
    state text;
    message text;
BEGIN
    -- the caller's role, as delete_feature's force: an import writes history
    -- (ids, times, statuses) that no workflow function would accept
    IF NOT pg_has_role(CASE WHEN current_setting('role') = 'none' THEN session_user::text
                            ELSE current_setting('role') END, 'buildtracker_owner', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'cannot import: only the owner role may',
            DETAIL = jsonb_build_object('errors', claude.err('records', 'import is for the owner role only', '42501'))::text;
    END IF;
    IF jsonb_typeof(records) IS DISTINCT FROM 'array' THEN
        PERFORM claude.raise_errors(claude.err('records', 'records must be a JSON array of exported lines'), 'cannot import');
    END IF;
    -- what was wrong before the import is not the import's fault: only new
    -- violations refuse it
    SELECT COALESCE(jsonb_agg(jsonb_build_array(v.invariant, v.entity_id)), '[]') INTO known
      FROM claude.check_invariants() v;
    -- The lines are rows as they were: the rule, timestamp and logging
    -- triggers stay off for this transaction (constraints, foreign keys and
    -- uniqueness still hold); check_invariants() below checks the result.
    FOREACH tbl IN ARRAY entity_tables LOOP
        EXECUTE format('ALTER TABLE claude.%I DISABLE TRIGGER USER', tbl);
    END LOOP;
    PERFORM set_config('buildtracker.feed_origin', 'import', true);
    FOR line IN SELECT value FROM jsonb_array_elements(records) LOOP
        line_no := line_no + 1;
        tbl := line ->> 'record';
        IF jsonb_typeof(line) IS DISTINCT FROM 'object' OR tbl IS NULL OR NOT tbl = ANY (claude.export_tables()) THEN
            errors := errors || jsonb_set(claude.err(format('line %s', line_no),
                format('"record" must be one of %s', array_to_string(claude.export_tables(), ', '))), '{0,line}', to_jsonb(line_no));
            CONTINUE;
        END IF;
        -- a key no column takes would be lost silently: refused
        SELECT string_agg(k, ', ' ORDER BY k) INTO unknown
          FROM jsonb_object_keys(line - 'record') k
         WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                            WHERE a.attrelid = format('claude.%I', tbl)::regclass AND a.attname = k
                              AND a.attnum > 0 AND NOT a.attisdropped)
            OR (tbl = 'activity_feed' AND k = ANY (claude.feed_stamp_columns()));
        IF unknown IS NOT NULL THEN
            errors := errors || jsonb_set(claude.err(format('line %s', line_no),
                format('%s has no column %s', tbl, unknown)), '{0,line}', to_jsonb(line_no));
            CONTINUE;
        END IF;
        -- links inside a table are set once every row is in (any line order)
        IF tbl = 'features' AND line ->> 'parent_feature_id' IS NOT NULL THEN
            parents := parents || jsonb_build_array(jsonb_build_object('id', line -> 'feature_id', 'link', line -> 'parent_feature_id', 'line', line_no));
            line := line - 'parent_feature_id';
        ELSIF tbl = 'build_tasks' AND line ->> 'blocked_by_task_id' IS NOT NULL THEN
            blockers := blockers || jsonb_build_array(jsonb_build_object('id', line -> 'task_id', 'link', line -> 'blocked_by_task_id', 'line', line_no));
            line := line - 'blocked_by_task_id';
        END IF;
        -- identities are shared by projects (every export holds them all):
        -- one already here under the same name is the same identity
        IF tbl = 'identities' AND EXISTS (SELECT 1 FROM claude.identities i
                                           WHERE i.identity_id = (line ->> 'identity_id')::uuid
                                             AND i.identity_name = line ->> 'identity_name') THEN
            counts := jsonb_set(counts, '{identities_already_present}',
                                to_jsonb(COALESCE((counts ->> 'identities_already_present')::integer, 0) + 1));
            CONTINUE;
        END IF;
        BEGIN
            -- a feed row's id is unique: the partitioned feed's key is (id,
            -- created_at), so the same id at another time is refused here
            IF tbl = 'activity_feed' AND EXISTS (SELECT 1 FROM claude.activity_feed a WHERE a.id = (line ->> 'id')::uuid) THEN
                RAISE EXCEPTION USING ERRCODE = 'unique_violation',
                    MESSAGE = format('id %s is already in the activity feed', line ->> 'id');
            END IF;
            EXECUTE format('INSERT INTO claude.%1$I SELECT * FROM jsonb_populate_record(NULL::claude.%1$I, $1)', tbl)
              USING line - 'record';
            counts := jsonb_set(counts, ARRAY[tbl], to_jsonb(COALESCE((counts ->> tbl)::integer, 0) + 1));
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            errors := errors || jsonb_set(claude.err(format('line %s', line_no), format('%s: %s', tbl, message), state),
                                          '{0,line}', to_jsonb(line_no));
        END;
    END LOOP;
    FOR problem IN SELECT * FROM jsonb_to_recordset(parents) AS x(id uuid, link uuid, line integer) LOOP
        BEGIN
            UPDATE claude.features f SET parent_feature_id = problem.link WHERE f.feature_id = problem.id;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            errors := errors || jsonb_set(claude.err(format('line %s', problem.line), 'features: ' || message, state),
                                          '{0,line}', to_jsonb(problem.line));
        END;
    END LOOP;
    FOR problem IN SELECT * FROM jsonb_to_recordset(blockers) AS x(id uuid, link uuid, line integer) LOOP
        BEGIN
            UPDATE claude.build_tasks t SET blocked_by_task_id = problem.link WHERE t.task_id = problem.id;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            errors := errors || jsonb_set(claude.err(format('line %s', problem.line), 'build_tasks: ' || message, state),
                                          '{0,line}', to_jsonb(problem.line));
        END;
    END LOOP;
    PERFORM set_config('buildtracker.feed_origin', '', true);
    FOREACH tbl IN ARRAY entity_tables LOOP
        EXECUTE format('ALTER TABLE claude.%I ENABLE TRIGGER USER', tbl);
    END LOOP;
    -- what the rules would have refused, found on the result
    IF errors = '[]'::jsonb THEN
        FOR problem IN SELECT * FROM claude.check_invariants() v
                        WHERE NOT known @> jsonb_build_array(jsonb_build_array(v.invariant, v.entity_id)) LOOP
            errors := errors || claude.err(problem.invariant,
                format('%s %s: %s', problem.entity, problem.entity_id, problem.detail), '23514');
        END LOOP;
    END IF;
    -- all or nothing: one error naming every refused line rolls it all back
    PERFORM claude.raise_errors(errors, format('cannot import %s lines', line_no),
        'Nothing was imported; fix the lines named and import the file again.');
    RETURN jsonb_build_object('lines', line_no, 'imported', counts, 'actor', COALESCE(actor, claude.current_actor()));
END
$_$;


ALTER FUNCTION claude.import_records(records jsonb, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION import_records(records jsonb, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.import_records(records jsonb, actor text) IS 'Admin only (the owner role): loads exported lines (a JSON array of export_records objects) in the caller''s transaction, all or nothing. Rows keep their ids, times and statuses; constraints, foreign keys and uniqueness hold, and check_invariants() may find nothing new afterwards; feed rows keep id and created_at (origin import). Every refused line is named (field "line N", with its number in "line"). An identity already present with the same id and name is the same one (counted as identities_already_present), so several projects'' exports load into one database. Returns {"lines", "imported": {table: count}, "actor"}. Call it in a statement of its own: it switches the tables'' triggers off and on. Errors: 42501, 23514, 23505, 23503.';


--
-- Name: keyset_after(text, timestamp with time zone, uuid, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.keyset_after(key_column text, after timestamp with time zone, after_id uuid, after_param integer) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
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
$_$;


ALTER FUNCTION claude.keyset_after(key_column text, after timestamp with time zone, after_id uuid, after_param integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION keyset_after(key_column text, after timestamp with time zone, after_id uuid, after_param integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.keyset_after(key_column text, after timestamp with time zone, after_id uuid, after_param integer) IS 'The keyset condition of a list_* page: rows after (after, after_id), as SQL over alias t with the values bound as parameters after_param and after_param + 1; null when there is no after.';


--
-- Name: lease_length(interval); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.lease_length(lease interval) RETURNS interval
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- from 1 second (tests, demos, very short steps) to 1 day (longer is no
    -- lease at all)
    IF lease IS NULL OR lease < interval '1 second' OR lease > interval '1 day' THEN
        PERFORM claude.raise_errors(claude.err('lease', format('lease must be from 1 second to 1 day, not %s', COALESCE(lease::text, 'null'))),
                                    'invalid lease');
    END IF;
    RETURN lease;
END
$$;


ALTER FUNCTION claude.lease_length(lease interval) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION lease_length(lease interval); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.lease_length(lease interval) IS 'Checks a requested lease length (1 second to 1 day) and returns it; 23514 otherwise.';


--
-- Name: list_api_tokens(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.list_api_tokens() RETURNS TABLE(token_id uuid, identity_name text, access text, label text, created_at timestamp with time zone, revoked_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY
        SELECT t.token_id, i.identity_name, t.access, t.label, t.created_at, t.revoked_at
          FROM claude.api_tokens t JOIN claude.identities i ON i.identity_id = t.identity_id
         ORDER BY t.created_at, t.token_id;
END
$$;


ALTER FUNCTION claude.list_api_tokens() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION list_api_tokens(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.list_api_tokens() IS 'Admin only: every REST API token (never the token itself, which is not stored), oldest first.';


--
-- Name: list_components(uuid, text, timestamp with time zone, uuid, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.list_components(feature_id uuid DEFAULT NULL::uuid, status text DEFAULT NULL::text, after timestamp with time zone DEFAULT NULL::timestamp with time zone, after_id uuid DEFAULT NULL::uuid, max_rows integer DEFAULT 50) RETURNS SETOF claude.components
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION claude.list_components(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION list_components(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.list_components(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) IS 'Components by feature and status, oldest first; page with after/after_id. max_rows 0-1000, default 50. Errors: 23514 (unknown status), P0002 (a filter names a missing entity).';


--
-- Name: list_features(uuid, text, timestamp with time zone, uuid, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.list_features(project_id uuid DEFAULT NULL::uuid, status text DEFAULT NULL::text, after timestamp with time zone DEFAULT NULL::timestamp with time zone, after_id uuid DEFAULT NULL::uuid, max_rows integer DEFAULT 50) RETURNS SETOF claude.features
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION claude.list_features(project_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION list_features(project_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.list_features(project_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) IS 'Features by project and status, oldest first; page with after/after_id = the last row''s created_at and feature_id (after alone: strictly after that time). max_rows 0-1000, default 50. Errors: 23514 (unknown status), P0002 (a filter names a missing entity).';


--
-- Name: list_identities(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.list_identities() RETURNS SETOF claude.identities
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY SELECT i.* FROM claude.identities i ORDER BY i.identity_name;
END
$$;


ALTER FUNCTION claude.list_identities() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION list_identities(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.list_identities() IS 'Every identity, by name.';


--
-- Name: list_projects(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.list_projects() RETURNS SETOF claude.projects
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY SELECT p.* FROM claude.projects p ORDER BY p.project_name;
END
$$;


ALTER FUNCTION claude.list_projects() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION list_projects(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.list_projects() IS 'Every project, by name.';


--
-- Name: list_requirements(uuid, text, timestamp with time zone, uuid, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.list_requirements(feature_id uuid DEFAULT NULL::uuid, status text DEFAULT NULL::text, after timestamp with time zone DEFAULT NULL::timestamp with time zone, after_id uuid DEFAULT NULL::uuid, max_rows integer DEFAULT 50) RETURNS SETOF claude.requirements
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION claude.list_requirements(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION list_requirements(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.list_requirements(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) IS 'Requirements by feature and status, oldest first; page with after/after_id. max_rows 0-1000, default 50. Errors: 23514 (unknown status), P0002 (a filter names a missing entity).';


--
-- Name: list_tasks(uuid, text, uuid, uuid, timestamp with time zone, uuid, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.list_tasks(feature_id uuid DEFAULT NULL::uuid, status text DEFAULT NULL::text, assigned_to_identity_id uuid DEFAULT NULL::uuid, project_id uuid DEFAULT NULL::uuid, after timestamp with time zone DEFAULT NULL::timestamp with time zone, after_id uuid DEFAULT NULL::uuid, max_rows integer DEFAULT 50) RETURNS SETOF claude.build_tasks
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION claude.list_tasks(feature_id uuid, status text, assigned_to_identity_id uuid, project_id uuid, after timestamp with time zone, after_id uuid, max_rows integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION list_tasks(feature_id uuid, status text, assigned_to_identity_id uuid, project_id uuid, after timestamp with time zone, after_id uuid, max_rows integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.list_tasks(feature_id uuid, status text, assigned_to_identity_id uuid, project_id uuid, after timestamp with time zone, after_id uuid, max_rows integer) IS 'Build tasks by feature, status, assignee and project, oldest first; page with after/after_id. max_rows 0-1000, default 50. Errors: 23514 (unknown status), P0002 (a filter names a missing entity).';


--
-- Name: lock_component_parents(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.lock_component_parents() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM claude.lock_parent_rows(NULL, ARRAY[NEW.feature_id]);
    ELSIF NEW.feature_id IS DISTINCT FROM OLD.feature_id THEN
        -- a move carries the component's tasks along (bt50_carry_tasks): take
        -- them before the features, as a task's own roll-up does
        PERFORM 1 FROM claude.build_tasks t WHERE t.component_id = NEW.component_id
         ORDER BY t.task_id FOR NO KEY UPDATE;
        PERFORM claude.lock_parent_rows(NULL, ARRAY[OLD.feature_id, NEW.feature_id]);
    END IF;
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.lock_component_parents() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION lock_component_parents(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.lock_component_parents() IS 'Trigger: before a component is added or moved, locks the feature(s) (and, for a move, the tasks it carries), so a concurrent completion or cancellation of the feature cannot slip past the rule check.';


--
-- Name: lock_links(text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.lock_links(kind text) RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
 SELECT pg_advisory_xact_lock(hashtextextended(('buildtracker.'::text || kind), (0)::bigint)) AS pg_advisory_xact_lock;
END;


ALTER FUNCTION claude.lock_links(kind text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION lock_links(kind text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.lock_links(kind text) IS 'Transaction-scoped advisory lock serialising every change of one kind of link (feature_parents or task_dependencies). Workflow functions take it before locking any row, so two opposite links wait for each other instead of deadlocking.';


--
-- Name: lock_parent_rows(uuid, uuid[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.lock_parent_rows(component_id uuid, feature_ids uuid[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- FOR SHARE: the component can neither move nor change status until this
    -- transaction ends; other rows may attach to it at the same time.
    IF lock_parent_rows.component_id IS NOT NULL THEN
        PERFORM 1 FROM claude.components c WHERE c.component_id = lock_parent_rows.component_id FOR SHARE;
    END IF;
    -- FOR NO KEY UPDATE, the lock the roll-up takes anyway (a weaker lock here
    -- would be upgraded later, and two writers holding it could deadlock); it
    -- waits for a feature being completed or cancelled. Id order, like the
    -- roll-up of a move.
    PERFORM 1 FROM claude.features f WHERE f.feature_id = ANY(feature_ids)
     ORDER BY f.feature_id FOR NO KEY UPDATE;
END
$$;


ALTER FUNCTION claude.lock_parent_rows(component_id uuid, feature_ids uuid[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION lock_parent_rows(component_id uuid, feature_ids uuid[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.lock_parent_rows(component_id uuid, feature_ids uuid[]) IS 'Locks a component FOR SHARE, then features FOR NO KEY UPDATE in id order: the rows a rule is about to read, held until commit.';


--
-- Name: lock_requirement_parents(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.lock_requirement_parents() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    relinked boolean := TG_OP = 'INSERT' OR NEW.feature_id IS DISTINCT FROM OLD.feature_id;
BEGIN
    IF relinked OR NEW.implemented_by_component_id IS DISTINCT FROM OLD.implemented_by_component_id
       OR NEW.status IS DISTINCT FROM OLD.status THEN
        PERFORM claude.lock_parent_rows(NEW.implemented_by_component_id,
            CASE WHEN relinked THEN ARRAY[NEW.feature_id] ELSE '{}' END);
    END IF;
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.lock_requirement_parents() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION lock_requirement_parents(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.lock_requirement_parents() IS 'Trigger: before a requirement is added, moved, linked to a component or changes status, locks its implementing component (whose feature and status the rules read) and, when it joins a feature, that feature.';


--
-- Name: lock_task(uuid, text[], text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.lock_task(task_id uuid, allowed text[], action text) RETURNS claude.build_tasks
    LANGUAGE plpgsql
    AS $$
DECLARE
    locked claude.build_tasks;
BEGIN
    SELECT * INTO locked FROM claude.build_tasks t WHERE t.task_id = lock_task.task_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('task', lock_task.task_id);
    END IF;
    PERFORM claude.require_status(format('task "%s"', locked.task_name), locked.status, allowed, action);
    RETURN locked;
END
$$;


ALTER FUNCTION claude.lock_task(task_id uuid, allowed text[], action text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION lock_task(task_id uuid, allowed text[], action text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.lock_task(task_id uuid, allowed text[], action text) IS 'Locks a task for a workflow action; P0002 when it does not exist, 55000 when its status is not one the action applies to.';


--
-- Name: lock_task_parents(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.lock_task_parents() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.component_id IS DISTINCT FROM OLD.component_id
       OR NEW.feature_id IS DISTINCT FROM OLD.feature_id THEN
        -- the component first, and only then its feature: read before the lock,
        -- a component moving at this moment would give its old feature
        PERFORM claude.lock_parent_rows(NEW.component_id, '{}');
        PERFORM claude.lock_parent_rows(NULL, ARRAY[NEW.feature_id]
            || CASE WHEN TG_OP = 'UPDATE' THEN OLD.feature_id END
            -- the feature the rule trigger gives a task from its component
            || (SELECT c.feature_id FROM claude.components c WHERE c.component_id = NEW.component_id));
    END IF;
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.lock_task_parents() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION lock_task_parents(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.lock_task_parents() IS 'Trigger: before a task is added or linked to another component or feature, locks the component and the features concerned, so the component cannot move away (leaving the task in another feature) before commit.';


--
-- Name: log_activity(text, uuid, text, text, text, text, text, text, jsonb); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.log_activity(source_type text, source_id uuid, activity_type text, title text, summary text DEFAULT NULL::text, actor text DEFAULT NULL::text, project_name text DEFAULT NULL::text, severity text DEFAULT 'info'::text, changes jsonb DEFAULT NULL::jsonb) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    new_id uuid;
    errors jsonb := '[]'::jsonb;
BEGIN
    IF claude.too_short(title, 1) THEN
        errors := errors || claude.err('title', 'title is required');
    END IF;
    IF source_type IS NULL OR source_type NOT IN ('feature', 'component', 'build_task', 'requirement', 'project', 'identity', 'system') THEN
        errors := errors || claude.err('source_type', 'source_type must be one of feature, component, build_task, requirement, project, identity, system');
    END IF;
    IF activity_type IS NULL OR activity_type NOT IN ('created', 'updated', 'status_changed', 'completed', 'started', 'assigned',
                                                      'blocked', 'unblocked', 'verified', 'cancelled', 'deleted') THEN
        errors := errors || claude.err('activity_type', 'activity_type must be one of created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted');
    END IF;
    IF COALESCE(severity, 'info') NOT IN ('info', 'warning', 'error', 'success') THEN
        errors := errors || claude.err('severity', 'severity must be one of info, warning, error, success');
    END IF;
    IF jsonb_typeof(changes) = 'object' AND changes ?| claude.reserved_feed_keys() THEN
        errors := errors || claude.err('changes', format('changes may not hold %s: only the database writes them',
            (SELECT string_agg(k, ', ') FROM unnest(claude.reserved_feed_keys()) k WHERE changes ? k)));
    END IF;
    PERFORM claude.raise_errors(errors, 'cannot log activity');
    new_id := claude.append_activity('caller', log_activity.source_type, log_activity.source_id,
        log_activity.activity_type, left(btrim(log_activity.title), 255), log_activity.summary,
        COALESCE(log_activity.actor, claude.current_actor()), log_activity.project_name,
        COALESCE(log_activity.severity, 'info'), log_activity.changes);
    RETURN new_id;
END
$$;


ALTER FUNCTION claude.log_activity(source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION log_activity(source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.log_activity(source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb) IS 'The seed''s logging function, for applications'' own events: validates the values, refuses the keys only the database writes in changes (claude.reserved_feed_keys), truncates the title to 255 characters, defaults the actor; the row is marked origin caller. Returns the new row''s id. Errors: 23514.';


--
-- Name: log_comment(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.log_comment() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.log_comment() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION log_comment(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.log_comment() IS 'Trigger: each comment is a feed row of type commented (the first 500 characters as summary; changes hold comment_id and body_sha256).';


--
-- Name: log_dependency(claude.task_dependencies, boolean); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.log_dependency(edge claude.task_dependencies, added boolean) RETURNS void
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


ALTER FUNCTION claude.log_dependency(edge claude.task_dependencies, added boolean) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION log_dependency(edge claude.task_dependencies, added boolean); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.log_dependency(edge claude.task_dependencies, added boolean) IS 'The feed row of add_dependency or remove_dependency, on the dependent task: {"dependency": {"old", "new"}}.';


--
-- Name: log_entity_activity(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.log_entity_activity() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    source_type text := CASE TG_TABLE_NAME WHEN 'features' THEN 'feature' WHEN 'components' THEN 'component'
                                           WHEN 'build_tasks' THEN 'build_task' ELSE 'requirement' END;
    label text := replace(initcap(replace(source_type, '_', ' ')), 'Build Task', 'Task');
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    row_data jsonb := COALESCE(new_row, old_row);
    entity_id uuid := (row_data ->> CASE source_type WHEN 'build_task' THEN 'task_id' ELSE source_type || '_id' END)::uuid;
    entity_name text := row_data ->> CASE source_type WHEN 'build_task' THEN 'task_name' ELSE source_type || '_name' END;
    old_status text := old_row ->> 'status';
    new_status text := new_row ->> 'status';
    diff jsonb;
    kind text;
    severity text := 'info';
    title text;
    summary text;
    reason text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        kind := 'created';
        title := format('%s created: %s', label, entity_name);
        summary := format('New %s %s', COALESCE(row_data ->> (source_type || '_type'), row_data ->> 'task_type'), replace(source_type, '_', ' '));
    ELSIF TG_OP = 'DELETE' THEN
        kind := 'deleted';
        title := format('%s deleted: %s', label, entity_name);
        summary := format('Deleted while %s', old_status);
        diff := jsonb_build_object('deleted', old_row);
    ELSE
        -- generated for this table (claude.build_row_changes), inlined: no query
        diff := claude.row_changes(NEW, OLD);
        IF diff IS NULL THEN
            RETURN NULL;  -- nothing but updated_at changed
        END IF;
        IF new_status IS DISTINCT FROM old_status THEN
            kind := CASE
                WHEN new_status = 'completed' THEN 'completed'
                WHEN new_status = 'verified' THEN 'verified'
                WHEN new_status = 'cancelled' THEN 'cancelled'
                WHEN new_status = 'blocked' THEN 'blocked'
                WHEN new_status = 'in_progress' AND old_status = 'blocked' THEN 'unblocked'
                WHEN new_status = 'in_progress' AND old_status IN ('todo', 'planned') THEN 'started'
                ELSE 'status_changed' END;
            severity := CASE WHEN kind IN ('completed', 'verified') THEN 'success'
                             WHEN kind IN ('blocked', 'cancelled') THEN 'warning' ELSE 'info' END;
            reason := COALESCE(claude.current_note(),
                               CASE WHEN new_status IN ('blocked', 'on_hold') THEN new_row ->> 'blocked_reason'
                                    WHEN new_status = 'cancelled' THEN new_row ->> 'cancellation_reason' END);
            title := format('%s %s: %s', label,
                            replace(CASE WHEN source_type = 'build_task' AND old_status = 'in_progress' AND new_status = 'todo'
                                         THEN 'released'
                                         WHEN kind = 'status_changed' THEN new_status ELSE kind END, '_', ' '),
                            entity_name);
            summary := format('Status %s -> %s', old_status, new_status) || COALESCE('. Reason: ' || reason, '');
        ELSIF diff ? 'assigned_to_identity_id' AND old_status = 'in_progress'
              AND (old_row ->> 'lease_expires_at')::timestamptz < now() THEN
            -- claim_next_task took over a task whose lease had expired
            kind := 'reclaimed';
            severity := 'warning';
            title := format('%s reclaimed: %s', label, entity_name);
            summary := format('The lease of %s expired at %s; now held by %s',
                COALESCE((SELECT i.identity_name FROM claude.identities i
                           WHERE i.identity_id = (old_row ->> 'assigned_to_identity_id')::uuid), 'nobody'),
                old_row ->> 'lease_expires_at',
                COALESCE((SELECT i.identity_name FROM claude.identities i
                           WHERE i.identity_id = (new_row ->> 'assigned_to_identity_id')::uuid), 'nobody'));
        ELSIF diff ? 'assigned_to_identity_id' THEN
            kind := 'assigned';
            title := format('%s assigned: %s', label, entity_name);
            summary := 'Assignee changed; fields changed: ' || (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(diff) AS k);
        ELSE
            kind := 'updated';
            title := format('%s updated: %s', label, entity_name);
            summary := 'Fields changed: ' || (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(diff) AS k)
                       || COALESCE('. Note: ' || claude.current_note(), '');
        END IF;
    END IF;

    INSERT INTO claude.activity_feed AS a (source_type, source_id, actor, activity_type, title, summary,
                                           project_name, severity, changes)
    VALUES (source_type, entity_id, claude.current_actor(), kind, left(title, 255), summary,
            CASE WHEN source_type = 'feature'
                 THEN (SELECT p.project_name FROM claude.projects p WHERE p.project_id = (row_data ->> 'project_id')::uuid)
                 ELSE claude.project_name_of((row_data ->> 'feature_id')::uuid) END,
            severity, diff);
    RETURN NULL;
END
$$;


ALTER FUNCTION claude.log_entity_activity() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION log_entity_activity(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.log_entity_activity() IS 'Trigger: writes one activity row per insert, status change (most specific type), other update (with the changed fields, old and new) and delete (with the last state) of a feature, component, task or requirement.';


--
-- Name: move_task(uuid, text, text[], text, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.move_task(task_id uuid, new_status text, allowed text[], action text, actor text, note text) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    after claude.build_tasks;
BEGIN
    PERFORM claude.begin_call(actor, note);
    -- one statement: the row changes only if the action applies to its status
    UPDATE claude.build_tasks AS t SET status = move_task.new_status
     WHERE t.task_id = move_task.task_id AND t.status = ANY (allowed)
    RETURNING t.* INTO after;
    IF NOT FOUND THEN
        PERFORM claude.refuse_task_action(move_task.task_id, allowed, action);
    END IF;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after));
END
$$;


ALTER FUNCTION claude.move_task(task_id uuid, new_status text, allowed text[], action text, actor text, note text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION move_task(task_id uuid, new_status text, allowed text[], action text, actor text, note text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.move_task(task_id uuid, new_status text, allowed text[], action text, actor text, note text) IS 'Shared body of the task actions that only change the status (unblock, submit for review, request changes): one guarded UPDATE, the envelope, or the reason nothing changed.';


--
-- Name: notify_activity(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.notify_activity() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- Delivered by PostgreSQL at commit, and not at all on rollback.
    PERFORM pg_notify('buildtracker_activity', jsonb_build_object(
        'id', NEW.id, 'activity_type', NEW.activity_type, 'title', NEW.title,
        'severity', NEW.severity, 'project_name', NEW.project_name,
        'source_type', NEW.source_type, 'source_id', NEW.source_id)::text);
    RETURN NULL;
END
$$;


ALTER FUNCTION claude.notify_activity() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION notify_activity(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.notify_activity() IS 'Trigger: publishes warning and error activity rows on channel buildtracker_activity (JSON: id, activity_type, title, severity, project_name, source_type, source_id).';


--
-- Name: notify_feed(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.notify_feed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- Nobody follows: no NOTIFY, so this transaction's commit does not queue
    -- behind every other notifying commit for the notification lock.
    IF EXISTS (SELECT 1 FROM claude.feed_followers) THEN
        -- the same payload on the same channel is delivered once per transaction
        PERFORM pg_notify('buildtracker_feed', '');
    END IF;
    RETURN NULL;
END
$$;


ALTER FUNCTION claude.notify_feed() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION notify_feed(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.notify_feed() IS 'Trigger: wakes followers of the feed (channel buildtracker_feed, empty payload, once per transaction) while any is registered (claude.follow_feed); they read the rows with get_activity_after.';


--
-- Name: open_blockers(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.open_blockers(task_id uuid) RETURNS jsonb
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


ALTER FUNCTION claude.open_blockers(task_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION open_blockers(task_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.open_blockers(task_id uuid) IS 'One 55000 error item per blocks dependency of the task that is not completed or cancelled, with the blocker''s id as entity_id: why it cannot start or resume.';


--
-- Name: partman_schema(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.partman_schema() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    schema text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = 'pg_partman');
    managed boolean := false;
BEGIN
    -- without access to pg_partman's configuration the feed is not handed to it
    -- (claude.use_pg_partman grants the owner role that access)
    IF schema IS NOT NULL AND has_schema_privilege(schema, 'USAGE')
       AND has_table_privilege(format('%I.part_config', schema), 'SELECT') THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.part_config WHERE parent_table = %L)', schema, 'claude.activity_feed')
           INTO managed;
    END IF;
    RETURN CASE WHEN managed THEN schema END;
END
$$;


ALTER FUNCTION claude.partman_schema() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION partman_schema(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.partman_schema() IS 'The schema of the pg_partman extension when it manages claude.activity_feed (claude.use_pg_partman), else NULL.';


--
-- Name: prune_activity(interval, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.prune_activity(older_than interval, actor text DEFAULT NULL::text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    pruned bigint;
    cutoff timestamptz := now() - older_than;
    last_pruned claude.feed_checkpoints;
    prune_horizon xid8;
    month_rows bigint;
    month record;
    dropped text[] := '{}'::text[];
    dropping oid[] := '{}'::oid[];
    dropped_rows bigint := 0;
    lock_wait text;
BEGIN
    -- the cutoff itself, not the interval's spelling ('-1000 months +30001 days'
    -- compares as 1 day but reaches 415 days into the future)
    IF older_than IS NULL OR cutoff > now() - interval '1 day' THEN
        PERFORM claude.raise_errors(claude.err('older_than',
            'older_than must reach at least 1 day back (its cutoff must be before now() - 1 day)'),
            'cannot prune the activity feed');
    END IF;
    -- Whole checkpoints only, so every row left is still verifiable: seal
    -- what is final, then remove the checkpoints whose rows all predate the cutoff.
    PERFORM claude.seal_feed(prune_activity.actor);
    SELECT * INTO last_pruned FROM claude.feed_checkpoints c
     WHERE c.last_at < cutoff ORDER BY c.checkpoint_id DESC LIMIT 1;
    IF last_pruned.checkpoint_id IS NULL THEN
        RETURN 0;
    END IF;
    prune_horizon := last_pruned.through_xid;
    -- A partitioned feed (activity_feed_partitions) loses whole months: a
    -- month that ended before the cutoff and holds no row past the horizon is
    -- dropped, not emptied row by row. Named by month (feed_partition_name);
    -- a plain feed has no partitions and skips this. Each such month is
    -- locked against inserts (SHARE) before it is counted, so nothing written
    -- meanwhile can be dropped with it; a month another role owns (made by
    -- pg_partman's maintenance as a superuser) is emptied row by row instead.
    FOR month IN
        SELECT c.oid AS part, c.relname
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'claude.activity_feed'::regclass
           AND c.relname ~ '^activity_feed_p[0-9]{4}_[0-9]{2}$'
           AND c.relowner = 'buildtracker_owner'::regrole
           AND (to_date(substr(c.relname, 16), 'YYYY_MM')::timestamp + interval '1 month') AT TIME ZONE 'UTC' <= cutoff
         ORDER BY c.relname
    LOOP
        EXECUTE format('LOCK TABLE %s IN SHARE MODE', month.part::regclass);
        EXECUTE format('SELECT count(*) FILTER (WHERE p.xact_id < $1), count(*) FROM %s p', month.part::regclass)
           INTO month_rows, pruned USING prune_horizon;
        CONTINUE WHEN month_rows <> pruned;
        dropping := dropping || month.part;
        dropped := dropped || month.relname::text;
        dropped_rows := dropped_rows + month_rows;
    END LOOP;
    -- the rest row by row; the guard (claude.guard_activity_feed) recognises this statement
    DELETE FROM claude.activity_feed a WHERE a.xact_id < prune_horizon AND NOT a.tableoid = ANY (dropping);
    GET DIAGNOSTICS pruned = ROW_COUNT;
    pruned := pruned + dropped_rows;
    PERFORM claude.append_activity('system', 'system', NULL, 'deleted',
        format('Activity feed pruned: %s rows older than %s', pruned, older_than),
        format('The rows of checkpoints 1 to %s (all created before %s) were deleted by claude.prune_activity',
               last_pruned.checkpoint_id, cutoff)
        || CASE WHEN cardinality(dropped) > 0
                THEN format('; whole months dropped: %s', array_to_string(dropped, ', ')) ELSE '' END,
        COALESCE(prune_activity.actor, claude.current_actor()), NULL, 'warning',
        jsonb_build_object('pruned_through_checkpoint', last_pruned.checkpoint_id)
        || CASE WHEN cardinality(dropped) > 0
                THEN jsonb_build_object('dropped_partitions', to_jsonb(dropped)) ELSE '{}' END);
    -- Last, so the lock a DROP takes on the whole feed (ACCESS EXCLUSIVE, until
    -- commit) is held as briefly as possible; it waits at most 5 s for running
    -- reads and writes, else the prune fails as a whole and can be run again.
    IF cardinality(dropping) > 0 THEN
        lock_wait := current_setting('lock_timeout');
        PERFORM set_config('lock_timeout', '5s', true);
        FOR month IN SELECT d AS part FROM unnest(dropping) d LOOP
            EXECUTE format('DROP TABLE %s', month.part::regclass);
        END LOOP;
        PERFORM set_config('lock_timeout', lock_wait, true);
    END IF;
    RETURN pruned;
END
$_$;


ALTER FUNCTION claude.prune_activity(older_than interval, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION prune_activity(older_than interval, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.prune_activity(older_than interval, actor text) IS 'Admin only: seals the feed, then deletes the rows of every checkpoint whose rows are all older than older_than (its cutoff at least 1 day back), so what stays is verifiable: a month''s partition that ended before the cutoff and holds only such rows is dropped whole, the rest deleted row by row; records the pruning in the feed (origin system, the dropped months in changes.dropped_partitions) and returns the number of rows removed. The only way past the append-only guard.';


--
-- Name: raise_errors(jsonb, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.raise_errors(errors jsonb, context text, hint text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    sqlstate_out text;
    summary text;
BEGIN
    IF errors IS NULL OR jsonb_array_length(errors) = 0 THEN
        RETURN;
    END IF;
    -- One exception per call; its SQLSTATE is the most basic kind present:
    -- a missing reference, then an invalid value, then a wrong state; a list
    -- holding none of these (an import's duplicate ids: 23505) keeps the
    -- first item's own code.
    SELECT CASE
             WHEN bool_or(e->>'code' = '23503') THEN '23503'
             WHEN bool_or(e->>'code' = '23514') THEN '23514'
             WHEN bool_or(e->>'code' = '55000') OR bool_and(e->>'code' IS NULL) THEN '55000'
             ELSE (array_agg(e->>'code') FILTER (WHERE e->>'code' IS NOT NULL))[1]
           END,
           string_agg(e->>'message', '; ')
      INTO sqlstate_out, summary
      FROM jsonb_array_elements(errors) AS e;
    RAISE EXCEPTION USING
        ERRCODE = sqlstate_out,
        MESSAGE = context || ': ' || summary,
        DETAIL  = jsonb_build_object('errors', errors)::text,
        HINT    = COALESCE(hint, CASE sqlstate_out
                    WHEN '23503' THEN 'Create the referenced row first, or fix its id.'
                    WHEN '23514' THEN 'Correct the listed fields and retry.'
                    ELSE 'Check the current status and what the transition needs (claude.status_transitions).'
                  END);
END
$$;


ALTER FUNCTION claude.raise_errors(errors jsonb, context text, hint text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION raise_errors(errors jsonb, context text, hint text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.raise_errors(errors jsonb, context text, hint text) IS 'Raises one exception listing every failed check: SQLSTATE 23503 if any reference is missing, else 23514 if any value is invalid, else 55000 if any state is wrong, else the first item''s own code (23505 for a repeated id); MESSAGE names them all, DETAIL is {"errors": [...]}, HINT says what to do. Does nothing for an empty list.';


--
-- Name: raise_not_found(text, uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.raise_not_found(entity text, id uuid) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'no_data_found',
        MESSAGE = format('%s %s does not exist', entity, COALESCE(id::text, '(null)')),
        DETAIL  = jsonb_build_object('errors', claude.err(entity || '_id',
                    format('%s %s does not exist', entity, COALESCE(id::text, '(null)')), 'P0002'))::text,
        HINT    = 'Check the id; the row may have been deleted.';
END
$$;


ALTER FUNCTION claude.raise_not_found(entity text, id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION raise_not_found(entity text, id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.raise_not_found(entity text, id uuid) IS 'Raises P0002 (no_data_found) for the entity a call addresses, with the same DETAIL shape as raise_errors.';


--
-- Name: ready_tasks_query(uuid, uuid, uuid, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.ready_tasks_query(feature_id uuid, component_id uuid, project_id uuid, labels text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
    -- ready: todo, and every blocks dependency (claude.task_dependencies, the
    -- seed's blocked_by_task_id among them) completed or cancelled
    RETURN 'SELECT t.* FROM claude.build_tasks t
             WHERE t.status = ''todo''
               AND NOT EXISTS (SELECT 1 FROM claude.task_dependencies d
                                 JOIN claude.build_tasks b ON b.task_id = d.depends_on_task_id
                                WHERE d.task_id = t.task_id AND d.kind = ''blocks''
                                  AND b.status NOT IN (''completed'', ''cancelled''))'
        || claude.task_filters(feature_id, component_id, project_id, labels);
END
$$;


ALTER FUNCTION claude.ready_tasks_query(feature_id uuid, component_id uuid, project_id uuid, labels text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION ready_tasks_query(feature_id uuid, component_id uuid, project_id uuid, labels text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.ready_tasks_query(feature_id uuid, component_id uuid, project_id uuid, labels text[]) IS 'The ready queue as SQL text without its ORDER BY, for get_ready_tasks and claim_next_task: todo tasks whose blocks dependencies are all completed or cancelled; only the given filters (claude.task_filters).';


--
-- Name: rebuild_activity_feed(boolean); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.rebuild_activity_feed(partitioned boolean) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    feed regclass := 'claude.activity_feed'::regclass;
    table_comment text := obj_description(feed, 'pg_class');
    grants text[];
    index_defs text[];
    index_comments text[];
    trigger_defs text[];
    dependent record;
    functions jsonb := '[]'::jsonb;
    ordered jsonb := '[]'::jsonb;
    pending jsonb;
    f jsonb;
    copied bigint;
    month date;
    statement text;
    progress integer;
    -- where the rows wait during the rebuild (named in dynamic SQL: it exists only then)
    old_table text := 'activity_feed_rebuilt_from';
BEGIN
    IF (SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = feed) = partitioned THEN
        RETURN NULL;
    END IF;
    LOCK TABLE claude.activity_feed IN ACCESS EXCLUSIVE MODE;
    SELECT array_agg(format('GRANT %s ON claude.activity_feed TO %I', a.privilege_type, r.rolname))
      INTO grants
      FROM pg_class c, aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
     WHERE c.oid = feed AND a.grantee <> c.relowner;
    SELECT array_agg(pg_get_indexdef(i.indexrelid) ORDER BY ic.relname),
           array_agg(format('COMMENT ON INDEX claude.%I IS %L', ic.relname, obj_description(i.indexrelid, 'pg_class'))
                     ORDER BY ic.relname) FILTER (WHERE obj_description(i.indexrelid, 'pg_class') IS NOT NULL)
      INTO index_defs, index_comments
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = feed AND NOT i.indisprimary;
    SELECT array_agg(pg_get_triggerdef(t.oid) ORDER BY t.tgname)
      INTO trigger_defs
      FROM pg_trigger t WHERE t.tgrelid = feed AND NOT t.tgisinternal;
    -- functions tied to the table, its row type, or (transitively) to such a function
    FOR dependent IN
        WITH RECURSIVE tied(oid) AS (
            SELECT d.objid FROM pg_depend d
             WHERE d.classid = 'pg_proc'::regclass
               AND ((d.refclassid = 'pg_class'::regclass AND d.refobjid = feed)
                    OR (d.refclassid = 'pg_type'::regclass
                        AND d.refobjid IN (SELECT t.oid FROM pg_type t WHERE t.typrelid = feed
                                           UNION SELECT t.typarray FROM pg_type t WHERE t.typrelid = feed)))
            UNION
            SELECT d.objid FROM pg_depend d JOIN tied ON d.refobjid = tied.oid
             WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_proc'::regclass
        )
        SELECT p.oid, p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition,
               obj_description(p.oid, 'pg_proc') AS comment,
               (SELECT array_agg(format('GRANT EXECUTE ON FUNCTION %s TO %I', p.oid::regprocedure, r.rolname))
                  FROM aclexplode(p.proacl) a JOIN pg_roles r ON r.oid = a.grantee
                 WHERE a.grantee <> p.proowner) AS grants,
               ARRAY(SELECT d.refobjid FROM pg_depend d
                      WHERE d.objid = p.oid AND d.classid = 'pg_proc'::regclass
                        AND d.refclassid = 'pg_proc'::regclass AND d.refobjid IN (SELECT oid FROM tied)) AS needs
          FROM pg_proc p WHERE p.oid IN (SELECT oid FROM tied)
    LOOP
        functions := functions || jsonb_build_object('oid', dependent.oid, 'signature', dependent.signature,
            'definition', dependent.definition, 'comment', dependent.comment,
            'grants', COALESCE(to_jsonb(dependent.grants), '[]'), 'needs', to_jsonb(dependent.needs));
    END LOOP;
    -- in dependency order (a function after those it calls in its body), once
    pending := functions;
    WHILE jsonb_array_length(pending) > 0 LOOP
        progress := jsonb_array_length(pending);
        FOR f IN SELECT e FROM jsonb_array_elements(pending) e
                  WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(pending) o
                                     WHERE e -> 'needs' @> jsonb_build_array(o -> 'oid')) LOOP
            ordered := ordered || jsonb_build_array(f);
            pending := (SELECT COALESCE(jsonb_agg(e), '[]') FROM jsonb_array_elements(pending) e WHERE e -> 'oid' <> f -> 'oid');
        END LOOP;
        IF jsonb_array_length(pending) = progress THEN
            RAISE EXCEPTION 'functions tied to the activity feed depend on each other in a cycle: %', pending;
        END IF;
    END LOOP;
    -- dropped dependents first, so a dependency nobody expected stops the change
    FOR f IN SELECT x.e FROM jsonb_array_elements(ordered) WITH ORDINALITY AS x(e, n) ORDER BY x.n DESC LOOP
        EXECUTE 'DROP FUNCTION ' || (f ->> 'signature');
    END LOOP;

    EXECUTE format('ALTER TABLE claude.activity_feed RENAME TO %I', old_table);
    IF partitioned THEN
        EXECUTE format('CREATE TABLE claude.activity_feed (LIKE claude.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                       ' INCLUDING COMMENTS INCLUDING STORAGE INCLUDING COMPRESSION) PARTITION BY RANGE (created_at)',
                       old_table);
        CREATE TABLE claude.activity_feed_default (LIKE claude.activity_feed INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                                                   INCLUDING COMMENTS INCLUDING STORAGE INCLUDING COMPRESSION);
        ALTER TABLE claude.activity_feed ATTACH PARTITION claude.activity_feed_default DEFAULT;
        PERFORM claude.guard_feed_partition('claude.activity_feed_default'::regclass);
        COMMENT ON TABLE claude.activity_feed_default IS
            'Partition of claude.activity_feed: rows of a month that has no partition yet; claude.ensure_feed_partitions moves them into their month.';
        FOR month IN EXECUTE format(
            'SELECT DISTINCT date_trunc(''month'', o.created_at AT TIME ZONE ''UTC'')::date FROM claude.%I o
             UNION
             SELECT m::date FROM generate_series(date_trunc(''month'', now() AT TIME ZONE ''UTC''),
                                                 date_trunc(''month'', now() AT TIME ZONE ''UTC'') + interval ''3 months'',
                                                 interval ''1 month'') m', old_table)
        LOOP
            PERFORM claude.create_feed_partition(month);
        END LOOP;
    ELSE
        EXECUTE format('CREATE TABLE claude.activity_feed (LIKE claude.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                       ' INCLUDING COMMENTS INCLUDING STORAGE INCLUDING COMPRESSION)', old_table);
    END IF;
    -- verbatim: the new table has no trigger yet to stamp or seal them again
    EXECUTE format('INSERT INTO claude.activity_feed SELECT * FROM claude.%I', old_table);
    GET DIAGNOSTICS copied = ROW_COUNT;
    -- DROP TABLE, not DELETE: the append-only guard is not asked. No CASCADE:
    -- what depends on the feed was remade above or must stop the change (a
    -- view or foreign key of someone else's is not dropped unseen).
    EXECUTE format('DROP TABLE claude.%I', old_table);

    -- a partitioned table's unique key must hold the partition key
    IF partitioned THEN
        ALTER TABLE claude.activity_feed ADD CONSTRAINT activity_feed_pkey PRIMARY KEY (id, created_at);
    ELSE
        ALTER TABLE claude.activity_feed ADD CONSTRAINT activity_feed_pkey PRIMARY KEY (id);
    END IF;
    EXECUTE format('COMMENT ON TABLE claude.activity_feed IS %L', table_comment);
    FOREACH statement IN ARRAY COALESCE(index_defs, '{}') || COALESCE(index_comments, '{}')
                               || COALESCE(trigger_defs, '{}') || COALESCE(grants, '{}') LOOP
        EXECUTE statement;
    END LOOP;
    PERFORM claude.comment_feed_partition_indexes();
    -- made again dependencies first
    FOR f IN SELECT x.e FROM jsonb_array_elements(ordered) WITH ORDINALITY AS x(e, n) ORDER BY x.n LOOP
        EXECUTE f ->> 'definition';
        IF f ->> 'comment' IS NOT NULL THEN
            EXECUTE format('COMMENT ON FUNCTION %s IS %L', f ->> 'signature', f ->> 'comment');
        END IF;
        FOR statement IN SELECT g FROM jsonb_array_elements_text(f -> 'grants') g LOOP
            EXECUTE statement;
        END LOOP;
    END LOOP;
    RETURN copied;
END
$$;


ALTER FUNCTION claude.rebuild_activity_feed(partitioned boolean) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION rebuild_activity_feed(partitioned boolean); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.rebuild_activity_feed(partitioned boolean) IS 'The upgrade (partitioned true) and its revert (false): rebuilds claude.activity_feed as a partitioned or plain table holding the same rows verbatim, and remakes from the catalog its indexes, triggers, grants, comments and the functions tied to its row type; returns the rows copied (NULL when it already has that form).';


--
-- Name: rebuild_generated(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.rebuild_generated() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN claude.build_constraint_checkers() + claude.build_row_changes();
END
$$;


ALTER FUNCTION claude.rebuild_generated() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION rebuild_generated(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.rebuild_generated() IS 'Regenerates every generated function (the constraint checkers and row_changes) from the catalog; run after changing a constraint or a column of an entity table. Returns the number of functions built.';


--
-- Name: refresh_feature_completion(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.refresh_feature_completion(feature_id uuid) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    current_value integer;
    new_value integer;
BEGIN
    -- The lock makes a concurrent roll-up of the same feature wait; the counts
    -- below then run with a fresh snapshot that includes its commit.
    SELECT f.completion_percentage INTO current_value
      FROM claude.features f WHERE f.feature_id = refresh_feature_completion.feature_id
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN;  -- the feature itself is being deleted
    END IF;
    new_value := claude.computed_completion(refresh_feature_completion.feature_id);
    IF new_value IS NOT NULL AND new_value IS DISTINCT FROM current_value THEN
        UPDATE claude.features AS f SET completion_percentage = new_value
         WHERE f.feature_id = refresh_feature_completion.feature_id;
    END IF;
END
$$;


ALTER FUNCTION claude.refresh_feature_completion(feature_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION refresh_feature_completion(feature_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.refresh_feature_completion(feature_id uuid) IS 'Sets features.completion_percentage to claude.computed_completion (unchanged when that is null). Locks the feature row first.';


--
-- Name: refuse_bad_changes(text, uuid, jsonb, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.refuse_bad_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    table_name text := CASE entity_type WHEN 'feature' THEN 'features' WHEN 'component' THEN 'components'
                                        WHEN 'build_task' THEN 'build_tasks' WHEN 'requirement' THEN 'requirements' END;
    key_count integer;
    errors jsonb;
    context text := format('cannot update %s %s', replace(entity_type, '_', ' '), entity_id);
BEGIN
    IF changes IS NULL OR jsonb_typeof(changes) <> 'object' THEN
        PERFORM claude.raise_errors(claude.err('changes', 'changes must be a JSON object of field: value'), context);
    END IF;
    -- Bounded work (SPEC section 12): checked before anything else, so a
    -- huge object costs one count, not a lock held while it is examined.
    SELECT count(*) INTO key_count FROM jsonb_object_keys(changes);
    IF key_count > 100 THEN
        PERFORM claude.raise_errors(claude.err('changes',
            format('changes holds %s keys; at most 100 are accepted', key_count)), context);
    END IF;
    -- set-based: one pass over the keys, whatever their number
    SELECT COALESCE(jsonb_agg((CASE WHEN k = 'status'
                THEN claude.err('status', 'status is changed by the status functions, not by an update')
                ELSE claude.err(k, format('%s is not an editable field (editable: %s)', k, array_to_string(editable, ', ')))
                END) -> 0 ORDER BY k), '[]')
      INTO errors
      FROM jsonb_object_keys(changes) AS k
     WHERE k = 'status' OR k <> ALL (editable);
    IF jsonb_array_length(errors) > 0 THEN
        -- the values of the other keys are named too; the rules of the row are
        -- not tried (that needs the row's lock): fix the keys first
        errors := errors || claude.conversion_errors(table_name,
            changes - (SELECT array_agg(e->>'field') FROM jsonb_array_elements(errors) AS e));
        PERFORM claude.raise_errors(errors, context);
    END IF;
END
$$;


ALTER FUNCTION claude.refuse_bad_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION refuse_bad_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.refuse_bad_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]) IS 'Refuses, before any row or link lock: changes that is not an object, holds more than 100 keys, or names status or a field that is not editable (with the values of the other keys that do not convert), all in one exception.';


--
-- Name: refuse_task_action(uuid, text[], text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.refuse_task_action(task_id uuid, allowed text[], action text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- raises P0002 (no such task) or 55000 (the action does not apply to its status)
    PERFORM claude.lock_task(refuse_task_action.task_id, allowed, action);
    -- the task was changed back between the update and this check
    RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
        MESSAGE = format('cannot %s task %s: it changed while the call ran', action, task_id),
        HINT = 'Retry the call.';
END
$$;


ALTER FUNCTION claude.refuse_task_action(task_id uuid, allowed text[], action text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION refuse_task_action(task_id uuid, allowed text[], action text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.refuse_task_action(task_id uuid, allowed text[], action text) IS 'Explains why a task action changed no row: P0002 when the task does not exist, 55000 when its status does not fit, else 40001 (retry).';


--
-- Name: release_task(uuid, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.release_task(task_id uuid, reason text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN claude.move_task(release_task.task_id, 'todo', claude.action_from_statuses('build_task', 'release'), 'release',
                            actor, reason);
END
$$;


ALTER FUNCTION claude.release_task(task_id uuid, reason text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION release_task(task_id uuid, reason text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.release_task(task_id uuid, reason text, actor text) IS 'Gives an in_progress task back: todo again, without assignee or started_at, logged with the reason; the ready queue offers it again. Errors: 23514, P0002, 55000.';


--
-- Name: remove_dependency(uuid, uuid, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.remove_dependency(task_id uuid, depends_on_task_id uuid, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.remove_dependency(task_id uuid, depends_on_task_id uuid, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION remove_dependency(task_id uuid, depends_on_task_id uuid, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.remove_dependency(task_id uuid, depends_on_task_id uuid, actor text) IS 'Removes the dependency of task_id on depends_on_task_id (and blocked_by_task_id when it named it). Errors: P0002 when there is no such edge.';


--
-- Name: request_task_changes(uuid, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.request_task_changes(task_id uuid, note text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN claude.move_task(request_task_changes.task_id, 'in_progress', claude.action_from_statuses('build_task', 'request_changes'), 'request changes on', actor, note);
END
$$;


ALTER FUNCTION claude.request_task_changes(task_id uuid, note text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION request_task_changes(task_id uuid, note text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.request_task_changes(task_id uuid, note text, actor text) IS 'Sends a task in review back to in_progress; needs a note saying what to change. Errors: 23514, P0002, 55000.';


--
-- Name: require_status(text, text, text[], text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.require_status(entity_label text, current_status text, allowed text[], action text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF current_status <> ALL (allowed) THEN
        PERFORM claude.raise_errors(
            claude.err('status', format('it is %s; %s applies only to status %s', current_status,
                       action, array_to_string(allowed, ' or ')), '55000'),
            format('cannot %s %s', action, entity_label));
    END IF;
END
$$;


ALTER FUNCTION claude.require_status(entity_label text, current_status text, allowed text[], action text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION require_status(entity_label text, current_status text, allowed text[], action text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.require_status(entity_label text, current_status text, allowed text[], action text) IS 'Raises 55000 when a workflow action (a verb: start, block, ...) is asked of a row whose status it does not apply to; the transition rules themselves live in the rule triggers.';


--
-- Name: requirement_warnings(claude.requirements); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.requirement_warnings(r claude.requirements) RETURNS text[]
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RETURN CASE r.status
        WHEN 'approved' THEN claude.untestable_criteria_warnings(r.acceptance_criteria)
        WHEN 'verified' THEN COALESCE((
            SELECT ARRAY[format('component "%s" test coverage %s%% is below 80%%', c.component_name, c.test_coverage_percentage)]
              FROM claude.components c
             WHERE c.component_id = r.implemented_by_component_id
               AND COALESCE(c.test_coverage_percentage, 0) < 80), '{}')
        ELSE '{}'::text[] END;
END
$$;


ALTER FUNCTION claude.requirement_warnings(r claude.requirements) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION requirement_warnings(r claude.requirements); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.requirement_warnings(r claude.requirements) IS 'Warnings for a requirement that just moved: untestable criteria on approval, coverage under 80% on verification.';


--
-- Name: reserved_feed_keys(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.reserved_feed_keys() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['job_finding'::text, 'pruned_through_checkpoint'::text];


ALTER FUNCTION claude.reserved_feed_keys() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION reserved_feed_keys(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.reserved_feed_keys() IS 'Keys of activity_feed.changes only the database writes (job findings, pruning records); claude.log_activity refuses them from callers.';


--
-- Name: resolve_id(text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.resolve_id(entity_type text, ref text) RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    -- the table, its key and its name column, per entity
    tbl text;
    key_column text;
    name_column text;
    field text;
    wanted text := lower(btrim(ref));
    hex text;
    matches uuid[];
    candidates jsonb;
BEGIN
    SELECT e.tbl, e.key_column, e.name_column INTO tbl, key_column, name_column
      FROM (VALUES ('project', 'projects', 'project_id', 'project_name'),
                   ('identity', 'identities', 'identity_id', 'identity_name'),
                   ('feature', 'features', 'feature_id', 'feature_name'),
                   ('component', 'components', 'component_id', 'component_name'),
                   ('build_task', 'build_tasks', 'task_id', 'task_name'),
                   ('requirement', 'requirements', 'requirement_id', 'requirement_name'))
           AS e(entity, tbl, key_column, name_column)
     WHERE e.entity = resolve_id.entity_type;
    IF NOT FOUND THEN
        PERFORM claude.raise_errors(claude.err('entity_type',
            'entity_type must be one of project, identity, feature, component, build_task, requirement'),
            'cannot resolve an id');
    END IF;
    field := key_column;
    IF ref IS NULL OR wanted = '' THEN
        PERFORM claude.raise_errors(claude.err(field, format('%s is required', field)),
            format('cannot resolve a %s id', replace(entity_type, '_', ' ')));
    END IF;

    -- projects and identities by their (unique) name first: a name that
    -- looks like hex still means the row of that name
    IF entity_type IN ('project', 'identity') THEN
        EXECUTE format('SELECT array_agg(x.%I) FROM claude.%I x WHERE x.%I = $1', key_column, tbl, name_column)
           INTO matches USING btrim(ref);
        IF cardinality(matches) = 1 THEN
            RETURN matches[1];
        END IF;
    END IF;

    -- a whole id or a prefix of one: hex digits (hyphens ignored), 8 to 32;
    -- uuids sort like their hex text, so a prefix is a range of the key index
    hex := replace(wanted, '-', '');
    IF hex !~ '^[0-9a-f]{8,32}$' AND entity_type NOT IN ('project', 'identity') THEN
        -- not an id of any row: a malformed argument, not a missing row
        PERFORM claude.raise_errors(claude.err(field,
            format('"%s" is neither an id nor a prefix of at least 8 hex characters', btrim(ref))),
            format('cannot resolve a %s id', replace(entity_type, '_', ' ')));
    END IF;
    IF hex ~ '^[0-9a-f]{8,32}$' THEN
        EXECUTE format('SELECT array_agg(x.%1$I ORDER BY x.%1$I) FROM (SELECT y.%1$I FROM claude.%2$I y
                         WHERE y.%1$I BETWEEN $1 AND $2 ORDER BY y.%1$I LIMIT 6) AS x', key_column, tbl)
           INTO matches USING rpad(hex, 32, '0')::uuid, rpad(hex, 32, 'f')::uuid;
        IF cardinality(matches) = 1 THEN
            RETURN matches[1];
        ELSIF cardinality(matches) > 1 THEN
            EXECUTE format('SELECT jsonb_agg(jsonb_build_object(''field'', $2, ''message'',
                                format(''candidate %%s (%%s)'', x.%1$I, x.%3$I), ''code'', ''23514'',
                                ''entity_id'', x.%1$I) ORDER BY x.%1$I)
                              FROM claude.%2$I x WHERE x.%1$I = ANY ($1)', key_column, tbl, name_column)
               INTO candidates USING matches[1:5], field;
            PERFORM claude.raise_errors(candidates,
                format('%s is ambiguous: %s %s ids start with it%s', btrim(ref),
                       CASE WHEN cardinality(matches) > 5 THEN 'more than 5' ELSE cardinality(matches)::text END,
                       replace(entity_type, '_', ' '),
                       CASE WHEN cardinality(matches) > 5 THEN ' (the first 5 listed)' ELSE '' END),
                'Type more characters of the id.');
        END IF;
    END IF;

    RAISE EXCEPTION USING
        ERRCODE = 'no_data_found',
        MESSAGE = format('no %s matches "%s"', replace(entity_type, '_', ' '), btrim(ref)),
        DETAIL = jsonb_build_object('errors', claude.err(field, format('no %s matches "%s"%s',
                     replace(entity_type, '_', ' '), btrim(ref),
                     CASE WHEN entity_type IN ('project', 'identity') THEN ' (by name, id or id prefix)'
                          ELSE ' (by id or id prefix of at least 8 hex characters)' END), 'P0002'))::text,
        HINT = 'Give the whole id, a prefix of at least 8 hex characters that only one row has'
               || CASE WHEN entity_type IN ('project', 'identity') THEN ', or the name.' ELSE '.' END;
END
$_$;


ALTER FUNCTION claude.resolve_id(entity_type text, ref text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION resolve_id(entity_type text, ref text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.resolve_id(entity_type text, ref text) IS 'The id a person typed: a whole id, a unique prefix of at least 8 hex characters, or (projects and identities) the name. entity_type is project, identity, feature, component, build_task or requirement. Errors: P0002 (nothing matches), 23514 (ambiguous prefix, each candidate listed with its entity_id; not an id or prefix of one, for entities without names; unknown entity_type).';


--
-- Name: revoke_api_token(uuid); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.revoke_api_token(token_id uuid) RETURNS boolean
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    BEGIN ATOMIC
 WITH revoked AS (
          UPDATE claude.api_tokens t SET revoked_at = now()
           WHERE ((t.token_id = revoke_api_token.token_id) AND (t.revoked_at IS NULL))
           RETURNING 1 AS "?column?"
         )
  SELECT (EXISTS ( SELECT 1
            FROM revoked)) AS "exists";
END;


ALTER FUNCTION claude.revoke_api_token(token_id uuid) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION revoke_api_token(token_id uuid); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.revoke_api_token(token_id uuid) IS 'Admin only (owner): revokes a token; true when it was active.';


--
-- Name: rollup_feature_completion(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.rollup_feature_completion() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- A status change that keeps the row in the same count (in_progress <->
    -- blocked, say) cannot move the share: nothing to recount.
    IF TG_OP = 'UPDATE' AND OLD.feature_id = NEW.feature_id
       AND claude.completion_class(TG_TABLE_NAME, OLD.status) = claude.completion_class(TG_TABLE_NAME, NEW.status) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.feature_id IS DISTINCT FROM NEW.feature_id THEN
        -- a move touches two features: lock them in id order, so two opposite
        -- moves wait for each other instead of deadlocking
        PERFORM claude.refresh_feature_completion(f)
           FROM unnest(ARRAY[OLD.feature_id, NEW.feature_id]) AS f ORDER BY f;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM claude.refresh_feature_completion(OLD.feature_id);
    ELSE
        PERFORM claude.refresh_feature_completion(NEW.feature_id);
    END IF;
    RETURN NULL;
END
$$;


ALTER FUNCTION claude.rollup_feature_completion() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION rollup_feature_completion(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.rollup_feature_completion() IS 'Trigger: after a component or task is added, changes status, moves to another feature or is deleted, refreshes the completion of the feature(s) concerned.';


--
-- Name: row_changes(claude.build_tasks, claude.build_tasks); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.row_changes(n claude.build_tasks, o claude.build_tasks) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
-- Generated by claude.build_row_changes() from the columns of claude.build_tasks;
-- do not edit, re-run the builder after adding, dropping or retyping a column.
SELECT NULLIF(CASE WHEN n.task_id IS DISTINCT FROM o.task_id
                 THEN jsonb_build_object('task_id', jsonb_build_object('old', o.task_id, 'new', n.task_id)) ELSE '{}' END
   || CASE WHEN n.feature_id IS DISTINCT FROM o.feature_id
                 THEN jsonb_build_object('feature_id', jsonb_build_object('old', o.feature_id, 'new', n.feature_id)) ELSE '{}' END
   || CASE WHEN n.component_id IS DISTINCT FROM o.component_id
                 THEN jsonb_build_object('component_id', jsonb_build_object('old', o.component_id, 'new', n.component_id)) ELSE '{}' END
   || CASE WHEN n.task_name IS DISTINCT FROM o.task_name
                 THEN jsonb_build_object('task_name', jsonb_build_object('old', o.task_name, 'new', n.task_name)) ELSE '{}' END
   || CASE WHEN n.task_description IS DISTINCT FROM o.task_description
                 THEN jsonb_build_object('task_description', jsonb_build_object('old', o.task_description, 'new', n.task_description)) ELSE '{}' END
   || CASE WHEN n.task_type IS DISTINCT FROM o.task_type
                 THEN jsonb_build_object('task_type', jsonb_build_object('old', o.task_type, 'new', n.task_type)) ELSE '{}' END
   || CASE WHEN n.status IS DISTINCT FROM o.status
                 THEN jsonb_build_object('status', jsonb_build_object('old', o.status, 'new', n.status)) ELSE '{}' END
   || CASE WHEN n.priority IS DISTINCT FROM o.priority
                 THEN jsonb_build_object('priority', jsonb_build_object('old', o.priority, 'new', n.priority)) ELSE '{}' END
   || CASE WHEN n.assigned_to_identity_id IS DISTINCT FROM o.assigned_to_identity_id
                 THEN jsonb_build_object('assigned_to_identity_id', jsonb_build_object('old', o.assigned_to_identity_id, 'new', n.assigned_to_identity_id)) ELSE '{}' END
   || CASE WHEN n.estimated_hours IS DISTINCT FROM o.estimated_hours
                 THEN jsonb_build_object('estimated_hours', jsonb_build_object('old', o.estimated_hours, 'new', n.estimated_hours)) ELSE '{}' END
   || CASE WHEN n.actual_hours IS DISTINCT FROM o.actual_hours
                 THEN jsonb_build_object('actual_hours', jsonb_build_object('old', o.actual_hours, 'new', n.actual_hours)) ELSE '{}' END
   || CASE WHEN n.started_at IS DISTINCT FROM o.started_at
                 THEN jsonb_build_object('started_at', jsonb_build_object('old', o.started_at, 'new', n.started_at)) ELSE '{}' END
   || CASE WHEN n.completed_at IS DISTINCT FROM o.completed_at
                 THEN jsonb_build_object('completed_at', jsonb_build_object('old', o.completed_at, 'new', n.completed_at)) ELSE '{}' END
   || CASE WHEN n.blocked_reason IS DISTINCT FROM o.blocked_reason
                 THEN jsonb_build_object('blocked_reason', jsonb_build_object('old', o.blocked_reason, 'new', n.blocked_reason)) ELSE '{}' END
   || CASE WHEN n.blocked_by_task_id IS DISTINCT FROM o.blocked_by_task_id
                 THEN jsonb_build_object('blocked_by_task_id', jsonb_build_object('old', o.blocked_by_task_id, 'new', n.blocked_by_task_id)) ELSE '{}' END
   || CASE WHEN n.completion_notes IS DISTINCT FROM o.completion_notes
                 THEN jsonb_build_object('completion_notes', jsonb_build_object('old', o.completion_notes, 'new', n.completion_notes)) ELSE '{}' END
   || CASE WHEN n.cancellation_reason IS DISTINCT FROM o.cancellation_reason
                 THEN jsonb_build_object('cancellation_reason', jsonb_build_object('old', o.cancellation_reason, 'new', n.cancellation_reason)) ELSE '{}' END
   || CASE WHEN n.created_at IS DISTINCT FROM o.created_at
                 THEN jsonb_build_object('created_at', jsonb_build_object('old', o.created_at, 'new', n.created_at)) ELSE '{}' END
   || CASE WHEN COALESCE(to_jsonb(n.labels), 'null') IS DISTINCT FROM COALESCE(to_jsonb(o.labels), 'null')
                 THEN jsonb_build_object('labels', jsonb_build_object('old', o.labels, 'new', n.labels)) ELSE '{}' END, '{}')
$$;


ALTER FUNCTION claude.row_changes(n claude.build_tasks, o claude.build_tasks) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION row_changes(n claude.build_tasks, o claude.build_tasks); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.row_changes(n claude.build_tasks, o claude.build_tasks) IS 'Generated: the columns of claude.build_tasks that differ between n and o (all but updated_at and lease_expires_at), as {"column": {"old": ..., "new": ...}}; null when none differ.';


--
-- Name: row_changes(claude.components, claude.components); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.row_changes(n claude.components, o claude.components) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
-- Generated by claude.build_row_changes() from the columns of claude.components;
-- do not edit, re-run the builder after adding, dropping or retyping a column.
SELECT NULLIF(CASE WHEN n.component_id IS DISTINCT FROM o.component_id
                 THEN jsonb_build_object('component_id', jsonb_build_object('old', o.component_id, 'new', n.component_id)) ELSE '{}' END
   || CASE WHEN n.feature_id IS DISTINCT FROM o.feature_id
                 THEN jsonb_build_object('feature_id', jsonb_build_object('old', o.feature_id, 'new', n.feature_id)) ELSE '{}' END
   || CASE WHEN n.component_name IS DISTINCT FROM o.component_name
                 THEN jsonb_build_object('component_name', jsonb_build_object('old', o.component_name, 'new', n.component_name)) ELSE '{}' END
   || CASE WHEN n.component_type IS DISTINCT FROM o.component_type
                 THEN jsonb_build_object('component_type', jsonb_build_object('old', o.component_type, 'new', n.component_type)) ELSE '{}' END
   || CASE WHEN n.file_path IS DISTINCT FROM o.file_path
                 THEN jsonb_build_object('file_path', jsonb_build_object('old', o.file_path, 'new', n.file_path)) ELSE '{}' END
   || CASE WHEN COALESCE(to_jsonb(n.planned_functions), 'null') IS DISTINCT FROM COALESCE(to_jsonb(o.planned_functions), 'null')
                 THEN jsonb_build_object('planned_functions', jsonb_build_object('old', o.planned_functions, 'new', n.planned_functions)) ELSE '{}' END
   || CASE WHEN COALESCE(to_jsonb(n.planned_dependencies), 'null') IS DISTINCT FROM COALESCE(to_jsonb(o.planned_dependencies), 'null')
                 THEN jsonb_build_object('planned_dependencies', jsonb_build_object('old', o.planned_dependencies, 'new', n.planned_dependencies)) ELSE '{}' END
   || CASE WHEN COALESCE(to_jsonb(n.actual_functions), 'null') IS DISTINCT FROM COALESCE(to_jsonb(o.actual_functions), 'null')
                 THEN jsonb_build_object('actual_functions', jsonb_build_object('old', o.actual_functions, 'new', n.actual_functions)) ELSE '{}' END
   || CASE WHEN n.status IS DISTINCT FROM o.status
                 THEN jsonb_build_object('status', jsonb_build_object('old', o.status, 'new', n.status)) ELSE '{}' END
   || CASE WHEN n.lines_of_code IS DISTINCT FROM o.lines_of_code
                 THEN jsonb_build_object('lines_of_code', jsonb_build_object('old', o.lines_of_code, 'new', n.lines_of_code)) ELSE '{}' END
   || CASE WHEN n.has_tests IS DISTINCT FROM o.has_tests
                 THEN jsonb_build_object('has_tests', jsonb_build_object('old', o.has_tests, 'new', n.has_tests)) ELSE '{}' END
   || CASE WHEN n.test_coverage_percentage IS DISTINCT FROM o.test_coverage_percentage
                 THEN jsonb_build_object('test_coverage_percentage', jsonb_build_object('old', o.test_coverage_percentage, 'new', n.test_coverage_percentage)) ELSE '{}' END
   || CASE WHEN n.has_documentation IS DISTINCT FROM o.has_documentation
                 THEN jsonb_build_object('has_documentation', jsonb_build_object('old', o.has_documentation, 'new', n.has_documentation)) ELSE '{}' END
   || CASE WHEN n.doc_path IS DISTINCT FROM o.doc_path
                 THEN jsonb_build_object('doc_path', jsonb_build_object('old', o.doc_path, 'new', n.doc_path)) ELSE '{}' END
   || CASE WHEN n.implemented_at IS DISTINCT FROM o.implemented_at
                 THEN jsonb_build_object('implemented_at', jsonb_build_object('old', o.implemented_at, 'new', n.implemented_at)) ELSE '{}' END
   || CASE WHEN n.created_at IS DISTINCT FROM o.created_at
                 THEN jsonb_build_object('created_at', jsonb_build_object('old', o.created_at, 'new', n.created_at)) ELSE '{}' END, '{}')
$$;


ALTER FUNCTION claude.row_changes(n claude.components, o claude.components) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION row_changes(n claude.components, o claude.components); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.row_changes(n claude.components, o claude.components) IS 'Generated: the columns of claude.components that differ between n and o (all but updated_at and lease_expires_at), as {"column": {"old": ..., "new": ...}}; null when none differ.';


--
-- Name: row_changes(claude.features, claude.features); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.row_changes(n claude.features, o claude.features) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
-- Generated by claude.build_row_changes() from the columns of claude.features;
-- do not edit, re-run the builder after adding, dropping or retyping a column.
SELECT NULLIF(CASE WHEN n.feature_id IS DISTINCT FROM o.feature_id
                 THEN jsonb_build_object('feature_id', jsonb_build_object('old', o.feature_id, 'new', n.feature_id)) ELSE '{}' END
   || CASE WHEN n.project_id IS DISTINCT FROM o.project_id
                 THEN jsonb_build_object('project_id', jsonb_build_object('old', o.project_id, 'new', n.project_id)) ELSE '{}' END
   || CASE WHEN n.parent_feature_id IS DISTINCT FROM o.parent_feature_id
                 THEN jsonb_build_object('parent_feature_id', jsonb_build_object('old', o.parent_feature_id, 'new', n.parent_feature_id)) ELSE '{}' END
   || CASE WHEN n.feature_name IS DISTINCT FROM o.feature_name
                 THEN jsonb_build_object('feature_name', jsonb_build_object('old', o.feature_name, 'new', n.feature_name)) ELSE '{}' END
   || CASE WHEN n.feature_type IS DISTINCT FROM o.feature_type
                 THEN jsonb_build_object('feature_type', jsonb_build_object('old', o.feature_type, 'new', n.feature_type)) ELSE '{}' END
   || CASE WHEN n.description IS DISTINCT FROM o.description
                 THEN jsonb_build_object('description', jsonb_build_object('old', o.description, 'new', n.description)) ELSE '{}' END
   || CASE WHEN n.priority IS DISTINCT FROM o.priority
                 THEN jsonb_build_object('priority', jsonb_build_object('old', o.priority, 'new', n.priority)) ELSE '{}' END
   || CASE WHEN n.status IS DISTINCT FROM o.status
                 THEN jsonb_build_object('status', jsonb_build_object('old', o.status, 'new', n.status)) ELSE '{}' END
   || CASE WHEN n.completion_percentage IS DISTINCT FROM o.completion_percentage
                 THEN jsonb_build_object('completion_percentage', jsonb_build_object('old', o.completion_percentage, 'new', n.completion_percentage)) ELSE '{}' END
   || CASE WHEN n.planned_date IS DISTINCT FROM o.planned_date
                 THEN jsonb_build_object('planned_date', jsonb_build_object('old', o.planned_date, 'new', n.planned_date)) ELSE '{}' END
   || CASE WHEN n.planned_by_identity_id IS DISTINCT FROM o.planned_by_identity_id
                 THEN jsonb_build_object('planned_by_identity_id', jsonb_build_object('old', o.planned_by_identity_id, 'new', n.planned_by_identity_id)) ELSE '{}' END
   || CASE WHEN n.started_date IS DISTINCT FROM o.started_date
                 THEN jsonb_build_object('started_date', jsonb_build_object('old', o.started_date, 'new', n.started_date)) ELSE '{}' END
   || CASE WHEN n.completed_date IS DISTINCT FROM o.completed_date
                 THEN jsonb_build_object('completed_date', jsonb_build_object('old', o.completed_date, 'new', n.completed_date)) ELSE '{}' END
   || CASE WHEN n.implemented_by_identity_id IS DISTINCT FROM o.implemented_by_identity_id
                 THEN jsonb_build_object('implemented_by_identity_id', jsonb_build_object('old', o.implemented_by_identity_id, 'new', n.implemented_by_identity_id)) ELSE '{}' END
   || CASE WHEN n.design_doc_path IS DISTINCT FROM o.design_doc_path
                 THEN jsonb_build_object('design_doc_path', jsonb_build_object('old', o.design_doc_path, 'new', n.design_doc_path)) ELSE '{}' END
   || CASE WHEN n.implementation_notes IS DISTINCT FROM o.implementation_notes
                 THEN jsonb_build_object('implementation_notes', jsonb_build_object('old', o.implementation_notes, 'new', n.implementation_notes)) ELSE '{}' END
   || CASE WHEN n.blocked_reason IS DISTINCT FROM o.blocked_reason
                 THEN jsonb_build_object('blocked_reason', jsonb_build_object('old', o.blocked_reason, 'new', n.blocked_reason)) ELSE '{}' END
   || CASE WHEN n.cancellation_reason IS DISTINCT FROM o.cancellation_reason
                 THEN jsonb_build_object('cancellation_reason', jsonb_build_object('old', o.cancellation_reason, 'new', n.cancellation_reason)) ELSE '{}' END
   || CASE WHEN n.created_at IS DISTINCT FROM o.created_at
                 THEN jsonb_build_object('created_at', jsonb_build_object('old', o.created_at, 'new', n.created_at)) ELSE '{}' END
   || CASE WHEN COALESCE(to_jsonb(n.labels), 'null') IS DISTINCT FROM COALESCE(to_jsonb(o.labels), 'null')
                 THEN jsonb_build_object('labels', jsonb_build_object('old', o.labels, 'new', n.labels)) ELSE '{}' END, '{}')
$$;


ALTER FUNCTION claude.row_changes(n claude.features, o claude.features) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION row_changes(n claude.features, o claude.features); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.row_changes(n claude.features, o claude.features) IS 'Generated: the columns of claude.features that differ between n and o (all but updated_at and lease_expires_at), as {"column": {"old": ..., "new": ...}}; null when none differ.';


--
-- Name: row_changes(claude.requirements, claude.requirements); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.row_changes(n claude.requirements, o claude.requirements) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
-- Generated by claude.build_row_changes() from the columns of claude.requirements;
-- do not edit, re-run the builder after adding, dropping or retyping a column.
SELECT NULLIF(CASE WHEN n.requirement_id IS DISTINCT FROM o.requirement_id
                 THEN jsonb_build_object('requirement_id', jsonb_build_object('old', o.requirement_id, 'new', n.requirement_id)) ELSE '{}' END
   || CASE WHEN n.feature_id IS DISTINCT FROM o.feature_id
                 THEN jsonb_build_object('feature_id', jsonb_build_object('old', o.feature_id, 'new', n.feature_id)) ELSE '{}' END
   || CASE WHEN n.requirement_name IS DISTINCT FROM o.requirement_name
                 THEN jsonb_build_object('requirement_name', jsonb_build_object('old', o.requirement_name, 'new', n.requirement_name)) ELSE '{}' END
   || CASE WHEN n.requirement_type IS DISTINCT FROM o.requirement_type
                 THEN jsonb_build_object('requirement_type', jsonb_build_object('old', o.requirement_type, 'new', n.requirement_type)) ELSE '{}' END
   || CASE WHEN n.description IS DISTINCT FROM o.description
                 THEN jsonb_build_object('description', jsonb_build_object('old', o.description, 'new', n.description)) ELSE '{}' END
   || CASE WHEN COALESCE(to_jsonb(n.acceptance_criteria), 'null') IS DISTINCT FROM COALESCE(to_jsonb(o.acceptance_criteria), 'null')
                 THEN jsonb_build_object('acceptance_criteria', jsonb_build_object('old', o.acceptance_criteria, 'new', n.acceptance_criteria)) ELSE '{}' END
   || CASE WHEN n.status IS DISTINCT FROM o.status
                 THEN jsonb_build_object('status', jsonb_build_object('old', o.status, 'new', n.status)) ELSE '{}' END
   || CASE WHEN n.priority IS DISTINCT FROM o.priority
                 THEN jsonb_build_object('priority', jsonb_build_object('old', o.priority, 'new', n.priority)) ELSE '{}' END
   || CASE WHEN n.must_have IS DISTINCT FROM o.must_have
                 THEN jsonb_build_object('must_have', jsonb_build_object('old', o.must_have, 'new', n.must_have)) ELSE '{}' END
   || CASE WHEN n.implemented_by_component_id IS DISTINCT FROM o.implemented_by_component_id
                 THEN jsonb_build_object('implemented_by_component_id', jsonb_build_object('old', o.implemented_by_component_id, 'new', n.implemented_by_component_id)) ELSE '{}' END
   || CASE WHEN n.verified_at IS DISTINCT FROM o.verified_at
                 THEN jsonb_build_object('verified_at', jsonb_build_object('old', o.verified_at, 'new', n.verified_at)) ELSE '{}' END
   || CASE WHEN n.verified_by_test_run_id IS DISTINCT FROM o.verified_by_test_run_id
                 THEN jsonb_build_object('verified_by_test_run_id', jsonb_build_object('old', o.verified_by_test_run_id, 'new', n.verified_by_test_run_id)) ELSE '{}' END
   || CASE WHEN n.created_by_identity_id IS DISTINCT FROM o.created_by_identity_id
                 THEN jsonb_build_object('created_by_identity_id', jsonb_build_object('old', o.created_by_identity_id, 'new', n.created_by_identity_id)) ELSE '{}' END
   || CASE WHEN n.created_at IS DISTINCT FROM o.created_at
                 THEN jsonb_build_object('created_at', jsonb_build_object('old', o.created_at, 'new', n.created_at)) ELSE '{}' END, '{}')
$$;


ALTER FUNCTION claude.row_changes(n claude.requirements, o claude.requirements) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION row_changes(n claude.requirements, o claude.requirements); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.row_changes(n claude.requirements, o claude.requirements) IS 'Generated: the columns of claude.requirements that differ between n and o (all but updated_at and lease_expires_at), as {"column": {"old": ..., "new": ...}}; null when none differ.';


--
-- Name: run_jobs(interval, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.run_jobs(older_than interval DEFAULT '7 days'::interval, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    finding record;
    job_actor text := COALESCE(actor, claude.current_actor());
    stale_found integer := 0;
    stale_logged integer := 0;
    unblocked_found integer := 0;
    unblocked_logged integer := 0;
    ready_found integer := 0;
    ready_logged integer := 0;
    lease_found integer := 0;
    lease_logged integer := 0;
    finding_key text;
    sealed jsonb;
    partitions jsonb;
    lock_wait text := current_setting('lock_timeout');
BEGIN
    -- One run at a time, so two schedulers cannot log the same finding twice.
    PERFORM pg_advisory_xact_lock(hashtextextended('buildtracker.run_jobs', 0));

    FOR finding IN SELECT * FROM claude.check_stale_tasks(older_than) LOOP
        stale_found := stale_found + 1;
        -- a finding is this task stuck since this start: a restart is a new finding
        finding_key := format('stale_task:%s:%s', finding.task_id, claude.utc_text(finding.started_at));
        CONTINUE WHEN claude.finding_logged(finding_key);
        PERFORM claude.append_activity('job', 'build_task', finding.task_id, 'stale',
            format('Stale task: %s', finding.task_name),
            format('In progress since %s (longer than %s)', claude.utc_text(finding.started_at), older_than),
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        stale_logged := stale_logged + 1;
    END LOOP;

    FOR finding IN SELECT * FROM claude.check_unblocked_tasks() LOOP
        unblocked_found := unblocked_found + 1;
        finding_key := format('unblocked_task:%s:%s', finding.task_id, finding.blocked_by_task_id);
        CONTINUE WHEN claude.finding_logged(finding_key);
        PERFORM claude.append_activity('job', 'build_task', finding.task_id, 'blocker_resolved',
            format('Blocker resolved: %s', finding.task_name),
            format('Blocking task "%s" is %s; the task is still blocked and can be resumed', finding.blocker_name, finding.blocker_status),
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        unblocked_logged := unblocked_logged + 1;
    END LOOP;

    FOR finding IN SELECT * FROM claude.check_completion_readiness() LOOP
        ready_found := ready_found + 1;
        -- a finding is this feature at 100% since this moment: reaching 100% again
        -- after falling back is a new finding
        finding_key := format('ready_feature:%s:%s', finding.feature_id, claude.utc_text((
            SELECT max(a.created_at) FROM claude.activity_feed a
             WHERE a.source_type = 'feature' AND a.source_id = finding.feature_id
               AND a.changes #>> '{completion_percentage,new}' = '100')));
        CONTINUE WHEN claude.finding_logged(finding_key);
        PERFORM claude.append_activity('job', 'feature', finding.feature_id, 'ready_to_complete',
            format('Ready to complete: %s', finding.feature_name),
            'At 100% and the completion gate passes; complete it with claude.complete_feature',
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        ready_logged := ready_logged + 1;
    END LOOP;

    -- an expired lease: its holder stopped heartbeating; the next claim takes it over
    FOR finding IN SELECT t.task_id, t.task_name, t.lease_expires_at, i.identity_name,
                          claude.project_name_of(t.feature_id) AS project_name
                     FROM claude.build_tasks t LEFT JOIN claude.identities i ON i.identity_id = t.assigned_to_identity_id
                    WHERE t.status = 'in_progress' AND t.lease_expires_at < now()
                    ORDER BY t.lease_expires_at, t.task_id LOOP
        lease_found := lease_found + 1;
        -- a finding is this lease: a new claim or heartbeat makes a new one
        finding_key := format('lease_expired:%s:%s', finding.task_id, claude.utc_text(finding.lease_expires_at));
        CONTINUE WHEN claude.finding_logged(finding_key);
        PERFORM claude.append_activity('job', 'build_task', finding.task_id, 'lease_expired',
            format('Lease expired: %s', finding.task_name),
            format('Held by %s until %s without a heartbeat; the next claim_next_task may take it over',
                   COALESCE(finding.identity_name, 'nobody'), claude.utc_text(finding.lease_expires_at)),
            job_actor, finding.project_name, 'warning', jsonb_build_object('job_finding', finding_key));
        lease_logged := lease_logged + 1;
    END LOOP;

    -- the rows of earlier runs and transactions, now final, get their checkpoint
    sealed := claude.seal_feed(job_actor);
    -- followers that went away without unregistering: writers stop notifying for them
    PERFORM claude.forget_gone_followers();

    -- Last: the feed's months ahead exist before their rows arrive. Attaching
    -- one locks the default partition (ACCESS EXCLUSIVE, until commit), which
    -- every read of the whole feed touches; so it waits at most 2 s for
    -- running reads (queueing the next ones behind it meanwhile), else the
    -- next run tries again. Months are made three ahead: this is rare.
    BEGIN
        PERFORM set_config('lock_timeout', '2s', true);
        partitions := claude.ensure_feed_partitions();
        PERFORM set_config('lock_timeout', lock_wait, true);
    EXCEPTION WHEN lock_not_available THEN
        partitions := jsonb_build_object('skipped', 'lock_not_available');
    END;

    RETURN jsonb_build_object(
        'stale_tasks', jsonb_build_object('found', stale_found, 'logged', stale_logged),
        'unblocked_tasks', jsonb_build_object('found', unblocked_found, 'logged', unblocked_logged),
        'ready_features', jsonb_build_object('found', ready_found, 'logged', ready_logged),
        'expired_leases', jsonb_build_object('found', lease_found, 'logged', lease_logged),
        'sealed', sealed,
        'partitions', partitions,
        'ran_at', now());
END
$$;


ALTER FUNCTION claude.run_jobs(older_than interval, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION run_jobs(older_than interval, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.run_jobs(older_than interval, actor text) IS 'Runs the four checks and logs each new finding once, at warning, with its own activity type (stale, blocker_resolved, ready_to_complete, lease_expired); seals the feed (seal_feed), forgets followers of the feed whose session ended (forget_gone_followers) and, last, creates the feed''s partitions ahead (ensure_feed_partitions); returns {"stale_tasks": {found, logged}, "unblocked_tasks": …, "ready_features": …, "expired_leases": …, "sealed": {checkpoint_id, row_count, digest}, "partitions": {partitioned, created, rows_moved, maintained_by} (or {skipped} when a lock was not granted within 2 s), "ran_at"}. Finding keys hold times in UTC, so a run under any TimeZone or DateStyle finds the same keys.';


--
-- Name: schedule_jobs(text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.schedule_jobs(schedule text DEFAULT '*/15 * * * *'::text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE NOTICE 'pg_cron is not installed: schedule SELECT claude.run_jobs() from cron or run `buildtracker jobs run`';
        RETURN false;
    END IF;
    -- built at run time: schema cron exists only where pg_cron is installed
    EXECUTE format('SELECT %I.schedule($1, $2, $3)', 'cron')
       USING 'buildtracker_run_jobs', schedule, 'SELECT claude.run_jobs()';
    RETURN true;
END
$_$;


ALTER FUNCTION claude.schedule_jobs(schedule text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION schedule_jobs(schedule text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.schedule_jobs(schedule text) IS 'Where the pg_cron extension exists, schedules claude.run_jobs() (job buildtracker_run_jobs, default every 15 minutes) and returns true; elsewhere says so and returns false.';


--
-- Name: seal_activity(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.seal_activity() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    NEW.checksum := claude.activity_checksum(NEW);
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.seal_activity() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION seal_activity(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.seal_activity() IS 'Trigger: seals each new activity row with its checksum.';


--
-- Name: seal_feed(text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.seal_feed(actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    head claude.feed_checkpoints;
    horizon xid8;
    sealed timestamptz := clock_timestamp();
    range_digest record;
    new_id bigint;
BEGIN
    -- Sealers take turns; writers are never waited for: rows of transactions
    -- below the horizon are final (committed or gone), later ones wait for
    -- the next seal.
    PERFORM pg_advisory_xact_lock(hashtextextended('buildtracker.seal_feed', 0));
    horizon := pg_snapshot_xmin(pg_current_snapshot());
    SELECT * INTO head FROM claude.feed_checkpoints c ORDER BY c.checkpoint_id DESC LIMIT 1;
    IF head.checkpoint_id IS NOT NULL AND horizon <= head.through_xid THEN
        RETURN jsonb_build_object('checkpoint_id', NULL, 'row_count', 0, 'digest', head.digest);
    END IF;
    SELECT * INTO range_digest
      FROM claude.feed_range_digest(COALESCE(head.through_xid, '0'::xid8), horizon, sealed, COALESCE(head.digest, ''));
    IF range_digest.row_count = 0 THEN
        -- nothing new: no empty checkpoints
        RETURN jsonb_build_object('checkpoint_id', NULL, 'row_count', 0, 'digest', COALESCE(head.digest, ''));
    END IF;
    new_id := COALESCE(head.checkpoint_id, 0) + 1;
    INSERT INTO claude.feed_checkpoints (checkpoint_id, sealed_at, from_xid, through_xid, row_count, first_at, last_at,
                                         previous_digest, digest, sealed_by)
    VALUES (new_id, sealed, COALESCE(head.through_xid, '0'::xid8), horizon, range_digest.row_count,
            range_digest.first_at, range_digest.last_at, COALESCE(head.digest, ''), range_digest.digest,
            COALESCE(seal_feed.actor, claude.current_actor()));
    RETURN jsonb_build_object('checkpoint_id', new_id, 'row_count', range_digest.row_count, 'digest', range_digest.digest);
END
$$;


ALTER FUNCTION claude.seal_feed(actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION seal_feed(actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.seal_feed(actor text) IS 'Appends a checkpoint chaining over every feed row of transactions finished since the last one (below the commit horizon, so it never waits for writers); run by run_jobs. Returns {"checkpoint_id", "row_count", "digest"}; checkpoint_id is null when there was nothing to seal.';


--
-- Name: search(text, uuid, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.search(query text, project_id uuid DEFAULT NULL::uuid, max_rows integer DEFAULT 20) RETURNS TABLE(entity_type text, entity_id uuid, title text, snippet text, rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    q tsquery;
    wanted integer := LEAST(GREATEST(COALESCE(max_rows, 20), 0), 100);
BEGIN
    IF claude.too_short(query, 1) OR char_length(query) > 1000 THEN
        PERFORM claude.raise_errors(claude.err('query', 'query must be 1-1000 characters'), 'cannot search');
    END IF;
    -- websearch syntax: words, "a phrase", or, -not; never a syntax error
    q := websearch_to_tsquery('english'::regconfig, query);
    IF numnode(q) = 0 THEN
        RETURN;  -- only stop words: nothing to look for
    END IF;
    RETURN QUERY
    WITH hits AS (
        SELECT 'feature'::text AS kind, f.feature_id AS id, f.feature_name AS name, f.description AS body,
               ts_rank(claude.search_vector(f.feature_name, f.description), q) AS score
          FROM claude.features f
         WHERE claude.search_vector(f.feature_name, f.description) @@ q
           AND (search.project_id IS NULL OR f.project_id = search.project_id)
        UNION ALL
        SELECT 'build_task', t.task_id, t.task_name, t.task_description,
               ts_rank(claude.search_vector(t.task_name, t.task_description), q)
          FROM claude.build_tasks t
         WHERE claude.search_vector(t.task_name, t.task_description) @@ q
           AND (search.project_id IS NULL
                OR t.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = search.project_id))
        UNION ALL
        SELECT 'component', c.component_id, c.component_name, c.file_path,
               ts_rank(claude.search_vector(c.component_name, c.file_path), q)
          FROM claude.components c
         WHERE claude.search_vector(c.component_name, c.file_path) @@ q
           AND (search.project_id IS NULL
                OR c.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = search.project_id))
        UNION ALL
        SELECT 'requirement', r.requirement_id, r.requirement_name,
               concat_ws(' ', r.description, array_to_string(r.acceptance_criteria, '; ')),
               ts_rank(claude.search_vector(r.requirement_name, r.description, r.acceptance_criteria), q)
          FROM claude.requirements r
         WHERE claude.search_vector(r.requirement_name, r.description, r.acceptance_criteria) @@ q
           AND (search.project_id IS NULL
                OR r.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = search.project_id))
        UNION ALL
        -- a comment is reported as the entity it is about
        SELECT c.entity_type, c.entity_id, 'Comment on ' || COALESCE(e.entity_name, 'a deleted ' || c.entity_type), c.body,
               ts_rank(claude.search_vector(NULL, c.body), q)
          FROM claude.comments c
          LEFT JOIN LATERAL claude.entity_project(c.entity_type, c.entity_id) e ON true
         WHERE claude.search_vector(NULL, c.body) @@ q
           AND (search.project_id IS NULL OR e.project_id = search.project_id)),
    best AS (
        SELECT * FROM hits ORDER BY score DESC, kind, id LIMIT wanted)
    -- the snippet only for the rows returned: ts_headline reads the whole text
    SELECT b.kind, b.id, b.name,
           ts_headline('english'::regconfig, concat_ws(': ', b.name, NULLIF(b.body, '')), q,
                       'MaxFragments=2, MaxWords=20, MinWords=5, StartSel=**, StopSel=**'),
           b.score
      FROM best b
     ORDER BY b.score DESC, b.kind, b.id;
END
$$;


ALTER FUNCTION claude.search(query text, project_id uuid, max_rows integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION search(query text, project_id uuid, max_rows integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.search(query text, project_id uuid, max_rows integer) IS 'Full-text search (websearch_to_tsquery syntax: words, "phrases", or, -word) over the names, descriptions and acceptance criteria of features, tasks, components and requirements, and over comments (reported as the entity they are about), optionally within one project; best first (ts_rank, names weigh more), with a snippet marking the hits in **. max_rows 0-100, default 20. Errors: 23514 (query of 1-1000 characters).';


--
-- Name: search_vector(text, text, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.search_vector(name text, body text, extra text[] DEFAULT NULL::text[]) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN setweight(to_tsvector('english'::regconfig, COALESCE(name, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(body, '') || ' ' || COALESCE(array_to_string(extra, ' '), '')), 'B');
END
$$;


ALTER FUNCTION claude.search_vector(name text, body text, extra text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION search_vector(name text, body text, extra text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.search_vector(name text, body text, extra text[]) IS 'The searchable text of a row: its name (weight A) and its description, body or acceptance criteria (weight B), English full text.';


--
-- Name: stamp_activity(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.stamp_activity() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    origin text := NULLIF(current_setting('buildtracker.feed_origin', true), '');
BEGIN
    IF origin IS NULL THEN
        -- an entity's logging trigger inserts one level down; anything else
        -- must come through claude.log_activity, run_jobs or prune_activity
        IF pg_trigger_depth() > 1 THEN
            origin := 'trigger';
        ELSE
            RAISE EXCEPTION USING
                ERRCODE = 'object_not_in_prerequisite_state',
                MESSAGE = 'the activity feed''s rows are written by the database: INSERT is not allowed',
                DETAIL = jsonb_build_object('errors', claude.err('activity_feed',
                             'INSERT on the activity feed is not allowed', '55000'))::text,
                HINT = 'Log an application event with claude.log_activity(...).';
        END IF;
    END IF;
    -- an imported row keeps the id and time it had where it was exported
    -- (claude.import_records, owner only); every other row gets the database's
    IF origin IS DISTINCT FROM 'import' THEN
        NEW.id := gen_random_uuid();
        -- The row was routed to its month's partition by the created_at it
        -- came with (the column default, a moment ago); a BEFORE trigger may
        -- not move it to another, so at a month's turn the stamp stays in
        -- the month the row was routed to.
        NEW.created_at := LEAST(clock_timestamp(),
                                (date_trunc('month', NEW.created_at AT TIME ZONE 'UTC') + interval '1 month'
                                 - interval '1 microsecond') AT TIME ZONE 'UTC');
    END IF;
    NEW.origin := origin;
    NEW.db_user := session_user;
    NEW.xact_id := pg_current_xact_id();
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.stamp_activity() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION stamp_activity(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.stamp_activity() IS 'Trigger: an activity row''s id, created_at, origin, db_user and xact_id are the database''s; refuses an INSERT that comes neither from an entity trigger nor from the feed''s own functions.';


--
-- Name: start_locked_task(claude.build_tasks, uuid, timestamp with time zone, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.start_locked_task(task claude.build_tasks, identity_id uuid, lease_until timestamp with time zone, actor text) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    after claude.build_tasks;
    active bigint;
BEGIN
    PERFORM claude.begin_call(actor);
    -- a todo task starts; an in_progress one whose lease expired changes hands
    UPDATE claude.build_tasks AS t
       SET status = 'in_progress',
           assigned_to_identity_id = COALESCE(start_locked_task.identity_id, t.assigned_to_identity_id),
           lease_expires_at = start_locked_task.lease_until
     WHERE t.task_id = (start_locked_task.task).task_id
    RETURNING t.* INTO after;
    PERFORM claude.end_call();
    active := claude.active_task_count(after.assigned_to_identity_id);
    RETURN claude.envelope(to_jsonb(after),
        CASE WHEN active > 5 THEN ARRAY[format('the assignee now has %s active tasks (more than 5)', active)] ELSE '{}' END,
        jsonb_build_object('active_tasks_count', active));
END
$$;


ALTER FUNCTION claude.start_locked_task(task claude.build_tasks, identity_id uuid, lease_until timestamp with time zone, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION start_locked_task(task claude.build_tasks, identity_id uuid, lease_until timestamp with time zone, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.start_locked_task(task claude.build_tasks, identity_id uuid, lease_until timestamp with time zone, actor text) IS 'Shared body of start_task and claim_next_task: starts an already locked todo task (or takes over an in_progress one whose lease expired) for an identity, holding it until lease_until (null: no lease); warns above 5 active tasks.';


--
-- Name: start_task(uuid, uuid, boolean, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.start_task(task_id uuid, identity_id uuid DEFAULT NULL::uuid, reassign boolean DEFAULT false, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    locked claude.build_tasks := claude.lock_task(start_task.task_id, claude.action_from_statuses('build_task', 'start'), 'start');
BEGIN
    -- another identity's task is not taken silently: only on purpose
    IF start_task.identity_id IS NOT NULL AND locked.assigned_to_identity_id IS NOT NULL
       AND locked.assigned_to_identity_id <> start_task.identity_id AND NOT COALESCE(start_task.reassign, false) THEN
        PERFORM claude.raise_errors(jsonb_set(claude.err('assigned_to_identity_id',
            format('task "%s" is assigned to %s; pass reassign => true to take it over', locked.task_name,
                   (SELECT i.identity_name FROM claude.identities i WHERE i.identity_id = locked.assigned_to_identity_id)),
            '55000'), '{0,entity_id}', to_jsonb(locked.assigned_to_identity_id)),
            format('cannot start task "%s"', locked.task_name));
    END IF;
    RETURN claude.start_locked_task(locked, start_task.identity_id, NULL, actor);
END
$$;


ALTER FUNCTION claude.start_task(task_id uuid, identity_id uuid, reassign boolean, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION start_task(task_id uuid, identity_id uuid, reassign boolean, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.start_task(task_id uuid, identity_id uuid, reassign boolean, actor text) IS 'Starts a todo task (ready: every blocks dependency done) for identity_id, or for its assignee; a task assigned to another identity only with reassign => true. Metadata: active_tasks_count; warns above 5 active tasks. Errors: 23514, 23503, P0002, 55000.';


--
-- Name: submit_task_for_review(uuid, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.submit_task_for_review(task_id uuid, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN claude.move_task(submit_task_for_review.task_id, 'review', claude.action_from_statuses('build_task', 'submit'), 'submit for review', actor, NULL);
END
$$;


ALTER FUNCTION claude.submit_task_for_review(task_id uuid, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION submit_task_for_review(task_id uuid, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.submit_task_for_review(task_id uuid, actor text) IS 'Moves an in_progress task to review. Errors: P0002, 55000.';


--
-- Name: sync_blocked_by_edge(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.sync_blocked_by_edge() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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


ALTER FUNCTION claude.sync_blocked_by_edge() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION sync_blocked_by_edge(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.sync_blocked_by_edge() IS 'Trigger: the seed''s blocked_by_task_id as a blocks edge of claude.task_dependencies (added, moved or removed with the column).';


--
-- Name: task_filters(uuid, uuid, uuid, text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.task_filters(feature_id uuid, component_id uuid, project_id uuid, labels text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
DECLARE
    filters text := '';
BEGIN
    -- only the filters that are set: each call is planned for its own filters
    -- ($1 feature, $2 component, $3 project, $5 labels; the caller binds the
    -- values and keeps $4 for its own use)
    IF feature_id IS NOT NULL THEN filters := filters || ' AND t.feature_id = $1'; END IF;
    IF component_id IS NOT NULL THEN filters := filters || ' AND t.component_id = $2'; END IF;
    IF project_id IS NOT NULL THEN
        filters := filters || ' AND t.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = $3)';
    END IF;
    -- carrying every given label (index idx_tasks_labels)
    IF cardinality(labels) > 0 THEN filters := filters || ' AND t.labels @> $5'; END IF;
    RETURN filters;
END
$_$;


ALTER FUNCTION claude.task_filters(feature_id uuid, component_id uuid, project_id uuid, labels text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION task_filters(feature_id uuid, component_id uuid, project_id uuid, labels text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.task_filters(feature_id uuid, component_id uuid, project_id uuid, labels text[]) IS 'The optional filters of the ready queue and the claim as SQL text (" AND ..."), only those set, bound as $1-$3 and $5 (labels: tasks carrying all of them).';


--
-- Name: too_short(text, integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.too_short(value text, min_length integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (char_length(btrim(COALESCE(value, ''::text), ' 	
v'::text)) < min_length);


ALTER FUNCTION claude.too_short(value text, min_length integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION too_short(value text, min_length integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.too_short(value text, min_length integer) IS 'True when value, trimmed of spaces, tabs and line breaks, is shorter than min_length characters (null counts as empty).';


--
-- Name: touch_timestamps(); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.touch_timestamps() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- The database, not the caller, owns both timestamps.
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
    ELSE
        NEW.created_at := OLD.created_at;
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;


ALTER FUNCTION claude.touch_timestamps() OWNER TO buildtracker_owner;

--
-- Name: FUNCTION touch_timestamps(); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.touch_timestamps() IS 'Trigger: sets created_at on insert, keeps it on update, and sets updated_at to now() on every write; callers cannot forge either.';


--
-- Name: transition_error(text, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.transition_error(entity_type text, from_status text, to_status text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    IF from_status IS NOT DISTINCT FROM to_status THEN
        RETURN '[]'::jsonb;
    END IF;
    IF EXISTS (SELECT 1 FROM claude.status_transitions s
                WHERE s.entity_type = transition_error.entity_type
                  AND s.from_status = transition_error.from_status
                  AND s.to_status = transition_error.to_status) THEN
        RETURN '[]'::jsonb;
    END IF;
    -- not a status of this entity at all: an invalid value (23514), not a wrong move
    IF NOT EXISTS (SELECT 1 FROM claude.status_transitions s
                    WHERE s.entity_type = transition_error.entity_type
                      AND transition_error.to_status IN (s.from_status, s.to_status)) THEN
        RETURN claude.err('status', format('status must be one of %s',
            (SELECT string_agg(DISTINCT x.status, ', ')
               FROM claude.status_transitions s, LATERAL (VALUES (s.from_status), (s.to_status)) AS x(status)
              WHERE s.entity_type = transition_error.entity_type)));
    END IF;
    RETURN claude.err('status', format('a %s cannot go from %s to %s (allowed from %s: %s)',
            replace(entity_type, '_', ' '), from_status, to_status, from_status,
            COALESCE((SELECT string_agg(s.to_status, ', ' ORDER BY s.to_status) FROM claude.status_transitions s
                       WHERE s.entity_type = transition_error.entity_type
                         AND s.from_status = transition_error.from_status), 'none, it is final')), '55000');
END
$$;


ALTER FUNCTION claude.transition_error(entity_type text, from_status text, to_status text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION transition_error(entity_type text, from_status text, to_status text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.transition_error(entity_type text, from_status text, to_status text) IS 'Empty list when the status change is allowed (or no change); one 23514 error for a status the entity does not have; else one 55000 error naming the allowed targets.';


--
-- Name: unblock_task(uuid, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.unblock_task(task_id uuid, note text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN claude.move_task(unblock_task.task_id, 'in_progress', claude.action_from_statuses('build_task', 'unblock'), 'unblock', actor, note);
END
$$;


ALTER FUNCTION claude.unblock_task(task_id uuid, note text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION unblock_task(task_id uuid, note text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.unblock_task(task_id uuid, note text, actor text) IS 'Resumes a blocked task; needs a resolution note; clears blocked_reason. Errors: 23514, P0002, 55000.';


--
-- Name: unknown_status_error(text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.unknown_status_error(entity_type text, status text) RETURNS jsonb
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


ALTER FUNCTION claude.unknown_status_error(entity_type text, status text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION unknown_status_error(entity_type text, status text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.unknown_status_error(entity_type text, status text) IS 'An empty list when status is null or a status of the entity (per claude.status_transitions), else one 23514 error naming the statuses: for filters of the list_* functions.';


--
-- Name: untestable_criteria_warnings(text[]); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.untestable_criteria_warnings(acceptance_criteria text[]) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
    -- an E'' literal: a PL/pgSQL body is parsed when first called, under the
    -- session's standard_conforming_strings, and '\m' would read as 'm' with it off
    RETURN (
    SELECT COALESCE(array_agg(format('criterion "%s" reads as untestable (none of should, must, given, when, then)', u.c)
                              ORDER BY u.n), '{}')
      FROM unnest(untestable_criteria_warnings.acceptance_criteria) WITH ORDINALITY AS u(c, n)
     WHERE u.c !~* E'\\m(should|must|given|when|then)\\M');
END
$$;


ALTER FUNCTION claude.untestable_criteria_warnings(acceptance_criteria text[]) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION untestable_criteria_warnings(acceptance_criteria text[]); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.untestable_criteria_warnings(acceptance_criteria text[]) IS 'Warnings (never errors) on approval: each acceptance criterion containing none of the words should, must, given, when, then.';


--
-- Name: update_component(uuid, jsonb, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.update_component(component_id uuid, changes jsonb, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    updated jsonb;
BEGIN
    PERFORM claude.begin_call(actor);
    updated := claude.apply_changes('component', update_component.component_id, changes, ARRAY[
        'feature_id', 'component_name', 'component_type', 'file_path', 'planned_functions',
        'planned_dependencies', 'actual_functions', 'lines_of_code', 'has_tests',
        'test_coverage_percentage', 'has_documentation', 'doc_path']);
    PERFORM claude.end_call();
    RETURN claude.envelope(updated);
END
$$;


ALTER FUNCTION claude.update_component(component_id uuid, changes jsonb, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION update_component(component_id uuid, changes jsonb, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.update_component(component_id uuid, changes jsonb, actor text) IS 'Edits non-status fields of a component (feature_id moves it); an unknown key or status is an error. Errors: 23514, 23503, P0002, 55000.';


--
-- Name: update_component_status(uuid, text, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.update_component_status(component_id uuid, new_status text, reason text DEFAULT NULL::text, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    before claude.components;
    after claude.components;
BEGIN
    SELECT * INTO before FROM claude.components c WHERE c.component_id = update_component_status.component_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('component', update_component_status.component_id);
    END IF;
    IF new_status IS NULL OR new_status = before.status THEN
        PERFORM claude.raise_errors(claude.err('status', COALESCE('the component is already ' || new_status, 'new_status is required'),
                                               CASE WHEN new_status IS NULL THEN '23514' ELSE '55000' END),
            format('cannot change the status of component "%s"', before.component_name));
    END IF;
    PERFORM claude.begin_call(actor, reason);
    UPDATE claude.components AS c SET status = new_status
     WHERE c.component_id = update_component_status.component_id
    RETURNING c.* INTO after;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after),
        CASE WHEN after.status = 'completed' THEN claude.component_completion_warnings(after) ELSE '{}' END,
        jsonb_build_object('old_status', before.status, 'new_status', after.status));
END
$$;


ALTER FUNCTION claude.update_component_status(component_id uuid, new_status text, reason text, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION update_component_status(component_id uuid, new_status text, reason text, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.update_component_status(component_id uuid, new_status text, reason text, actor text) IS 'Moves a component along its state machine (reason goes to the activity feed). Metadata: old_status, new_status. Errors: 23514, P0002, 55000.';


--
-- Name: update_feature(uuid, jsonb, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.update_feature(feature_id uuid, changes jsonb, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    updated jsonb;
    editable text[] := ARRAY[
            'feature_name', 'feature_type', 'description', 'priority', 'parent_feature_id',
            'planned_by_identity_id', 'implemented_by_identity_id', 'design_doc_path',
            'implementation_notes', 'completion_percentage', 'labels'];
BEGIN
    -- bad keys are refused before the link lock (SPEC section 12: bounded work)
    PERFORM claude.refuse_bad_changes('feature', update_feature.feature_id, changes, editable);
    IF jsonb_typeof(changes) = 'object' AND changes ? 'parent_feature_id' THEN
        PERFORM claude.lock_links('feature_parents');
    END IF;
    PERFORM claude.begin_call(actor);
    updated := claude.apply_changes('feature', update_feature.feature_id, changes, editable);
    PERFORM claude.end_call();
    RETURN claude.envelope(updated);
END
$$;


ALTER FUNCTION claude.update_feature(feature_id uuid, changes jsonb, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION update_feature(feature_id uuid, changes jsonb, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.update_feature(feature_id uuid, changes jsonb, actor text) IS 'Edits non-status fields of a feature from a JSON object; an unknown key or status is an error. Errors: 23514, 23503, P0002.';


--
-- Name: update_requirement(uuid, jsonb, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.update_requirement(requirement_id uuid, changes jsonb, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    updated jsonb;
BEGIN
    PERFORM claude.begin_call(actor);
    updated := claude.apply_changes('requirement', update_requirement.requirement_id, changes, ARRAY[
        'requirement_name', 'requirement_type', 'description', 'acceptance_criteria', 'priority', 'must_have']);
    PERFORM claude.end_call();
    RETURN claude.envelope(updated);
END
$$;


ALTER FUNCTION claude.update_requirement(requirement_id uuid, changes jsonb, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION update_requirement(requirement_id uuid, changes jsonb, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.update_requirement(requirement_id uuid, changes jsonb, actor text) IS 'Edits non-status fields of a requirement; an unknown key or status is an error. Errors: 23514, P0002.';


--
-- Name: update_requirement_status(uuid, text, text, uuid, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.update_requirement_status(requirement_id uuid, new_status text, reason text DEFAULT NULL::text, component_id uuid DEFAULT NULL::uuid, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    before claude.requirements;
    after claude.requirements;
BEGIN
    SELECT * INTO before FROM claude.requirements r
     WHERE r.requirement_id = update_requirement_status.requirement_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('requirement', update_requirement_status.requirement_id);
    END IF;
    IF new_status IS NULL OR new_status = before.status THEN
        PERFORM claude.raise_errors(claude.err('status', COALESCE('the requirement is already ' || new_status, 'new_status is required'),
                                               CASE WHEN new_status IS NULL THEN '23514' ELSE '55000' END),
            format('cannot change the status of requirement "%s"', before.requirement_name));
    END IF;
    PERFORM claude.begin_call(actor, reason);
    UPDATE claude.requirements AS r
       SET status = new_status,
           implemented_by_component_id = COALESCE(update_requirement_status.component_id, r.implemented_by_component_id)
     WHERE r.requirement_id = update_requirement_status.requirement_id
    RETURNING r.* INTO after;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after), claude.requirement_warnings(after),
        jsonb_build_object('old_status', before.status, 'new_status', after.status));
END
$$;


ALTER FUNCTION claude.update_requirement_status(requirement_id uuid, new_status text, reason text, component_id uuid, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION update_requirement_status(requirement_id uuid, new_status text, reason text, component_id uuid, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.update_requirement_status(requirement_id uuid, new_status text, reason text, component_id uuid, actor text) IS 'Moves a requirement along its state machine; component_id names the implementing component. Warns on untestable criteria (approval) and low coverage (verification). Errors: 23514, 23503, P0002, 55000.';


--
-- Name: update_task(uuid, jsonb, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.update_task(task_id uuid, changes jsonb, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    updated jsonb;
    editable text[] := ARRAY[
            'task_name', 'task_description', 'task_type', 'priority', 'estimated_hours',
            'assigned_to_identity_id', 'component_id', 'feature_id', 'blocked_by_task_id', 'labels'];
BEGIN
    -- bad keys are refused before the link lock (SPEC section 12: bounded work)
    PERFORM claude.refuse_bad_changes('build_task', update_task.task_id, changes, editable);
    IF jsonb_typeof(changes) = 'object' AND changes ? 'blocked_by_task_id' THEN
        PERFORM claude.lock_links('task_dependencies');
    END IF;
    PERFORM claude.begin_call(actor);
    updated := claude.apply_changes('build_task', update_task.task_id, changes, editable);
    PERFORM claude.end_call();
    RETURN claude.envelope(updated);
END
$$;


ALTER FUNCTION claude.update_task(task_id uuid, changes jsonb, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION update_task(task_id uuid, changes jsonb, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.update_task(task_id uuid, changes jsonb, actor text) IS 'Edits non-status fields of a task (reassigning only in todo or blocked); an unknown key or status is an error. Errors: 23514, 23503, P0002, 55000.';


--
-- Name: use_pg_partman(integer); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.use_pg_partman(premake integer DEFAULT 3) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    partman text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                      WHERE e.extname = 'pg_partman');
    part record;
BEGIN
    IF partman IS NULL THEN
        PERFORM claude.raise_errors(claude.err('pg_partman', 'the pg_partman extension is not installed in this database',
                                               '55000'), 'cannot hand the feed to pg_partman');
    END IF;
    IF premake IS NULL OR premake NOT BETWEEN 1 AND 36 THEN
        PERFORM claude.raise_errors(claude.err('premake', 'premake must be between 1 and 36'),
                                    'cannot hand the feed to pg_partman');
    END IF;
    IF claude.partman_schema() IS NOT NULL THEN
        RETURN jsonb_build_object('maintained_by', 'pg_partman', 'already', true);
    END IF;
    -- run_jobs runs the maintenance as the owner role, which owns every partition
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO buildtracker_owner', partman);
    EXECUTE format('GRANT ALL ON ALL TABLES IN SCHEMA %I TO buildtracker_owner', partman);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO buildtracker_owner', partman);
    EXECUTE format('GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA %I TO buildtracker_owner', partman);
    PERFORM claude.ensure_feed_partitions(0);
    ALTER TABLE claude.activity_feed DETACH PARTITION claude.activity_feed_default;
    -- detached, it takes no new rows: empty now means nothing is lost
    IF EXISTS (SELECT 1 FROM claude.activity_feed_default) THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = 'the default partition of the feed still holds rows; run claude.ensure_feed_partitions() and retry';
    END IF;
    DROP TABLE claude.activity_feed_default;
    EXECUTE format('SELECT %I.create_parent(p_parent_table := %L, p_control := %L, p_type := %L, p_interval := %L,'
                   ' p_premake := %s)', partman, 'claude.activity_feed', 'created_at', 'native', 'monthly', premake);
    -- and the template table create_parent just made
    EXECUTE format('GRANT ALL ON ALL TABLES IN SCHEMA %I TO buildtracker_owner', partman);
    -- months ahead whether or not rows arrive (pg_partman's default waits for data)
    EXECUTE format('UPDATE %I.part_config SET infinite_time_partitions = true WHERE parent_table = %L',
                   partman, 'claude.activity_feed');
    FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'claude.activity_feed'::regclass LOOP
        EXECUTE format('ALTER TABLE claude.%I OWNER TO buildtracker_owner', part.relname);
    END LOOP;
    COMMENT ON TABLE claude.activity_feed_default IS
        'Partition of claude.activity_feed: rows of a month that has no partition yet; claude.ensure_feed_partitions moves them into their month.';
    PERFORM claude.guard_feed_partition(i.inhrelid::regclass)
       FROM pg_inherits i WHERE i.inhparent = 'claude.activity_feed'::regclass;
    PERFORM claude.comment_feed_partition_indexes();
    RETURN jsonb_build_object('maintained_by', 'pg_partman', 'already', false,
                              'partitions', (SELECT jsonb_agg(p.partition_name) FROM claude.feed_partitions() p));
END
$$;


ALTER FUNCTION claude.use_pg_partman(premake integer) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION use_pg_partman(premake integer); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.use_pg_partman(premake integer) IS 'For a superuser, once, after CREATE EXTENSION pg_partman: registers claude.activity_feed with pg_partman (monthly, premake 1-36 months ahead, default 3): from then on pg_partman''s maintenance makes the months ahead (run_jobs still moves rows out of the default partition); the partitions keep their names and owner. Run pg_partman''s maintenance as buildtracker_owner (pg_partman_bgw.role), so that the months it makes can be guarded and pruned. Returns {"maintained_by", "already", "partitions"}.';


--
-- Name: utc_text(timestamp with time zone); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.utc_text(t timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN to_char((t AT TIME ZONE 'UTC'::text), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'::text);


ALTER FUNCTION claude.utc_text(t timestamp with time zone) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION utc_text(t timestamp with time zone); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.utc_text(t timestamp with time zone) IS 'A time as ISO 8601 text in UTC, the same under every TimeZone and DateStyle (job finding keys).';


--
-- Name: validate(text, jsonb, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.validate(entity_type text, data jsonb, operation text DEFAULT 'create'::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    result jsonb;
    failed_state text;
    failed_message text;
    failed_detail text;
    call_errors jsonb;
    input_errors jsonb := '[]'::jsonb;
    d jsonb := COALESCE(data, '{}'::jsonb);
    table_name text := CASE entity_type WHEN 'project' THEN 'projects' WHEN 'identity' THEN 'identities'
                            WHEN 'feature' THEN 'features' WHEN 'component' THEN 'components'
                            WHEN 'build_task' THEN 'build_tasks' WHEN 'requirement' THEN 'requirements' END;
BEGIN
    IF jsonb_typeof(d) <> 'object' THEN
        RETURN jsonb_build_object('errors', claude.err('data', 'data must be a JSON object of field: value'),
                                  'warnings', '[]'::jsonb);
    END IF;
    -- the same bound as the update functions' changes, before any work
    IF (SELECT count(*) FROM jsonb_object_keys(d)) > 100 THEN
        RETURN jsonb_build_object('errors', claude.err('data',
                   format('data holds %s keys; at most 100 are accepted', (SELECT count(*) FROM jsonb_object_keys(d)))),
                                  'warnings', '[]'::jsonb);
    END IF;
    IF operation = 'create' AND table_name IS NOT NULL THEN
        -- Fields the entity does not have, and values that do not convert,
        -- are named here; the call then runs without them.
        SELECT COALESCE(jsonb_agg(jsonb_build_object('field', k, 'message',
                   format('%s is not a field of %s', k, replace(entity_type, '_', ' ')), 'code', '23514')), '[]')
          INTO input_errors
          FROM jsonb_object_keys(d) AS k
         WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                            WHERE a.attrelid = format('claude.%I', table_name)::regclass
                              AND a.attname = k AND a.attnum > 0 AND NOT a.attisdropped);
        input_errors := input_errors || claude.conversion_errors(table_name, d);
        d := d - (SELECT COALESCE(array_agg(e->>'field'), '{}') FROM jsonb_array_elements(input_errors) AS e);
    END IF;
    -- Runs the real call in a subtransaction and always rolls it back: the
    -- dry run reports exactly what the call would, and writes nothing.
    BEGIN
        CASE entity_type || ':' || operation
        WHEN 'project:create' THEN
            result := claude.add_project(d->>'project_name');
        WHEN 'identity:create' THEN
            result := claude.add_identity(d->>'identity_name');
        WHEN 'feature:create' THEN
            result := claude.add_feature(
                feature_name => d->>'feature_name', feature_type => d->>'feature_type',
                project_id => (d->>'project_id')::uuid, description => d->>'description',
                priority => COALESCE((d->>'priority')::integer, 5), parent_feature_id => (d->>'parent_feature_id')::uuid,
                planned_by_identity_id => (d->>'planned_by_identity_id')::uuid, design_doc_path => d->>'design_doc_path');
        WHEN 'feature:update' THEN
            result := claude.update_feature((d->>'feature_id')::uuid, d - 'feature_id');
        WHEN 'component:create' THEN
            result := claude.add_component(
                feature_id => (d->>'feature_id')::uuid, component_name => d->>'component_name',
                component_type => d->>'component_type',
                planned_functions => COALESCE(ARRAY(SELECT jsonb_array_elements_text(d->'planned_functions')), '{}'),
                planned_dependencies => COALESCE(ARRAY(SELECT jsonb_array_elements_text(d->'planned_dependencies')), '{}'),
                file_path => d->>'file_path');
        WHEN 'component:update' THEN
            result := claude.update_component((d->>'component_id')::uuid, d - 'component_id');
        WHEN 'build_task:create' THEN
            result := claude.add_task(
                task_name => d->>'task_name', task_description => d->>'task_description', task_type => d->>'task_type',
                component_id => (d->>'component_id')::uuid, feature_id => (d->>'feature_id')::uuid,
                priority => COALESCE((d->>'priority')::integer, 5), estimated_hours => (d->>'estimated_hours')::numeric,
                assigned_to_identity_id => (d->>'assigned_to_identity_id')::uuid,
                blocked_by_task_id => (d->>'blocked_by_task_id')::uuid);
        WHEN 'build_task:update' THEN
            result := claude.update_task((d->>'task_id')::uuid, d - 'task_id');
        WHEN 'requirement:create' THEN
            result := claude.add_requirement(
                feature_id => (d->>'feature_id')::uuid, requirement_name => d->>'requirement_name',
                requirement_type => d->>'requirement_type', description => d->>'description',
                acceptance_criteria => ARRAY(SELECT jsonb_array_elements_text(COALESCE(d->'acceptance_criteria', '[]'))),
                priority => COALESCE((d->>'priority')::integer, 5), must_have => COALESCE((d->>'must_have')::boolean, false),
                created_by_identity_id => (d->>'created_by_identity_id')::uuid);
        WHEN 'requirement:update' THEN
            result := claude.update_requirement((d->>'requirement_id')::uuid, d - 'requirement_id');
        ELSE
            RETURN jsonb_build_object('errors', claude.err('entity_type',
                format('cannot validate %s %s: entity_type must be project, identity, feature, component, build_task or requirement, and operation create or update (identity and project: create only)',
                       COALESCE(operation, '(null)'), COALESCE(entity_type, '(null)'))), 'warnings', '[]'::jsonb);
        END CASE;
        RAISE EXCEPTION USING ERRCODE = 'BTDRY', MESSAGE = 'dry run: rolled back';
    EXCEPTION
        WHEN SQLSTATE 'BTDRY' THEN
            RETURN jsonb_build_object('errors', input_errors,
                                      'warnings', COALESCE(result #> '{validation,warnings}', '[]'));
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS failed_state = RETURNED_SQLSTATE, failed_message = MESSAGE_TEXT,
                                    failed_detail = PG_EXCEPTION_DETAIL;
            call_errors := COALESCE(claude.detail_errors(failed_detail), jsonb_build_array(jsonb_build_object(
                              'field', NULL, 'message', failed_message, 'code', failed_state)));
            RETURN jsonb_build_object('errors', input_errors || call_errors, 'warnings', '[]'::jsonb);
    END;
END
$$;


ALTER FUNCTION claude.validate(entity_type text, data jsonb, operation text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION validate(entity_type text, data jsonb, operation text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.validate(entity_type text, data jsonb, operation text) IS 'Dry run of add_* (operation create) or update_* (operation update, data holding the id): {"errors": [...], "warnings": [...]} exactly as the call would report them; writes nothing.';


--
-- Name: validate_status_transition(text, text, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.validate_status_transition(entity_type text, from_status text, to_status text) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    errors jsonb := '[]'::jsonb;
    move claude.status_transitions;
BEGIN
    IF entity_type IS NULL OR entity_type NOT IN ('feature', 'component', 'build_task', 'requirement') THEN
        RETURN jsonb_build_object('errors', claude.err('entity_type',
                   'entity_type must be one of feature, component, build_task, requirement'),
                   'warnings', '[]'::jsonb, 'action', NULL, 'needs', NULL);
    END IF;
    -- both ends must be statuses of the entity (23514); then the move itself (55000)
    errors := errors || jsonb_set(claude.unknown_status_error(entity_type, COALESCE(from_status, '')), '{0,field}', '"from_status"', false);
    errors := errors || jsonb_set(claude.unknown_status_error(entity_type, COALESCE(to_status, '')), '{0,field}', '"to_status"', false);
    IF jsonb_array_length(errors) = 0 THEN
        SELECT * INTO move FROM claude.status_transitions s
         WHERE s.entity_type = validate_status_transition.entity_type
           AND s.from_status = validate_status_transition.from_status
           AND s.to_status = validate_status_transition.to_status;
        IF move.action IS NULL THEN
            errors := jsonb_set(claude.transition_error(entity_type, from_status, to_status), '{0,field}', '"to_status"', false);
            IF jsonb_array_length(errors) = 0 THEN
                -- from_status = to_status: staying put is not a transition
                errors := claude.err('to_status', format('a %s is already %s', replace(entity_type, '_', ' '), to_status), '55000');
            END IF;
        END IF;
    END IF;
    RETURN jsonb_build_object('errors', errors, 'warnings', '[]'::jsonb, 'action', move.action, 'needs', move.needs);
END
$$;


ALTER FUNCTION claude.validate_status_transition(entity_type text, from_status text, to_status text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION validate_status_transition(entity_type text, from_status text, to_status text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.validate_status_transition(entity_type text, from_status text, to_status text) IS 'Whether a status change is allowed, as the workflow functions decide it (claude.status_transitions): {"errors": [...], "warnings": [], "action", "needs"}; errors name an unknown entity type or status (23514) or a move not allowed (55000). Nothing is written.';


--
-- Name: verify_feed(text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.verify_feed(anchor text DEFAULT NULL::text) RETURNS TABLE(problem text, checkpoint_id bigint, entity_id uuid, detail text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    c claude.feed_checkpoints;
    previous claude.feed_checkpoints;
    recomputed record;
    pruned_through bigint;
    anchor_parts text[];
    anchor_id bigint;
    anchor_digest text;
BEGIN
    -- whole checkpoints removed by prune_activity, as its own records say
    SELECT max((a.changes ->> 'pruned_through_checkpoint')::bigint) INTO pruned_through
      FROM claude.activity_feed a
     WHERE a.origin = 'system' AND a.changes ? 'pruned_through_checkpoint';
    pruned_through := COALESCE(pruned_through, 0);

    FOR c IN SELECT * FROM claude.feed_checkpoints k ORDER BY k.checkpoint_id LOOP
        IF c.checkpoint_id <> COALESCE(previous.checkpoint_id, 0) + 1
           OR c.previous_digest <> COALESCE(previous.digest, '')
           OR c.from_xid <> COALESCE(previous.through_xid, '0'::xid8) THEN
            RETURN QUERY SELECT 'chain_broken', c.checkpoint_id, NULL::uuid,
                format('checkpoint %s does not follow checkpoint %s (missing, reordered or rewritten checkpoints)',
                       c.checkpoint_id, COALESCE(previous.checkpoint_id, 0));
        END IF;
        SELECT * INTO recomputed
          FROM claude.feed_range_digest(c.from_xid, c.through_xid, c.sealed_at, c.previous_digest);
        IF c.checkpoint_id <= pruned_through AND recomputed.row_count = 0 THEN
            NULL;  -- pruned as a whole, on record: nothing left to compare
        ELSIF recomputed.digest <> c.digest THEN
            RETURN QUERY SELECT 'checkpoint_mismatch', c.checkpoint_id, NULL::uuid,
                format('checkpoint %s sealed %s rows; they now hash differently (%s rows): rows were changed, deleted, inserted or reordered',
                       c.checkpoint_id, c.row_count, recomputed.row_count);
        END IF;
        previous := c;
    END LOOP;

    -- every row still carries its own seal
    RETURN QUERY
        SELECT 'row_seal', NULL::bigint, a.id, 'the row does not match its checksum'
          FROM claude.activity_feed a
         WHERE a.checksum IS DISTINCT FROM claude.activity_checksum(a);

    IF anchor IS NOT NULL THEN
        anchor_parts := regexp_match(anchor, '^(\d+):([0-9a-f]*)$');
        anchor_id := anchor_parts[1]::bigint;
        anchor_digest := anchor_parts[2];
        IF anchor_id IS NULL THEN
            RETURN QUERY SELECT 'anchor_invalid', NULL::bigint, NULL::uuid,
                'an anchor is "<checkpoint_id>:<digest>", as claude.feed_anchor() prints it';
        ELSIF (anchor_id = 0 AND anchor_digest <> '')
              OR (anchor_id > 0 AND NOT EXISTS (SELECT 1 FROM claude.feed_checkpoints k
                                                 WHERE k.checkpoint_id = anchor_id AND k.digest = anchor_digest)) THEN
            RETURN QUERY SELECT 'anchor_mismatch', anchor_id, NULL::uuid,
                format('checkpoint %s no longer has the digest of the anchor: the history up to it was rewritten', anchor_id);
        END IF;
    END IF;
END
$_$;


ALTER FUNCTION claude.verify_feed(anchor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION verify_feed(anchor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.verify_feed(anchor text) IS 'One row per problem of the activity feed''s history (empty when it is intact): chain_broken, checkpoint_mismatch (rows changed, deleted, inserted or reordered since sealed), row_seal (a row not matching its checksum), anchor_mismatch/anchor_invalid (given an anchor from claude.feed_anchor() saved before: the chain up to it was rewritten).';


--
-- Name: verify_requirement(uuid, uuid, jsonb, uuid, text); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.verify_requirement(requirement_id uuid, component_id uuid DEFAULT NULL::uuid, test_results jsonb DEFAULT NULL::jsonb, test_run_id uuid DEFAULT NULL::uuid, actor text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    before claude.requirements;
    after claude.requirements;
BEGIN
    SELECT * INTO before FROM claude.requirements r
     WHERE r.requirement_id = verify_requirement.requirement_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM claude.raise_not_found('requirement', verify_requirement.requirement_id);
    END IF;
    PERFORM claude.require_status(format('requirement "%s"', before.requirement_name), before.status,
                                  claude.action_from_statuses('requirement', 'verify'), 'verify');
    PERFORM claude.begin_call(actor, CASE WHEN test_results IS NOT NULL THEN 'test results: ' || test_results::text END);
    UPDATE claude.requirements AS r
       SET status = 'verified',
           implemented_by_component_id = COALESCE(verify_requirement.component_id, r.implemented_by_component_id),
           verified_by_test_run_id = COALESCE(verify_requirement.test_run_id, r.verified_by_test_run_id)
     WHERE r.requirement_id = verify_requirement.requirement_id
    RETURNING r.* INTO after;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(after), claude.requirement_warnings(after), jsonb_build_object(
        'all_must_haves_verified', NOT EXISTS (
            SELECT 1 FROM claude.requirements m
             WHERE m.feature_id = after.feature_id AND m.must_have AND m.status <> 'verified'),
        'test_results', test_results));
END
$$;


ALTER FUNCTION claude.verify_requirement(requirement_id uuid, component_id uuid, test_results jsonb, test_run_id uuid, actor text) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION verify_requirement(requirement_id uuid, component_id uuid, test_results jsonb, test_run_id uuid, actor text); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.verify_requirement(requirement_id uuid, component_id uuid, test_results jsonb, test_run_id uuid, actor text) IS 'Verifies an implemented requirement (component done with tests, feature started); records the test run. Metadata: all_must_haves_verified. Errors: 23514, 23503, P0002, 55000.';


--
-- Name: write_changes(text, text, uuid, jsonb); Type: FUNCTION; Schema: claude; Owner: buildtracker_owner
--

CREATE FUNCTION claude.write_changes(table_name text, key_column text, entity_id uuid, changes jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    result jsonb;
BEGIN
    -- Column names come from validated keys; values stay parameters.
    EXECUTE format('UPDATE claude.%1$I AS t SET %2$s FROM jsonb_populate_record(NULL::claude.%1$I, $1) AS n
                     WHERE t.%3$I = $2 RETURNING to_jsonb(t)',
                   table_name,
                   (SELECT string_agg(format('%1$I = n.%1$I', k), ', ') FROM jsonb_object_keys(changes) AS k),
                   key_column)
       INTO result USING changes, entity_id;
    RETURN result;
END
$_$;


ALTER FUNCTION claude.write_changes(table_name text, key_column text, entity_id uuid, changes jsonb) OWNER TO buildtracker_owner;

--
-- Name: FUNCTION write_changes(table_name text, key_column text, entity_id uuid, changes jsonb); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON FUNCTION claude.write_changes(table_name text, key_column text, entity_id uuid, changes jsonb) IS 'UPDATE claude.<table_name> SET <each key> = <its value> WHERE <key_column> = entity_id, returning the row as JSON; keys must already be validated.';


--
-- Name: hash_chain(bytea); Type: AGGREGATE; Schema: claude; Owner: buildtracker_owner
--

CREATE AGGREGATE claude.hash_chain(bytea) (
    SFUNC = claude.chain_step,
    STYPE = bytea,
    INITCOND = ''
);


ALTER AGGREGATE claude.hash_chain(bytea) OWNER TO buildtracker_owner;

--
-- Name: AGGREGATE hash_chain(bytea); Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON AGGREGATE claude.hash_chain(bytea) IS 'Hash chain over its inputs in the aggregate''s ORDER BY: order matters, so reordering is detected.';


--
-- Name: activity_feed_default; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.activity_feed_default (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source_type text NOT NULL,
    source_id uuid,
    actor text,
    activity_type text NOT NULL,
    title text NOT NULL,
    summary text,
    project_name text,
    severity text DEFAULT 'info'::text NOT NULL,
    created_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    changes jsonb,
    checksum text,
    origin text DEFAULT 'unrecorded'::text NOT NULL,
    db_user text,
    xact_id xid8 DEFAULT '0'::xid8 NOT NULL,
    CONSTRAINT chk_activity_actor_length CHECK ((char_length(actor) <= 255)),
    CONSTRAINT chk_activity_job_finding_length CHECK ((char_length((changes ->> 'job_finding'::text)) <= 255)),
    CONSTRAINT chk_activity_origin CHECK ((origin = ANY (ARRAY['trigger'::text, 'caller'::text, 'job'::text, 'system'::text, 'import'::text, 'unrecorded'::text]))),
    CONSTRAINT chk_activity_project_name_length CHECK ((char_length(project_name) <= 255)),
    CONSTRAINT chk_activity_severity CHECK ((severity = ANY (ARRAY['info'::text, 'warning'::text, 'error'::text, 'success'::text]))),
    CONSTRAINT chk_activity_source_type CHECK ((source_type = ANY (ARRAY['feature'::text, 'component'::text, 'build_task'::text, 'requirement'::text, 'project'::text, 'identity'::text, 'system'::text]))),
    CONSTRAINT chk_activity_title_length CHECK ((char_length(title) <= 255)),
    CONSTRAINT chk_activity_type CHECK ((activity_type = ANY (ARRAY['created'::text, 'updated'::text, 'status_changed'::text, 'completed'::text, 'started'::text, 'assigned'::text, 'blocked'::text, 'unblocked'::text, 'verified'::text, 'cancelled'::text, 'deleted'::text, 'commented'::text, 'reclaimed'::text, 'stale'::text, 'blocker_resolved'::text, 'ready_to_complete'::text, 'lease_expired'::text])))
);


ALTER TABLE claude.activity_feed_default OWNER TO buildtracker_owner;

--
-- Name: TABLE activity_feed_default; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.activity_feed_default IS 'Partition of claude.activity_feed: rows of a month that has no partition yet; claude.ensure_feed_partitions moves them into their month.';


--
-- Name: COLUMN activity_feed_default.id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.id IS 'Primary key.';


--
-- Name: COLUMN activity_feed_default.source_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.source_type IS 'Kind of entity: feature, component, build_task, requirement, project, identity, system.';


--
-- Name: COLUMN activity_feed_default.source_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.source_id IS 'Id of the entity (no foreign key: history outlives what it describes).';


--
-- Name: COLUMN activity_feed_default.actor; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.actor IS 'Who did it: the call''s actor, else SET buildtracker.actor, else session_user.';


--
-- Name: COLUMN activity_feed_default.activity_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.activity_type IS 'What happened: created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted.';


--
-- Name: COLUMN activity_feed_default.title; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.title IS 'Short readable summary, at most 255 characters.';


--
-- Name: COLUMN activity_feed_default.summary; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.summary IS 'Details, including the reason or note given.';


--
-- Name: COLUMN activity_feed_default.project_name; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.project_name IS 'Project of the entity, for filtering.';


--
-- Name: COLUMN activity_feed_default.severity; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.severity IS 'info, warning, error or success.';


--
-- Name: COLUMN activity_feed_default.created_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.created_at IS 'When it happened.';


--
-- Name: COLUMN activity_feed_default.changes; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.changes IS 'Going beyond the seed, what changed: {"field": {"old": …, "new": …}} for updates, {"deleted": row} for deletes, {"job_finding": key} for job findings.';


--
-- Name: COLUMN activity_feed_default.checksum; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.checksum IS 'md5 of the row''s content, sealed when written (claude.activity_checksum); a mismatch means the row was altered.';


--
-- Name: COLUMN activity_feed_default.origin; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.origin IS 'Who wrote the row, set by the database: trigger (an entity change), caller (claude.log_activity), job (run_jobs), system (pruning), import (claude.import_records: id and created_at kept from the export), unrecorded (written before 1.1).';


--
-- Name: COLUMN activity_feed_default.db_user; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.db_user IS 'The session_user of the writing session, set by the database.';


--
-- Name: COLUMN activity_feed_default.xact_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.activity_feed_default.xact_id IS 'The writing transaction (pg_current_xact_id), set by the database; checkpoints cover ranges of it.';


--
-- Name: feed_checkpoints; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.feed_checkpoints (
    checkpoint_id bigint NOT NULL,
    sealed_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    from_xid xid8 NOT NULL,
    through_xid xid8 NOT NULL,
    row_count bigint NOT NULL,
    first_at timestamp with time zone,
    last_at timestamp with time zone,
    previous_digest text NOT NULL,
    digest text NOT NULL,
    sealed_by text,
    CONSTRAINT chk_checkpoint_range CHECK ((from_xid < through_xid))
);


ALTER TABLE claude.feed_checkpoints OWNER TO buildtracker_owner;

--
-- Name: TABLE feed_checkpoints; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.feed_checkpoints IS 'Chained checkpoints of the activity feed (append-only): each one''s digest chains over the previous digest and every row of its transaction range.';


--
-- Name: COLUMN feed_checkpoints.checkpoint_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.checkpoint_id IS 'Position in the chain: 1, 2, 3, ...';


--
-- Name: COLUMN feed_checkpoints.sealed_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.sealed_at IS 'When the checkpoint was sealed.';


--
-- Name: COLUMN feed_checkpoints.from_xid; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.from_xid IS 'First transaction id of its range (the previous checkpoint''s through_xid; 0 for the first).';


--
-- Name: COLUMN feed_checkpoints.through_xid; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.through_xid IS 'End of its range, exclusive: the commit horizon (pg_snapshot_xmin) when it was sealed, so every transaction of the range had finished.';


--
-- Name: COLUMN feed_checkpoints.row_count; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.row_count IS 'Rows of the range when sealed.';


--
-- Name: COLUMN feed_checkpoints.first_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.first_at IS 'Oldest created_at of its rows (pruning removes whole checkpoints older than its cutoff).';


--
-- Name: COLUMN feed_checkpoints.last_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.last_at IS 'Newest created_at of its rows.';


--
-- Name: COLUMN feed_checkpoints.previous_digest; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.previous_digest IS 'The previous checkpoint''s digest (empty for the first): the chain link.';


--
-- Name: COLUMN feed_checkpoints.digest; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.digest IS 'sha256 (hex) over the previous digest, the checkpoint''s own fields and every row of its range in (xact_id, created_at, id) order.';


--
-- Name: COLUMN feed_checkpoints.sealed_by; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_checkpoints.sealed_by IS 'Who sealed it: the call''s actor, else the database login (not part of the digest).';


--
-- Name: CONSTRAINT chk_checkpoint_range ON feed_checkpoints; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_checkpoint_range ON claude.feed_checkpoints IS 'a checkpoint covers a non-empty transaction range';


--
-- Name: feed_followers; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE UNLOGGED TABLE claude.feed_followers (
    pid integer NOT NULL,
    since timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE claude.feed_followers OWNER TO buildtracker_owner;

--
-- Name: TABLE feed_followers; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.feed_followers IS 'Sessions following the activity feed (LISTEN on buildtracker_feed, registered by claude.follow_feed): writers notify that channel only while a row exists. Rows of sessions that ended are removed by claude.forget_gone_followers (run_jobs, follow_feed).';


--
-- Name: COLUMN feed_followers.pid; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_followers.pid IS 'Backend process id of the following session.';


--
-- Name: COLUMN feed_followers.since; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.feed_followers.since IS 'When the session started following.';


--
-- Name: legacy_quarantine; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.legacy_quarantine (
    quarantine_id uuid DEFAULT gen_random_uuid() NOT NULL,
    source_table text NOT NULL,
    source_id text,
    row_data jsonb NOT NULL,
    reason text NOT NULL,
    quarantined_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE claude.legacy_quarantine OWNER TO buildtracker_owner;

--
-- Name: TABLE legacy_quarantine; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.legacy_quarantine IS 'Rows of an older claude schema that could not meet the constraints, kept whole with the reason; see docs/UPGRADING.md to bring them back.';


--
-- Name: COLUMN legacy_quarantine.quarantine_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.legacy_quarantine.quarantine_id IS 'Primary key.';


--
-- Name: COLUMN legacy_quarantine.source_table; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.legacy_quarantine.source_table IS 'The legacy table the row came from.';


--
-- Name: COLUMN legacy_quarantine.source_id; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.legacy_quarantine.source_id IS 'The row''s primary key in that table.';


--
-- Name: COLUMN legacy_quarantine.row_data; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.legacy_quarantine.row_data IS 'The whole legacy row, as it was.';


--
-- Name: COLUMN legacy_quarantine.reason; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.legacy_quarantine.reason IS 'Every reason the row could not be imported.';


--
-- Name: COLUMN legacy_quarantine.quarantined_at; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.legacy_quarantine.quarantined_at IS 'When the upgrade set it aside.';


--
-- Name: status_transitions; Type: TABLE; Schema: claude; Owner: buildtracker_owner
--

CREATE TABLE claude.status_transitions (
    entity_type text NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    action text NOT NULL,
    needs text NOT NULL,
    CONSTRAINT chk_status_transitions_action CHECK ((action ~ '^[a-z][a-z_]*$'::text)),
    CONSTRAINT chk_status_transitions_entity CHECK ((entity_type = ANY (ARRAY['feature'::text, 'component'::text, 'build_task'::text, 'requirement'::text])))
);


ALTER TABLE claude.status_transitions OWNER TO buildtracker_owner;

--
-- Name: TABLE status_transitions; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON TABLE claude.status_transitions IS 'Every allowed status change of the four state machines (SPEC section 4); a change not listed is refused with 55000.';


--
-- Name: COLUMN status_transitions.entity_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.status_transitions.entity_type IS 'feature, component, build_task or requirement.';


--
-- Name: COLUMN status_transitions.from_status; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.status_transitions.from_status IS 'Current status.';


--
-- Name: COLUMN status_transitions.to_status; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.status_transitions.to_status IS 'Status the row may move to.';


--
-- Name: COLUMN status_transitions.action; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.status_transitions.action IS 'The workflow action (a verb: start, block, complete, ...) that makes this move; the functions read the statuses an action applies to from here (claude.action_from_statuses).';


--
-- Name: COLUMN status_transitions.needs; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON COLUMN claude.status_transitions.needs IS 'What the transition requires and sets, in words.';


--
-- Name: CONSTRAINT chk_status_transitions_action ON status_transitions; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_status_transitions_action ON claude.status_transitions IS 'action must be a lower-case word (letters and underscores)';


--
-- Name: CONSTRAINT chk_status_transitions_entity ON status_transitions; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT chk_status_transitions_entity ON claude.status_transitions IS 'entity_type must be one of feature, component, build_task, requirement';


--
-- Name: activity_feed_default; Type: TABLE ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.activity_feed ATTACH PARTITION claude.activity_feed_default DEFAULT;


--
-- Name: activity_feed activity_feed_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.activity_feed
    ADD CONSTRAINT activity_feed_pkey PRIMARY KEY (id, created_at);


--
-- Name: activity_feed_default activity_feed_default_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.activity_feed_default
    ADD CONSTRAINT activity_feed_default_pkey PRIMARY KEY (id, created_at);


--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (token_id);


--
-- Name: build_tasks build_tasks_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.build_tasks
    ADD CONSTRAINT build_tasks_pkey PRIMARY KEY (task_id);


--
-- Name: comments comments_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.comments
    ADD CONSTRAINT comments_pkey PRIMARY KEY (comment_id);


--
-- Name: components components_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.components
    ADD CONSTRAINT components_pkey PRIMARY KEY (component_id);


--
-- Name: features features_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.features
    ADD CONSTRAINT features_pkey PRIMARY KEY (feature_id);


--
-- Name: feed_checkpoints feed_checkpoints_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.feed_checkpoints
    ADD CONSTRAINT feed_checkpoints_pkey PRIMARY KEY (checkpoint_id);


--
-- Name: feed_followers feed_followers_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.feed_followers
    ADD CONSTRAINT feed_followers_pkey PRIMARY KEY (pid);


--
-- Name: identities identities_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.identities
    ADD CONSTRAINT identities_pkey PRIMARY KEY (identity_id);


--
-- Name: legacy_quarantine legacy_quarantine_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.legacy_quarantine
    ADD CONSTRAINT legacy_quarantine_pkey PRIMARY KEY (quarantine_id);


--
-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (project_id);


--
-- Name: requirements requirements_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.requirements
    ADD CONSTRAINT requirements_pkey PRIMARY KEY (requirement_id);


--
-- Name: status_transitions status_transitions_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.status_transitions
    ADD CONSTRAINT status_transitions_pkey PRIMARY KEY (entity_type, from_status, to_status);


--
-- Name: task_dependencies task_dependencies_pkey; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.task_dependencies
    ADD CONSTRAINT task_dependencies_pkey PRIMARY KEY (task_id, depends_on_task_id);


--
-- Name: api_tokens uq_api_tokens_hash; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.api_tokens
    ADD CONSTRAINT uq_api_tokens_hash UNIQUE (token_hash);


--
-- Name: CONSTRAINT uq_api_tokens_hash ON api_tokens; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT uq_api_tokens_hash ON claude.api_tokens IS 'token_hash is already used';


--
-- Name: components uq_components_feature_name; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.components
    ADD CONSTRAINT uq_components_feature_name UNIQUE (feature_id, component_name);


--
-- Name: CONSTRAINT uq_components_feature_name ON components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT uq_components_feature_name ON claude.components IS 'component_name is already used by another component of this feature';


--
-- Name: identities uq_identities_name; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.identities
    ADD CONSTRAINT uq_identities_name UNIQUE (identity_name);


--
-- Name: CONSTRAINT uq_identities_name ON identities; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT uq_identities_name ON claude.identities IS 'identity_name is already used by another identity';


--
-- Name: projects uq_projects_name; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.projects
    ADD CONSTRAINT uq_projects_name UNIQUE (project_name);


--
-- Name: CONSTRAINT uq_projects_name ON projects; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT uq_projects_name ON claude.projects IS 'project_name is already used by another project';


--
-- Name: status_transitions uq_status_transitions_action; Type: CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.status_transitions
    ADD CONSTRAINT uq_status_transitions_action UNIQUE (entity_type, action, from_status);


--
-- Name: CONSTRAINT uq_status_transitions_action ON status_transitions; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT uq_status_transitions_action ON claude.status_transitions IS 'an action leads from one status to one status only';


--
-- Name: idx_activity_feed_type; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_activity_feed_type ON ONLY claude.activity_feed USING btree (activity_type, created_at DESC, id DESC);


--
-- Name: INDEX idx_activity_feed_type; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_activity_feed_type IS 'Activity of one type, newest first.';


--
-- Name: activity_feed_default_activity_type_created_at_id_idx; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX activity_feed_default_activity_type_created_at_id_idx ON claude.activity_feed_default USING btree (activity_type, created_at DESC, id DESC);


--
-- Name: INDEX activity_feed_default_activity_type_created_at_id_idx; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.activity_feed_default_activity_type_created_at_id_idx IS 'Activity of one type, newest first.';


--
-- Name: idx_activity_feed_actor; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_activity_feed_actor ON ONLY claude.activity_feed USING btree (actor, created_at DESC, id DESC);


--
-- Name: INDEX idx_activity_feed_actor; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_activity_feed_actor IS 'Activity of one actor, newest first.';


--
-- Name: activity_feed_default_actor_created_at_id_idx; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX activity_feed_default_actor_created_at_id_idx ON claude.activity_feed_default USING btree (actor, created_at DESC, id DESC);


--
-- Name: INDEX activity_feed_default_actor_created_at_id_idx; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.activity_feed_default_actor_created_at_id_idx IS 'Activity of one actor, newest first.';


--
-- Name: idx_activity_feed_time; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_activity_feed_time ON ONLY claude.activity_feed USING btree (created_at DESC, id DESC);


--
-- Name: INDEX idx_activity_feed_time; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_activity_feed_time IS 'Recent activity, newest first.';


--
-- Name: activity_feed_default_created_at_id_idx; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX activity_feed_default_created_at_id_idx ON claude.activity_feed_default USING btree (created_at DESC, id DESC);


--
-- Name: INDEX activity_feed_default_created_at_id_idx; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.activity_feed_default_created_at_id_idx IS 'Recent activity, newest first.';


--
-- Name: idx_activity_feed_job_finding; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_activity_feed_job_finding ON ONLY claude.activity_feed USING btree (((changes ->> 'job_finding'::text))) WHERE (changes ? 'job_finding'::text);


--
-- Name: INDEX idx_activity_feed_job_finding; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_activity_feed_job_finding IS 'De-duplicates job findings: one alert per finding.';


--
-- Name: activity_feed_default_expr_idx; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX activity_feed_default_expr_idx ON claude.activity_feed_default USING btree (((changes ->> 'job_finding'::text))) WHERE (changes ? 'job_finding'::text);


--
-- Name: INDEX activity_feed_default_expr_idx; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.activity_feed_default_expr_idx IS 'De-duplicates job findings: one alert per finding.';


--
-- Name: idx_activity_feed_project; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_activity_feed_project ON ONLY claude.activity_feed USING btree (project_name, created_at DESC, id DESC);


--
-- Name: INDEX idx_activity_feed_project; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_activity_feed_project IS 'Activity of one project, newest first.';


--
-- Name: activity_feed_default_project_name_created_at_id_idx; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX activity_feed_default_project_name_created_at_id_idx ON claude.activity_feed_default USING btree (project_name, created_at DESC, id DESC);


--
-- Name: INDEX activity_feed_default_project_name_created_at_id_idx; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.activity_feed_default_project_name_created_at_id_idx IS 'Activity of one project, newest first.';


--
-- Name: idx_activity_feed_source; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_activity_feed_source ON ONLY claude.activity_feed USING btree (source_type, source_id);


--
-- Name: INDEX idx_activity_feed_source; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_activity_feed_source IS 'History of one entity.';


--
-- Name: activity_feed_default_source_type_source_id_idx; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX activity_feed_default_source_type_source_id_idx ON claude.activity_feed_default USING btree (source_type, source_id);


--
-- Name: INDEX activity_feed_default_source_type_source_id_idx; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.activity_feed_default_source_type_source_id_idx IS 'History of one entity.';


--
-- Name: idx_activity_feed_xact; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_activity_feed_xact ON ONLY claude.activity_feed USING btree (xact_id, created_at, id);


--
-- Name: INDEX idx_activity_feed_xact; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_activity_feed_xact IS 'The seal''s and the verifier''s range scans over transaction ids, in chain order.';


--
-- Name: activity_feed_default_xact_id_created_at_id_idx; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX activity_feed_default_xact_id_created_at_id_idx ON claude.activity_feed_default USING btree (xact_id, created_at, id);


--
-- Name: INDEX activity_feed_default_xact_id_created_at_id_idx; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.activity_feed_default_xact_id_created_at_id_idx IS 'The seal''s and the verifier''s range scans over transaction ids, in chain order.';


--
-- Name: idx_comments_entity; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_comments_entity ON claude.comments USING btree (entity_type, entity_id, created_at DESC, comment_id DESC);


--
-- Name: INDEX idx_comments_entity; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_comments_entity IS 'The comments of one entity, newest first (get_comments).';


--
-- Name: idx_comments_search; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_comments_search ON claude.comments USING gin (claude.search_vector(NULL::text, body));


--
-- Name: INDEX idx_comments_search; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_comments_search IS 'Full text of comments (search).';


--
-- Name: idx_components_feature; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_components_feature ON claude.components USING btree (feature_id, status);


--
-- Name: INDEX idx_components_feature; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_components_feature IS 'Components of a feature by status (roll-up, completion gate).';


--
-- Name: idx_components_search; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_components_search ON claude.components USING gin (claude.search_vector(component_name, file_path));


--
-- Name: INDEX idx_components_search; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_components_search IS 'Full text of components: name and file path (search).';


--
-- Name: idx_features_implemented_by; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_features_implemented_by ON claude.features USING btree (implemented_by_identity_id) WHERE (implemented_by_identity_id IS NOT NULL);


--
-- Name: INDEX idx_features_implemented_by; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_features_implemented_by IS 'Features implemented by an identity (identity delete rule).';


--
-- Name: idx_features_labels; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_features_labels ON claude.features USING gin (labels);


--
-- Name: INDEX idx_features_labels; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_features_labels IS 'Features carrying given labels (labels @> ...).';


--
-- Name: idx_features_parent; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_features_parent ON claude.features USING btree (parent_feature_id) WHERE (parent_feature_id IS NOT NULL);


--
-- Name: INDEX idx_features_parent; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_features_parent IS 'Child features (completion gate, parent delete rule).';


--
-- Name: idx_features_planned_by; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_features_planned_by ON claude.features USING btree (planned_by_identity_id) WHERE (planned_by_identity_id IS NOT NULL);


--
-- Name: INDEX idx_features_planned_by; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_features_planned_by IS 'Features planned by an identity (identity delete rule).';


--
-- Name: idx_features_project; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_features_project ON claude.features USING btree (project_id, status);


--
-- Name: INDEX idx_features_project; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_features_project IS 'Features of a project by status.';


--
-- Name: idx_features_search; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_features_search ON claude.features USING gin (claude.search_vector(feature_name, description));


--
-- Name: INDEX idx_features_search; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_features_search IS 'Full text of features (search).';


--
-- Name: idx_features_status; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_features_status ON claude.features USING btree (status);


--
-- Name: INDEX idx_features_status; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_features_status IS 'Features by status.';


--
-- Name: idx_requirements_component; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_requirements_component ON claude.requirements USING btree (implemented_by_component_id) WHERE (implemented_by_component_id IS NOT NULL);


--
-- Name: INDEX idx_requirements_component; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_requirements_component IS 'Requirements implemented by a component (delete rule).';


--
-- Name: idx_requirements_created_by; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_requirements_created_by ON claude.requirements USING btree (created_by_identity_id) WHERE (created_by_identity_id IS NOT NULL);


--
-- Name: INDEX idx_requirements_created_by; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_requirements_created_by IS 'Requirements written by an identity (identity delete rule).';


--
-- Name: idx_requirements_feature; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_requirements_feature ON claude.requirements USING btree (feature_id, status);


--
-- Name: INDEX idx_requirements_feature; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_requirements_feature IS 'Requirements of a feature by status (completion gate).';


--
-- Name: idx_requirements_search; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_requirements_search ON claude.requirements USING gin (claude.search_vector(requirement_name, description, acceptance_criteria));


--
-- Name: INDEX idx_requirements_search; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_requirements_search IS 'Full text of requirements with their acceptance criteria (search).';


--
-- Name: idx_task_dependencies_depends_on; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_task_dependencies_depends_on ON claude.task_dependencies USING btree (depends_on_task_id, kind);


--
-- Name: INDEX idx_task_dependencies_depends_on; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_task_dependencies_depends_on IS 'Dependents of a task, for readiness and auto-unblock.';


--
-- Name: idx_tasks_assigned; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_assigned ON claude.build_tasks USING btree (assigned_to_identity_id, status);


--
-- Name: INDEX idx_tasks_assigned; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_assigned IS 'Tasks of an assignee by status (active-task count).';


--
-- Name: idx_tasks_blocked_by; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_blocked_by ON claude.build_tasks USING btree (blocked_by_task_id) WHERE (blocked_by_task_id IS NOT NULL);


--
-- Name: INDEX idx_tasks_blocked_by; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_blocked_by IS 'Tasks waiting on a task (unblocking, delete rule).';


--
-- Name: idx_tasks_component; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_component ON claude.build_tasks USING btree (component_id, status);


--
-- Name: INDEX idx_tasks_component; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_component IS 'Tasks of a component by status.';


--
-- Name: idx_tasks_feature; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_feature ON claude.build_tasks USING btree (feature_id, status);


--
-- Name: INDEX idx_tasks_feature; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_feature IS 'Tasks of a feature by status (roll-up, completion gate).';


--
-- Name: idx_tasks_labels; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_labels ON claude.build_tasks USING gin (labels);


--
-- Name: INDEX idx_tasks_labels; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_labels IS 'Tasks carrying given labels (labels @> ...): the label filter of the ready queue and the claim.';


--
-- Name: idx_tasks_lease; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_lease ON claude.build_tasks USING btree (lease_expires_at) WHERE ((status = 'in_progress'::text) AND (lease_expires_at IS NOT NULL));


--
-- Name: INDEX idx_tasks_lease; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_lease IS 'In-progress tasks by lease end: expired leases for claim_next_task and run_jobs.';


--
-- Name: idx_tasks_ready; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_ready ON claude.build_tasks USING btree (priority, created_at, task_id) WHERE (status = 'todo'::text);


--
-- Name: INDEX idx_tasks_ready; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_ready IS 'Ready-task queue: todo tasks by priority, then age.';


--
-- Name: idx_tasks_ready_feature; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_ready_feature ON claude.build_tasks USING btree (feature_id, priority, created_at, task_id) WHERE (status = 'todo'::text);


--
-- Name: INDEX idx_tasks_ready_feature; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_ready_feature IS 'Ready-task queue of one feature (or of a project''s features): todo tasks by priority, then age.';


--
-- Name: idx_tasks_search; Type: INDEX; Schema: claude; Owner: buildtracker_owner
--

CREATE INDEX idx_tasks_search ON claude.build_tasks USING gin (claude.search_vector(task_name, task_description));


--
-- Name: INDEX idx_tasks_search; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON INDEX claude.idx_tasks_search IS 'Full text of tasks (search).';


--
-- Name: activity_feed_default_activity_type_created_at_id_idx; Type: INDEX ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER INDEX claude.idx_activity_feed_type ATTACH PARTITION claude.activity_feed_default_activity_type_created_at_id_idx;


--
-- Name: activity_feed_default_actor_created_at_id_idx; Type: INDEX ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER INDEX claude.idx_activity_feed_actor ATTACH PARTITION claude.activity_feed_default_actor_created_at_id_idx;


--
-- Name: activity_feed_default_created_at_id_idx; Type: INDEX ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER INDEX claude.idx_activity_feed_time ATTACH PARTITION claude.activity_feed_default_created_at_id_idx;


--
-- Name: activity_feed_default_expr_idx; Type: INDEX ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER INDEX claude.idx_activity_feed_job_finding ATTACH PARTITION claude.activity_feed_default_expr_idx;


--
-- Name: activity_feed_default_pkey; Type: INDEX ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER INDEX claude.activity_feed_pkey ATTACH PARTITION claude.activity_feed_default_pkey;


--
-- Name: activity_feed_default_project_name_created_at_id_idx; Type: INDEX ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER INDEX claude.idx_activity_feed_project ATTACH PARTITION claude.activity_feed_default_project_name_created_at_id_idx;


--
-- Name: activity_feed_default_source_type_source_id_idx; Type: INDEX ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER INDEX claude.idx_activity_feed_source ATTACH PARTITION claude.activity_feed_default_source_type_source_id_idx;


--
-- Name: activity_feed_default_xact_id_created_at_id_idx; Type: INDEX ATTACH; Schema: claude; Owner: buildtracker_owner
--

ALTER INDEX claude.idx_activity_feed_xact ATTACH PARTITION claude.activity_feed_default_xact_id_created_at_id_idx;


--
-- Name: activity_feed bt00_stamp; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt00_stamp BEFORE INSERT ON claude.activity_feed FOR EACH ROW EXECUTE FUNCTION claude.stamp_activity();


--
-- Name: activity_feed bt01_seal; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt01_seal BEFORE INSERT ON claude.activity_feed FOR EACH ROW EXECUTE FUNCTION claude.seal_activity();


--
-- Name: activity_feed bt05_append_only; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt05_append_only BEFORE DELETE OR UPDATE ON claude.activity_feed FOR EACH ROW EXECUTE FUNCTION claude.guard_activity_feed();


--
-- Name: comments bt05_append_only; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt05_append_only BEFORE DELETE OR UPDATE ON claude.comments FOR EACH ROW EXECUTE FUNCTION claude.guard_comments();


--
-- Name: feed_checkpoints bt05_append_only; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt05_append_only BEFORE DELETE OR UPDATE ON claude.feed_checkpoints FOR EACH ROW EXECUTE FUNCTION claude.guard_feed_checkpoints();


--
-- Name: activity_feed bt05_append_only_truncate; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt05_append_only_truncate BEFORE TRUNCATE ON claude.activity_feed FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_activity_feed();


--
-- Name: activity_feed_default bt05_append_only_truncate; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt05_append_only_truncate BEFORE TRUNCATE ON claude.activity_feed_default FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_activity_feed();


--
-- Name: comments bt05_append_only_truncate; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt05_append_only_truncate BEFORE TRUNCATE ON claude.comments FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_comments();


--
-- Name: feed_checkpoints bt05_append_only_truncate; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt05_append_only_truncate BEFORE TRUNCATE ON claude.feed_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION claude.guard_feed_checkpoints();


--
-- Name: comments bt10_rules; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt10_rules BEFORE INSERT ON claude.comments FOR EACH ROW EXECUTE FUNCTION claude.enforce_comment_rules();


--
-- Name: api_tokens bt10_touch_timestamps; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt10_touch_timestamps BEFORE INSERT OR UPDATE ON claude.api_tokens FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();


--
-- Name: components bt10_touch_timestamps; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt10_touch_timestamps BEFORE INSERT OR UPDATE ON claude.components FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();


--
-- Name: features bt10_touch_timestamps; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt10_touch_timestamps BEFORE INSERT OR UPDATE ON claude.features FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();


--
-- Name: identities bt10_touch_timestamps; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt10_touch_timestamps BEFORE INSERT OR UPDATE ON claude.identities FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();


--
-- Name: projects bt10_touch_timestamps; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt10_touch_timestamps BEFORE INSERT OR UPDATE ON claude.projects FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();


--
-- Name: requirements bt10_touch_timestamps; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt10_touch_timestamps BEFORE INSERT OR UPDATE ON claude.requirements FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();


--
-- Name: build_tasks bt15_lock_parent_rows; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt15_lock_parent_rows BEFORE INSERT OR UPDATE OF feature_id, component_id ON claude.build_tasks FOR EACH ROW EXECUTE FUNCTION claude.lock_task_parents();


--
-- Name: components bt15_lock_parent_rows; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt15_lock_parent_rows BEFORE INSERT OR UPDATE OF feature_id ON claude.components FOR EACH ROW EXECUTE FUNCTION claude.lock_component_parents();


--
-- Name: requirements bt15_lock_parent_rows; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt15_lock_parent_rows BEFORE INSERT OR UPDATE OF feature_id, implemented_by_component_id, status ON claude.requirements FOR EACH ROW EXECUTE FUNCTION claude.lock_requirement_parents();


--
-- Name: build_tasks bt20_enforce_rules; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt20_enforce_rules BEFORE INSERT OR UPDATE ON claude.build_tasks FOR EACH ROW EXECUTE FUNCTION claude.enforce_task_rules();


--
-- Name: components bt20_enforce_rules; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt20_enforce_rules BEFORE INSERT OR UPDATE ON claude.components FOR EACH ROW EXECUTE FUNCTION claude.enforce_component_rules();


--
-- Name: features bt20_enforce_rules; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt20_enforce_rules BEFORE INSERT OR UPDATE ON claude.features FOR EACH ROW EXECUTE FUNCTION claude.enforce_feature_rules();


--
-- Name: identities bt20_enforce_rules; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt20_enforce_rules BEFORE INSERT OR UPDATE ON claude.identities FOR EACH ROW EXECUTE FUNCTION claude.enforce_identity_rules();


--
-- Name: projects bt20_enforce_rules; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt20_enforce_rules BEFORE INSERT OR UPDATE ON claude.projects FOR EACH ROW EXECUTE FUNCTION claude.enforce_project_rules();


--
-- Name: requirements bt20_enforce_rules; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt20_enforce_rules BEFORE INSERT OR UPDATE ON claude.requirements FOR EACH ROW EXECUTE FUNCTION claude.enforce_requirement_rules();


--
-- Name: task_dependencies bt20_enforce_rules; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt20_enforce_rules BEFORE INSERT OR UPDATE ON claude.task_dependencies FOR EACH ROW EXECUTE FUNCTION claude.enforce_dependency_rules();


--
-- Name: features bt25_computed_completion; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt25_computed_completion BEFORE UPDATE OF completion_percentage ON claude.features FOR EACH ROW WHEN ((new.completion_percentage IS DISTINCT FROM old.completion_percentage)) EXECUTE FUNCTION claude.guard_computed_completion();


--
-- Name: build_tasks bt30_sync_blocked_by; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt30_sync_blocked_by AFTER INSERT OR UPDATE OF blocked_by_task_id ON claude.build_tasks FOR EACH ROW EXECUTE FUNCTION claude.sync_blocked_by_edge();


--
-- Name: build_tasks bt40_auto_unblock; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt40_auto_unblock AFTER UPDATE OF status ON claude.build_tasks FOR EACH ROW WHEN (((new.status = ANY (ARRAY['completed'::text, 'cancelled'::text])) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION claude.auto_unblock();


--
-- Name: components bt50_carry_tasks; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt50_carry_tasks AFTER UPDATE OF feature_id ON claude.components FOR EACH ROW WHEN ((new.feature_id IS DISTINCT FROM old.feature_id)) EXECUTE FUNCTION claude.carry_component_tasks();


--
-- Name: build_tasks bt90_log_activity; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt90_log_activity AFTER INSERT OR DELETE OR UPDATE ON claude.build_tasks FOR EACH ROW EXECUTE FUNCTION claude.log_entity_activity();


--
-- Name: comments bt90_log_activity; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt90_log_activity AFTER INSERT ON claude.comments FOR EACH ROW EXECUTE FUNCTION claude.log_comment();


--
-- Name: components bt90_log_activity; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt90_log_activity AFTER INSERT OR DELETE OR UPDATE ON claude.components FOR EACH ROW EXECUTE FUNCTION claude.log_entity_activity();


--
-- Name: features bt90_log_activity; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt90_log_activity AFTER INSERT OR DELETE OR UPDATE ON claude.features FOR EACH ROW EXECUTE FUNCTION claude.log_entity_activity();


--
-- Name: requirements bt90_log_activity; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt90_log_activity AFTER INSERT OR DELETE OR UPDATE ON claude.requirements FOR EACH ROW EXECUTE FUNCTION claude.log_entity_activity();


--
-- Name: activity_feed bt90_notify; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt90_notify AFTER INSERT ON claude.activity_feed FOR EACH ROW WHEN ((new.severity = ANY (ARRAY['warning'::text, 'error'::text]))) EXECUTE FUNCTION claude.notify_activity();


--
-- Name: activity_feed bt91_notify_feed; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt91_notify_feed AFTER INSERT ON claude.activity_feed FOR EACH STATEMENT EXECUTE FUNCTION claude.notify_feed();


--
-- Name: build_tasks bt95_rollup_completion; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt95_rollup_completion AFTER INSERT OR DELETE OR UPDATE OF status, feature_id ON claude.build_tasks FOR EACH ROW EXECUTE FUNCTION claude.rollup_feature_completion();


--
-- Name: components bt95_rollup_completion; Type: TRIGGER; Schema: claude; Owner: buildtracker_owner
--

CREATE TRIGGER bt95_rollup_completion AFTER INSERT OR DELETE OR UPDATE OF status, feature_id ON claude.components FOR EACH ROW EXECUTE FUNCTION claude.rollup_feature_completion();


--
-- Name: api_tokens fk_api_tokens_identity; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.api_tokens
    ADD CONSTRAINT fk_api_tokens_identity FOREIGN KEY (identity_id) REFERENCES claude.identities(identity_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT fk_api_tokens_identity ON api_tokens; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_api_tokens_identity ON claude.api_tokens IS 'identity_id does not name an existing identity';


--
-- Name: components fk_components_feature; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.components
    ADD CONSTRAINT fk_components_feature FOREIGN KEY (feature_id) REFERENCES claude.features(feature_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT fk_components_feature ON components; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_components_feature ON claude.components IS 'feature_id does not name an existing feature';


--
-- Name: task_dependencies fk_dependency_depends_on; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.task_dependencies
    ADD CONSTRAINT fk_dependency_depends_on FOREIGN KEY (depends_on_task_id) REFERENCES claude.build_tasks(task_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT fk_dependency_depends_on ON task_dependencies; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_dependency_depends_on ON claude.task_dependencies IS 'depends_on_task_id must name an existing task';


--
-- Name: task_dependencies fk_dependency_task; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.task_dependencies
    ADD CONSTRAINT fk_dependency_task FOREIGN KEY (task_id) REFERENCES claude.build_tasks(task_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT fk_dependency_task ON task_dependencies; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_dependency_task ON claude.task_dependencies IS 'task_id must name an existing task';


--
-- Name: features fk_features_implemented_by; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.features
    ADD CONSTRAINT fk_features_implemented_by FOREIGN KEY (implemented_by_identity_id) REFERENCES claude.identities(identity_id) ON DELETE RESTRICT;


--
-- Name: CONSTRAINT fk_features_implemented_by ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_features_implemented_by ON claude.features IS 'implemented_by_identity_id does not name an existing identity';


--
-- Name: features fk_features_parent; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.features
    ADD CONSTRAINT fk_features_parent FOREIGN KEY (parent_feature_id) REFERENCES claude.features(feature_id) ON DELETE SET NULL;


--
-- Name: CONSTRAINT fk_features_parent ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_features_parent ON claude.features IS 'parent_feature_id does not name an existing feature';


--
-- Name: features fk_features_planned_by; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.features
    ADD CONSTRAINT fk_features_planned_by FOREIGN KEY (planned_by_identity_id) REFERENCES claude.identities(identity_id) ON DELETE RESTRICT;


--
-- Name: CONSTRAINT fk_features_planned_by ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_features_planned_by ON claude.features IS 'planned_by_identity_id does not name an existing identity';


--
-- Name: features fk_features_project; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.features
    ADD CONSTRAINT fk_features_project FOREIGN KEY (project_id) REFERENCES claude.projects(project_id) ON DELETE RESTRICT;


--
-- Name: CONSTRAINT fk_features_project ON features; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_features_project ON claude.features IS 'project_id does not name an existing project';


--
-- Name: requirements fk_requirements_component; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.requirements
    ADD CONSTRAINT fk_requirements_component FOREIGN KEY (implemented_by_component_id) REFERENCES claude.components(component_id) ON DELETE SET NULL;


--
-- Name: CONSTRAINT fk_requirements_component ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_requirements_component ON claude.requirements IS 'implemented_by_component_id does not name an existing component';


--
-- Name: requirements fk_requirements_created_by; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.requirements
    ADD CONSTRAINT fk_requirements_created_by FOREIGN KEY (created_by_identity_id) REFERENCES claude.identities(identity_id) ON DELETE RESTRICT;


--
-- Name: CONSTRAINT fk_requirements_created_by ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_requirements_created_by ON claude.requirements IS 'created_by_identity_id does not name an existing identity';


--
-- Name: requirements fk_requirements_feature; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.requirements
    ADD CONSTRAINT fk_requirements_feature FOREIGN KEY (feature_id) REFERENCES claude.features(feature_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT fk_requirements_feature ON requirements; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_requirements_feature ON claude.requirements IS 'feature_id does not name an existing feature';


--
-- Name: build_tasks fk_tasks_assignee; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.build_tasks
    ADD CONSTRAINT fk_tasks_assignee FOREIGN KEY (assigned_to_identity_id) REFERENCES claude.identities(identity_id) ON DELETE RESTRICT;


--
-- Name: CONSTRAINT fk_tasks_assignee ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_tasks_assignee ON claude.build_tasks IS 'assigned_to_identity_id does not name an existing identity';


--
-- Name: build_tasks fk_tasks_blocked_by; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.build_tasks
    ADD CONSTRAINT fk_tasks_blocked_by FOREIGN KEY (blocked_by_task_id) REFERENCES claude.build_tasks(task_id) ON DELETE SET NULL;


--
-- Name: CONSTRAINT fk_tasks_blocked_by ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_tasks_blocked_by ON claude.build_tasks IS 'blocked_by_task_id does not name an existing task';


--
-- Name: build_tasks fk_tasks_component; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.build_tasks
    ADD CONSTRAINT fk_tasks_component FOREIGN KEY (component_id) REFERENCES claude.components(component_id) ON DELETE SET NULL;


--
-- Name: CONSTRAINT fk_tasks_component ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_tasks_component ON claude.build_tasks IS 'component_id does not name an existing component';


--
-- Name: build_tasks fk_tasks_feature; Type: FK CONSTRAINT; Schema: claude; Owner: buildtracker_owner
--

ALTER TABLE ONLY claude.build_tasks
    ADD CONSTRAINT fk_tasks_feature FOREIGN KEY (feature_id) REFERENCES claude.features(feature_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT fk_tasks_feature ON build_tasks; Type: COMMENT; Schema: claude; Owner: buildtracker_owner
--

COMMENT ON CONSTRAINT fk_tasks_feature ON claude.build_tasks IS 'feature_id does not name an existing feature';


--
-- Name: SCHEMA claude; Type: ACL; Schema: -; Owner: buildtracker_owner
--

GRANT USAGE ON SCHEMA claude TO buildtracker_reader;


--
-- Name: FUNCTION action_from_statuses(entity_type text, action text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.action_from_statuses(entity_type text, action text) FROM PUBLIC;


--
-- Name: FUNCTION active_task_count(identity_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.active_task_count(identity_id uuid) FROM PUBLIC;


--
-- Name: TABLE activity_feed; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.activity_feed TO buildtracker_reader;


--
-- Name: FUNCTION activity_checksum(a claude.activity_feed); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.activity_checksum(a claude.activity_feed) FROM PUBLIC;


--
-- Name: FUNCTION add_comment(entity_type text, entity_id uuid, body text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.add_comment(entity_type text, entity_id uuid, body text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.add_comment(entity_type text, entity_id uuid, body text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION add_component(feature_id uuid, component_name text, component_type text, planned_functions text[], planned_dependencies text[], file_path text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.add_component(feature_id uuid, component_name text, component_type text, planned_functions text[], planned_dependencies text[], file_path text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.add_component(feature_id uuid, component_name text, component_type text, planned_functions text[], planned_dependencies text[], file_path text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION add_dependency(task_id uuid, depends_on_task_id uuid, kind text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.add_dependency(task_id uuid, depends_on_task_id uuid, kind text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.add_dependency(task_id uuid, depends_on_task_id uuid, kind text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION add_feature(feature_name text, feature_type text, project_id uuid, description text, priority integer, parent_feature_id uuid, planned_by_identity_id uuid, design_doc_path text, actor text, labels text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.add_feature(feature_name text, feature_type text, project_id uuid, description text, priority integer, parent_feature_id uuid, planned_by_identity_id uuid, design_doc_path text, actor text, labels text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.add_feature(feature_name text, feature_type text, project_id uuid, description text, priority integer, parent_feature_id uuid, planned_by_identity_id uuid, design_doc_path text, actor text, labels text[]) TO buildtracker_writer;


--
-- Name: FUNCTION add_identity(identity_name text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.add_identity(identity_name text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.add_identity(identity_name text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION add_project(project_name text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.add_project(project_name text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.add_project(project_name text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION add_requirement(feature_id uuid, requirement_name text, requirement_type text, description text, acceptance_criteria text[], priority integer, must_have boolean, created_by_identity_id uuid, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.add_requirement(feature_id uuid, requirement_name text, requirement_type text, description text, acceptance_criteria text[], priority integer, must_have boolean, created_by_identity_id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.add_requirement(feature_id uuid, requirement_name text, requirement_type text, description text, acceptance_criteria text[], priority integer, must_have boolean, created_by_identity_id uuid, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION add_task(task_name text, task_description text, task_type text, component_id uuid, feature_id uuid, priority integer, estimated_hours numeric, assigned_to_identity_id uuid, blocked_by_task_id uuid, actor text, labels text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.add_task(task_name text, task_description text, task_type text, component_id uuid, feature_id uuid, priority integer, estimated_hours numeric, assigned_to_identity_id uuid, blocked_by_task_id uuid, actor text, labels text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.add_task(task_name text, task_description text, task_type text, component_id uuid, feature_id uuid, priority integer, estimated_hours numeric, assigned_to_identity_id uuid, blocked_by_task_id uuid, actor text, labels text[]) TO buildtracker_writer;


--
-- Name: FUNCTION append_activity(origin text, source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.append_activity(origin text, source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb) FROM PUBLIC;


--
-- Name: FUNCTION apply_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.apply_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]) FROM PUBLIC;


--
-- Name: TABLE identities; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.identities TO buildtracker_reader;


--
-- Name: FUNCTION authenticate_api_token(token text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.authenticate_api_token(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.authenticate_api_token(token text) TO buildtracker_reader;


--
-- Name: FUNCTION auto_unblock(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.auto_unblock() FROM PUBLIC;


--
-- Name: FUNCTION begin_call(actor text, note text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.begin_call(actor text, note text) FROM PUBLIC;


--
-- Name: FUNCTION block_task(task_id uuid, reason text, blocked_by_task_id uuid, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.block_task(task_id uuid, reason text, blocked_by_task_id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.block_task(task_id uuid, reason text, blocked_by_task_id uuid, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION blocks_cycle(task_id uuid, depends_on_task_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.blocks_cycle(task_id uuid, depends_on_task_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION build_constraint_checkers(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.build_constraint_checkers() FROM PUBLIC;


--
-- Name: FUNCTION build_row_changes(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.build_row_changes() FROM PUBLIC;


--
-- Name: FUNCTION can_complete_feature(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.can_complete_feature(feature_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.can_complete_feature(feature_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION cancel_task(task_id uuid, reason text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.cancel_task(task_id uuid, reason text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.cancel_task(task_id uuid, reason text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION carry_component_tasks(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.carry_component_tasks() FROM PUBLIC;


--
-- Name: FUNCTION chain_step(state bytea, next bytea); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.chain_step(state bytea, next bytea) FROM PUBLIC;


--
-- Name: FUNCTION labels_valid(labels text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.labels_valid(labels text[]) FROM PUBLIC;


--
-- Name: TABLE build_tasks; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.build_tasks TO buildtracker_reader;


--
-- Name: FUNCTION check_build_tasks_constraints(r claude.build_tasks, o claude.build_tasks); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_build_tasks_constraints(r claude.build_tasks, o claude.build_tasks) FROM PUBLIC;


--
-- Name: FUNCTION feature_completion_failures(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feature_completion_failures(feature_id uuid) FROM PUBLIC;


--
-- Name: TABLE features; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.features TO buildtracker_reader;


--
-- Name: TABLE projects; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.projects TO buildtracker_reader;


--
-- Name: FUNCTION check_completion_readiness(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_completion_readiness() FROM PUBLIC;
GRANT ALL ON FUNCTION claude.check_completion_readiness() TO buildtracker_reader;


--
-- Name: TABLE components; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.components TO buildtracker_reader;


--
-- Name: FUNCTION check_components_constraints(r claude.components, o claude.components); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_components_constraints(r claude.components, o claude.components) FROM PUBLIC;


--
-- Name: FUNCTION check_features_constraints(r claude.features, o claude.features); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_features_constraints(r claude.features, o claude.features) FROM PUBLIC;


--
-- Name: FUNCTION check_identities_constraints(r claude.identities, o claude.identities); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_identities_constraints(r claude.identities, o claude.identities) FROM PUBLIC;


--
-- Name: FUNCTION computed_completion(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.computed_completion(feature_id uuid) FROM PUBLIC;


--
-- Name: TABLE comments; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.comments TO buildtracker_reader;


--
-- Name: TABLE requirements; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.requirements TO buildtracker_reader;


--
-- Name: TABLE task_dependencies; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.task_dependencies TO buildtracker_reader;


--
-- Name: FUNCTION check_invariants(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_invariants() FROM PUBLIC;
GRANT ALL ON FUNCTION claude.check_invariants() TO buildtracker_reader;


--
-- Name: FUNCTION check_projects_constraints(r claude.projects, o claude.projects); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_projects_constraints(r claude.projects, o claude.projects) FROM PUBLIC;


--
-- Name: FUNCTION check_requirements_constraints(r claude.requirements, o claude.requirements); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_requirements_constraints(r claude.requirements, o claude.requirements) FROM PUBLIC;


--
-- Name: FUNCTION project_name_of(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.project_name_of(feature_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION check_stale_tasks(older_than interval); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_stale_tasks(older_than interval) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.check_stale_tasks(older_than interval) TO buildtracker_reader;


--
-- Name: FUNCTION check_task_dependencies_constraints(n claude.task_dependencies); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_task_dependencies_constraints(n claude.task_dependencies) FROM PUBLIC;


--
-- Name: FUNCTION check_unblocked_tasks(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.check_unblocked_tasks() FROM PUBLIC;
GRANT ALL ON FUNCTION claude.check_unblocked_tasks() TO buildtracker_reader;


--
-- Name: FUNCTION claim_next_task(identity_id uuid, project_id uuid, feature_id uuid, labels text[], lease interval, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.claim_next_task(identity_id uuid, project_id uuid, feature_id uuid, labels text[], lease interval, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.claim_next_task(identity_id uuid, project_id uuid, feature_id uuid, labels text[], lease interval, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION closed_feature_error(field text, joiner text, feature_status text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.closed_feature_error(field text, joiner text, feature_status text) FROM PUBLIC;


--
-- Name: FUNCTION comment_feed_partition_indexes(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.comment_feed_partition_indexes() FROM PUBLIC;


--
-- Name: FUNCTION complete_component(component_id uuid, actual_functions text[], file_path text, lines_of_code integer, has_tests boolean, test_coverage_percentage numeric, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.complete_component(component_id uuid, actual_functions text[], file_path text, lines_of_code integer, has_tests boolean, test_coverage_percentage numeric, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.complete_component(component_id uuid, actual_functions text[], file_path text, lines_of_code integer, has_tests boolean, test_coverage_percentage numeric, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION update_feature_status(feature_id uuid, new_status text, reason text, implemented_by_identity_id uuid, planned_by_identity_id uuid, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.update_feature_status(feature_id uuid, new_status text, reason text, implemented_by_identity_id uuid, planned_by_identity_id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.update_feature_status(feature_id uuid, new_status text, reason text, implemented_by_identity_id uuid, planned_by_identity_id uuid, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION complete_feature(feature_id uuid, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.complete_feature(feature_id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.complete_feature(feature_id uuid, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION complete_task(task_id uuid, actual_hours numeric, completion_notes text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.complete_task(task_id uuid, actual_hours numeric, completion_notes text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.complete_task(task_id uuid, actual_hours numeric, completion_notes text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION completion_class(table_name text, status text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.completion_class(table_name text, status text) FROM PUBLIC;


--
-- Name: FUNCTION component_completion_warnings(c claude.components); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.component_completion_warnings(c claude.components) FROM PUBLIC;


--
-- Name: FUNCTION conversion_errors(table_name text, data jsonb); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.conversion_errors(table_name text, data jsonb) FROM PUBLIC;


--
-- Name: FUNCTION create_api_token(identity_id uuid, access text, label text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.create_api_token(identity_id uuid, access text, label text) FROM PUBLIC;


--
-- Name: FUNCTION create_feed_partition(month date); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.create_feed_partition(month date) FROM PUBLIC;


--
-- Name: FUNCTION creates_cycle(links text, entity_id uuid, new_link uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.creates_cycle(links text, entity_id uuid, new_link uuid) FROM PUBLIC;


--
-- Name: FUNCTION current_actor(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.current_actor() FROM PUBLIC;


--
-- Name: FUNCTION current_note(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.current_note() FROM PUBLIC;


--
-- Name: FUNCTION default_component_path(component_type text, component_name text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.default_component_path(component_type text, component_name text) FROM PUBLIC;


--
-- Name: FUNCTION delete_feature(feature_id uuid, force boolean, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.delete_feature(feature_id uuid, force boolean, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.delete_feature(feature_id uuid, force boolean, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION detail_errors(detail text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.detail_errors(detail text) FROM PUBLIC;


--
-- Name: FUNCTION end_call(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.end_call() FROM PUBLIC;


--
-- Name: FUNCTION enforce_comment_rules(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.enforce_comment_rules() FROM PUBLIC;


--
-- Name: FUNCTION enforce_component_rules(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.enforce_component_rules() FROM PUBLIC;


--
-- Name: FUNCTION enforce_dependency_rules(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.enforce_dependency_rules() FROM PUBLIC;


--
-- Name: FUNCTION enforce_feature_rules(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.enforce_feature_rules() FROM PUBLIC;


--
-- Name: FUNCTION enforce_identity_rules(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.enforce_identity_rules() FROM PUBLIC;


--
-- Name: FUNCTION enforce_project_rules(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.enforce_project_rules() FROM PUBLIC;


--
-- Name: FUNCTION enforce_requirement_rules(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.enforce_requirement_rules() FROM PUBLIC;


--
-- Name: FUNCTION enforce_task_rules(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.enforce_task_rules() FROM PUBLIC;


--
-- Name: FUNCTION ensure_feed_partitions(months_ahead integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.ensure_feed_partitions(months_ahead integer) FROM PUBLIC;


--
-- Name: FUNCTION entity_project(entity_type text, entity_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.entity_project(entity_type text, entity_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION envelope(data jsonb, warnings text[], metadata jsonb); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.envelope(data jsonb, warnings text[], metadata jsonb) FROM PUBLIC;


--
-- Name: FUNCTION err(field text, message text, code text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.err(field text, message text, code text) FROM PUBLIC;


--
-- Name: FUNCTION expired_lease_exists(feature_id uuid, project_id uuid, labels text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.expired_lease_exists(feature_id uuid, project_id uuid, labels text[]) FROM PUBLIC;


--
-- Name: FUNCTION export_records(project_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.export_records(project_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.export_records(project_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION export_tables(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.export_tables() FROM PUBLIC;


--
-- Name: FUNCTION feature_gate_failures(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feature_gate_failures(feature_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION feed_anchor(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feed_anchor() FROM PUBLIC;
GRANT ALL ON FUNCTION claude.feed_anchor() TO buildtracker_reader;


--
-- Name: FUNCTION feed_month_start(at timestamp with time zone); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feed_month_start(at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION feed_partition_name(month date); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feed_partition_name(month date) FROM PUBLIC;


--
-- Name: FUNCTION feed_partitions(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feed_partitions() FROM PUBLIC;


--
-- Name: FUNCTION feed_range_digest(from_xid xid8, through_xid xid8, sealed_at timestamp with time zone, previous_digest text, OUT row_count bigint, OUT first_at timestamp with time zone, OUT last_at timestamp with time zone, OUT digest text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feed_range_digest(from_xid xid8, through_xid xid8, sealed_at timestamp with time zone, previous_digest text, OUT row_count bigint, OUT first_at timestamp with time zone, OUT last_at timestamp with time zone, OUT digest text) FROM PUBLIC;


--
-- Name: FUNCTION feed_row_digest(a claude.activity_feed); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feed_row_digest(a claude.activity_feed) FROM PUBLIC;


--
-- Name: FUNCTION feed_stamp_columns(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.feed_stamp_columns() FROM PUBLIC;


--
-- Name: FUNCTION finding_logged(finding_key text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.finding_logged(finding_key text) FROM PUBLIC;


--
-- Name: FUNCTION follow_feed(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.follow_feed() FROM PUBLIC;
GRANT ALL ON FUNCTION claude.follow_feed() TO buildtracker_reader;


--
-- Name: FUNCTION forget_gone_followers(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.forget_gone_followers() FROM PUBLIC;


--
-- Name: FUNCTION get_activity(project_name text, source_type text, source_id uuid, actor text, activity_type text, severities text[], since timestamp with time zone, before timestamp with time zone, max_rows integer, before_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_activity(project_name text, source_type text, source_id uuid, actor text, activity_type text, severities text[], since timestamp with time zone, before timestamp with time zone, max_rows integer, before_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_activity(project_name text, source_type text, source_id uuid, actor text, activity_type text, severities text[], since timestamp with time zone, before timestamp with time zone, max_rows integer, before_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_activity_after(after_id uuid, max_rows integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_activity_after(after_id uuid, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_activity_after(after_id uuid, max_rows integer) TO buildtracker_reader;


--
-- Name: FUNCTION get_comments(entity_type text, entity_id uuid, max_rows integer, before timestamp with time zone, before_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_comments(entity_type text, entity_id uuid, max_rows integer, before timestamp with time zone, before_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_comments(entity_type text, entity_id uuid, max_rows integer, before timestamp with time zone, before_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_component(component_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_component(component_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_component(component_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_feature(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_feature(feature_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_feature(feature_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_feature_completion(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_feature_completion(feature_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_feature_completion(feature_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_feature_with_children(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_feature_with_children(feature_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_feature_with_children(feature_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_identity(identity_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_identity(identity_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_identity(identity_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_project(project_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_project(project_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_project(project_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_ready_tasks(feature_id uuid, component_id uuid, project_id uuid, max_rows integer, labels text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_ready_tasks(feature_id uuid, component_id uuid, project_id uuid, max_rows integer, labels text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_ready_tasks(feature_id uuid, component_id uuid, project_id uuid, max_rows integer, labels text[]) TO buildtracker_reader;


--
-- Name: FUNCTION get_requirement(requirement_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_requirement(requirement_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_requirement(requirement_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_task(task_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_task(task_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_task(task_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION get_task_context(task_id uuid, max_comments integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_task_context(task_id uuid, max_comments integer) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_task_context(task_id uuid, max_comments integer) TO buildtracker_reader;


--
-- Name: FUNCTION get_task_dependencies(task_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.get_task_dependencies(task_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.get_task_dependencies(task_id uuid) TO buildtracker_reader;


--
-- Name: FUNCTION guard_activity_feed(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.guard_activity_feed() FROM PUBLIC;


--
-- Name: FUNCTION guard_comments(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.guard_comments() FROM PUBLIC;


--
-- Name: FUNCTION guard_computed_completion(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.guard_computed_completion() FROM PUBLIC;


--
-- Name: FUNCTION guard_feed_checkpoints(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.guard_feed_checkpoints() FROM PUBLIC;


--
-- Name: FUNCTION guard_feed_partition(part regclass); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.guard_feed_partition(part regclass) FROM PUBLIC;


--
-- Name: FUNCTION heartbeat_task(task_id uuid, identity_id uuid, lease interval, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.heartbeat_task(task_id uuid, identity_id uuid, lease interval, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.heartbeat_task(task_id uuid, identity_id uuid, lease interval, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION import_records(records jsonb, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.import_records(records jsonb, actor text) FROM PUBLIC;


--
-- Name: FUNCTION keyset_after(key_column text, after timestamp with time zone, after_id uuid, after_param integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.keyset_after(key_column text, after timestamp with time zone, after_id uuid, after_param integer) FROM PUBLIC;


--
-- Name: FUNCTION lease_length(lease interval); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.lease_length(lease interval) FROM PUBLIC;


--
-- Name: FUNCTION list_api_tokens(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.list_api_tokens() FROM PUBLIC;


--
-- Name: FUNCTION list_components(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.list_components(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.list_components(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) TO buildtracker_reader;


--
-- Name: FUNCTION list_features(project_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.list_features(project_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.list_features(project_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) TO buildtracker_reader;


--
-- Name: FUNCTION list_identities(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.list_identities() FROM PUBLIC;
GRANT ALL ON FUNCTION claude.list_identities() TO buildtracker_reader;


--
-- Name: FUNCTION list_projects(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.list_projects() FROM PUBLIC;
GRANT ALL ON FUNCTION claude.list_projects() TO buildtracker_reader;


--
-- Name: FUNCTION list_requirements(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.list_requirements(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.list_requirements(feature_id uuid, status text, after timestamp with time zone, after_id uuid, max_rows integer) TO buildtracker_reader;


--
-- Name: FUNCTION list_tasks(feature_id uuid, status text, assigned_to_identity_id uuid, project_id uuid, after timestamp with time zone, after_id uuid, max_rows integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.list_tasks(feature_id uuid, status text, assigned_to_identity_id uuid, project_id uuid, after timestamp with time zone, after_id uuid, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.list_tasks(feature_id uuid, status text, assigned_to_identity_id uuid, project_id uuid, after timestamp with time zone, after_id uuid, max_rows integer) TO buildtracker_reader;


--
-- Name: FUNCTION lock_component_parents(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.lock_component_parents() FROM PUBLIC;


--
-- Name: FUNCTION lock_links(kind text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.lock_links(kind text) FROM PUBLIC;


--
-- Name: FUNCTION lock_parent_rows(component_id uuid, feature_ids uuid[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.lock_parent_rows(component_id uuid, feature_ids uuid[]) FROM PUBLIC;


--
-- Name: FUNCTION lock_requirement_parents(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.lock_requirement_parents() FROM PUBLIC;


--
-- Name: FUNCTION lock_task(task_id uuid, allowed text[], action text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.lock_task(task_id uuid, allowed text[], action text) FROM PUBLIC;


--
-- Name: FUNCTION lock_task_parents(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.lock_task_parents() FROM PUBLIC;


--
-- Name: FUNCTION log_activity(source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.log_activity(source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.log_activity(source_type text, source_id uuid, activity_type text, title text, summary text, actor text, project_name text, severity text, changes jsonb) TO buildtracker_writer;


--
-- Name: FUNCTION log_comment(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.log_comment() FROM PUBLIC;


--
-- Name: FUNCTION log_dependency(edge claude.task_dependencies, added boolean); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.log_dependency(edge claude.task_dependencies, added boolean) FROM PUBLIC;


--
-- Name: FUNCTION log_entity_activity(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.log_entity_activity() FROM PUBLIC;


--
-- Name: FUNCTION move_task(task_id uuid, new_status text, allowed text[], action text, actor text, note text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.move_task(task_id uuid, new_status text, allowed text[], action text, actor text, note text) FROM PUBLIC;


--
-- Name: FUNCTION notify_activity(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.notify_activity() FROM PUBLIC;


--
-- Name: FUNCTION notify_feed(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.notify_feed() FROM PUBLIC;


--
-- Name: FUNCTION open_blockers(task_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.open_blockers(task_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION partman_schema(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.partman_schema() FROM PUBLIC;


--
-- Name: FUNCTION prune_activity(older_than interval, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.prune_activity(older_than interval, actor text) FROM PUBLIC;


--
-- Name: FUNCTION raise_errors(errors jsonb, context text, hint text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.raise_errors(errors jsonb, context text, hint text) FROM PUBLIC;


--
-- Name: FUNCTION raise_not_found(entity text, id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.raise_not_found(entity text, id uuid) FROM PUBLIC;


--
-- Name: FUNCTION ready_tasks_query(feature_id uuid, component_id uuid, project_id uuid, labels text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.ready_tasks_query(feature_id uuid, component_id uuid, project_id uuid, labels text[]) FROM PUBLIC;


--
-- Name: FUNCTION rebuild_activity_feed(partitioned boolean); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.rebuild_activity_feed(partitioned boolean) FROM PUBLIC;


--
-- Name: FUNCTION rebuild_generated(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.rebuild_generated() FROM PUBLIC;


--
-- Name: FUNCTION refresh_feature_completion(feature_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.refresh_feature_completion(feature_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION refuse_bad_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.refuse_bad_changes(entity_type text, entity_id uuid, changes jsonb, editable text[]) FROM PUBLIC;


--
-- Name: FUNCTION refuse_task_action(task_id uuid, allowed text[], action text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.refuse_task_action(task_id uuid, allowed text[], action text) FROM PUBLIC;


--
-- Name: FUNCTION release_task(task_id uuid, reason text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.release_task(task_id uuid, reason text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.release_task(task_id uuid, reason text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION remove_dependency(task_id uuid, depends_on_task_id uuid, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.remove_dependency(task_id uuid, depends_on_task_id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.remove_dependency(task_id uuid, depends_on_task_id uuid, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION request_task_changes(task_id uuid, note text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.request_task_changes(task_id uuid, note text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.request_task_changes(task_id uuid, note text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION require_status(entity_label text, current_status text, allowed text[], action text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.require_status(entity_label text, current_status text, allowed text[], action text) FROM PUBLIC;


--
-- Name: FUNCTION requirement_warnings(r claude.requirements); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.requirement_warnings(r claude.requirements) FROM PUBLIC;


--
-- Name: FUNCTION reserved_feed_keys(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.reserved_feed_keys() FROM PUBLIC;


--
-- Name: FUNCTION resolve_id(entity_type text, ref text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.resolve_id(entity_type text, ref text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.resolve_id(entity_type text, ref text) TO buildtracker_reader;


--
-- Name: FUNCTION revoke_api_token(token_id uuid); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.revoke_api_token(token_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION rollup_feature_completion(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.rollup_feature_completion() FROM PUBLIC;


--
-- Name: FUNCTION row_changes(n claude.build_tasks, o claude.build_tasks); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.row_changes(n claude.build_tasks, o claude.build_tasks) FROM PUBLIC;


--
-- Name: FUNCTION row_changes(n claude.components, o claude.components); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.row_changes(n claude.components, o claude.components) FROM PUBLIC;


--
-- Name: FUNCTION row_changes(n claude.features, o claude.features); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.row_changes(n claude.features, o claude.features) FROM PUBLIC;


--
-- Name: FUNCTION row_changes(n claude.requirements, o claude.requirements); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.row_changes(n claude.requirements, o claude.requirements) FROM PUBLIC;


--
-- Name: FUNCTION run_jobs(older_than interval, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.run_jobs(older_than interval, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.run_jobs(older_than interval, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION schedule_jobs(schedule text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.schedule_jobs(schedule text) FROM PUBLIC;


--
-- Name: FUNCTION seal_activity(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.seal_activity() FROM PUBLIC;


--
-- Name: FUNCTION seal_feed(actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.seal_feed(actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.seal_feed(actor text) TO buildtracker_writer;


--
-- Name: FUNCTION search(query text, project_id uuid, max_rows integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.search(query text, project_id uuid, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.search(query text, project_id uuid, max_rows integer) TO buildtracker_reader;


--
-- Name: FUNCTION search_vector(name text, body text, extra text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.search_vector(name text, body text, extra text[]) FROM PUBLIC;


--
-- Name: FUNCTION stamp_activity(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.stamp_activity() FROM PUBLIC;


--
-- Name: FUNCTION start_locked_task(task claude.build_tasks, identity_id uuid, lease_until timestamp with time zone, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.start_locked_task(task claude.build_tasks, identity_id uuid, lease_until timestamp with time zone, actor text) FROM PUBLIC;


--
-- Name: FUNCTION start_task(task_id uuid, identity_id uuid, reassign boolean, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.start_task(task_id uuid, identity_id uuid, reassign boolean, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.start_task(task_id uuid, identity_id uuid, reassign boolean, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION submit_task_for_review(task_id uuid, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.submit_task_for_review(task_id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.submit_task_for_review(task_id uuid, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION sync_blocked_by_edge(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.sync_blocked_by_edge() FROM PUBLIC;


--
-- Name: FUNCTION task_filters(feature_id uuid, component_id uuid, project_id uuid, labels text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.task_filters(feature_id uuid, component_id uuid, project_id uuid, labels text[]) FROM PUBLIC;


--
-- Name: FUNCTION too_short(value text, min_length integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.too_short(value text, min_length integer) FROM PUBLIC;


--
-- Name: FUNCTION touch_timestamps(); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.touch_timestamps() FROM PUBLIC;


--
-- Name: FUNCTION transition_error(entity_type text, from_status text, to_status text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.transition_error(entity_type text, from_status text, to_status text) FROM PUBLIC;


--
-- Name: FUNCTION unblock_task(task_id uuid, note text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.unblock_task(task_id uuid, note text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.unblock_task(task_id uuid, note text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION unknown_status_error(entity_type text, status text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.unknown_status_error(entity_type text, status text) FROM PUBLIC;


--
-- Name: FUNCTION untestable_criteria_warnings(acceptance_criteria text[]); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.untestable_criteria_warnings(acceptance_criteria text[]) FROM PUBLIC;


--
-- Name: FUNCTION update_component(component_id uuid, changes jsonb, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.update_component(component_id uuid, changes jsonb, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.update_component(component_id uuid, changes jsonb, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION update_component_status(component_id uuid, new_status text, reason text, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.update_component_status(component_id uuid, new_status text, reason text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.update_component_status(component_id uuid, new_status text, reason text, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION update_feature(feature_id uuid, changes jsonb, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.update_feature(feature_id uuid, changes jsonb, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.update_feature(feature_id uuid, changes jsonb, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION update_requirement(requirement_id uuid, changes jsonb, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.update_requirement(requirement_id uuid, changes jsonb, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.update_requirement(requirement_id uuid, changes jsonb, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION update_requirement_status(requirement_id uuid, new_status text, reason text, component_id uuid, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.update_requirement_status(requirement_id uuid, new_status text, reason text, component_id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.update_requirement_status(requirement_id uuid, new_status text, reason text, component_id uuid, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION update_task(task_id uuid, changes jsonb, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.update_task(task_id uuid, changes jsonb, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.update_task(task_id uuid, changes jsonb, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION use_pg_partman(premake integer); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.use_pg_partman(premake integer) FROM PUBLIC;


--
-- Name: FUNCTION utc_text(t timestamp with time zone); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.utc_text(t timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION validate(entity_type text, data jsonb, operation text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.validate(entity_type text, data jsonb, operation text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.validate(entity_type text, data jsonb, operation text) TO buildtracker_reader;


--
-- Name: FUNCTION validate_status_transition(entity_type text, from_status text, to_status text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.validate_status_transition(entity_type text, from_status text, to_status text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.validate_status_transition(entity_type text, from_status text, to_status text) TO buildtracker_reader;


--
-- Name: FUNCTION verify_feed(anchor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.verify_feed(anchor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.verify_feed(anchor text) TO buildtracker_reader;


--
-- Name: FUNCTION verify_requirement(requirement_id uuid, component_id uuid, test_results jsonb, test_run_id uuid, actor text); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.verify_requirement(requirement_id uuid, component_id uuid, test_results jsonb, test_run_id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION claude.verify_requirement(requirement_id uuid, component_id uuid, test_results jsonb, test_run_id uuid, actor text) TO buildtracker_writer;


--
-- Name: FUNCTION write_changes(table_name text, key_column text, entity_id uuid, changes jsonb); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.write_changes(table_name text, key_column text, entity_id uuid, changes jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hash_chain(bytea); Type: ACL; Schema: claude; Owner: buildtracker_owner
--

REVOKE ALL ON FUNCTION claude.hash_chain(bytea) FROM PUBLIC;


--
-- Name: TABLE activity_feed_default; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.activity_feed_default TO buildtracker_reader;


--
-- Name: TABLE feed_checkpoints; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.feed_checkpoints TO buildtracker_reader;


--
-- Name: TABLE feed_followers; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.feed_followers TO buildtracker_reader;


--
-- Name: TABLE legacy_quarantine; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.legacy_quarantine TO buildtracker_reader;


--
-- Name: TABLE status_transitions; Type: ACL; Schema: claude; Owner: buildtracker_owner
--

GRANT SELECT ON TABLE claude.status_transitions TO buildtracker_reader;


--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: claude; Owner: buildtracker_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE buildtracker_owner IN SCHEMA claude GRANT SELECT ON TABLES  TO buildtracker_reader;


--
-- PostgreSQL database dump complete
--

\unrestrict buildtracker

