-- Deploy buildtracker:feature_rules to pg
-- requires: feature_rules@v1.0.0
-- Features: the completion gate, the parent-cycle check and the rule trigger
-- that holds for workflow functions and raw DML alike (SPEC section 4).
-- Reworked after @v1.0.0: each completion-gate failure names the entity at
-- fault (entity_id), from claude.feature_gate_failures.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.feature_gate_failures(feature_id uuid)
RETURNS jsonb
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
COMMENT ON FUNCTION claude.feature_gate_failures(uuid) IS
    'The completion gate: every reason the feature cannot be completed (unfinished components, unverified must-have requirements, open tasks, open child features) as error items {field: completion_gate, message, code: 55000, entity_id: the entity at fault}; empty when it can.';

CREATE OR REPLACE FUNCTION claude.feature_completion_failures(feature_id uuid)
RETURNS text[]
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    RETURN ARRAY(SELECT f ->> 'message'
                   FROM jsonb_array_elements(claude.feature_gate_failures(feature_completion_failures.feature_id)) AS f);
END
$$;
COMMENT ON FUNCTION claude.feature_completion_failures(uuid) IS
    'The completion gate as sentences (claude.feature_gate_failures, without the ids); empty when the feature can be completed.';

CREATE OR REPLACE FUNCTION claude.creates_cycle(links text, entity_id uuid, new_link uuid)
RETURNS boolean
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

COMMENT ON FUNCTION claude.creates_cycle(text, uuid, uuid) IS
    'True when linking entity_id to new_link would close a cycle of feature_parents (parent_feature_id) or task_dependencies (blocked_by_task_id); serialised per kind of link by a transaction-scoped advisory lock.';

-- PL/pgSQL rather than SQL: see claude.feature_completion_failures.
CREATE OR REPLACE FUNCTION claude.closed_feature_error(field text, joiner text, feature_status text)
RETURNS jsonb
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
COMMENT ON FUNCTION claude.closed_feature_error(text, text, text) IS
    'The one rule "nothing joins a completed or cancelled feature", for the four rule triggers: a 55000 error on field when feature_status is completed or cancelled (joiner says what was joining: "a task", ...), else an empty list.';

CREATE OR REPLACE FUNCTION claude.enforce_feature_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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

COMMENT ON FUNCTION claude.enforce_feature_rules() IS
    'Trigger: every feature rule of SPEC section 4 (initial status, allowed transitions and what each needs, name and description lengths, parent cycles, no child feature under a completed or cancelled parent, database-owned dates) plus all table constraints, reported together in one exception.';

CREATE OR REPLACE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.features
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_feature_rules();

COMMIT;
