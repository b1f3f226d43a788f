-- Deploy buildtracker:requirement_rules to pg
-- requires: task_rules
-- Requirements: the rule trigger for workflow functions and raw DML alike,
-- and the approval and verification warnings (SPEC section 4).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.untestable_criteria_warnings(acceptance_criteria text[])
RETURNS text[]
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
COMMENT ON FUNCTION claude.untestable_criteria_warnings(text[]) IS
    'Warnings (never errors) on approval: each acceptance criterion containing none of the words should, must, given, when, then.';

CREATE FUNCTION claude.enforce_requirement_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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

COMMENT ON FUNCTION claude.enforce_requirement_rules() IS
    'Trigger: every requirement rule of SPEC section 4 (initial status and creator, transitions and what each needs, lengths and criteria, must-haves never rejected and never added to a completed feature, database-owned verified_at) plus all table constraints, reported together.';

CREATE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.requirements
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_requirement_rules();

COMMIT;
