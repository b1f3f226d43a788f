-- Revert buildtracker:component_rules from pg
-- Back to @v1.0.0.
-- requires: feature_rules
-- Components: the rule trigger for workflow functions and raw DML alike, the
-- generated default file_path, and the completion warnings (SPEC section 4).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.default_component_path(component_type text, component_name text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 'src/' || component_type || '/'
    || COALESCE(NULLIF(btrim(regexp_replace(lower(component_name), '[^a-z0-9]+', '_', 'g'), '_'), ''), 'component');

COMMENT ON FUNCTION claude.default_component_path(text, text) IS
    'file_path given to a component created without one: src/<component_type>/<name in lower snake case>.';

CREATE OR REPLACE FUNCTION claude.component_completion_warnings(c claude.components)
RETURNS text[]
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
        CASE WHEN c.test_coverage_percentage < 80
             THEN format('test coverage %s%% is below 80%%', c.test_coverage_percentage) END
    ], NULL);
END
$$;
COMMENT ON FUNCTION claude.component_completion_warnings(claude.components) IS
    'Warnings (never errors) on completing a component: planned functions missing, unplanned extra functions, no tests, coverage under 80%.';

CREATE OR REPLACE FUNCTION claude.enforce_component_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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

COMMENT ON FUNCTION claude.enforce_component_rules() IS
    'Trigger: every component rule of SPEC section 4 (initial status, transitions and what each needs, name length, no components on finished features, default file_path, database-owned implemented_at) plus all table constraints, reported together.';

CREATE OR REPLACE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.components
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_component_rules();

CREATE OR REPLACE FUNCTION claude.carry_component_tasks()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- a task always belongs to the feature of its component (SPEC section 2)
    UPDATE claude.build_tasks AS t SET feature_id = NEW.feature_id
     WHERE t.component_id = NEW.component_id AND t.feature_id IS DISTINCT FROM NEW.feature_id;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION claude.carry_component_tasks() IS
    'Trigger: when a component moves to another feature, its tasks move with it (each move checked and logged like any task update).';

CREATE OR REPLACE TRIGGER bt50_carry_tasks
    AFTER UPDATE OF feature_id ON claude.components
    FOR EACH ROW WHEN (NEW.feature_id IS DISTINCT FROM OLD.feature_id)
    EXECUTE FUNCTION claude.carry_component_tasks();

COMMIT;
