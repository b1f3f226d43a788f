-- Deploy buildtracker:feature_rules to pg
-- requires: feature_rules@v0.4.0
-- Reworked: the parent-link advisory lock is taken before the parent row is
-- locked, the order the workflow functions use (found in review).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

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
        IF parent_status IN ('completed', 'cancelled')
           AND (is_insert OR NEW.parent_feature_id IS DISTINCT FROM OLD.parent_feature_id) THEN
            errors := errors || claude.err('parent_feature_id',
                format('a child feature cannot be added to a %s feature', parent_status), '55000');
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
            errors := errors || COALESCE((
                SELECT jsonb_agg(jsonb_build_object('field', 'completion_gate', 'message', failure, 'code', '55000'))
                  FROM unnest(claude.feature_completion_failures(NEW.feature_id)) AS failure), '[]');
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

COMMIT;
