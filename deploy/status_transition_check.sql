-- Deploy buildtracker:status_transition_check to pg
-- requires: status_transitions
-- requires: read_functions
-- The seed's validator had validate_status_transition(entity_type, current,
-- new); this is it, read from claude.status_transitions like every workflow
-- function, answering in validate()'s shape.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.validate_status_transition(entity_type text, from_status text, to_status text)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.validate_status_transition(text, text, text) IS
    'Whether a status change is allowed, as the workflow functions decide it (claude.status_transitions): {"errors": [...], "warnings": [], "action", "needs"}; errors name an unknown entity type or status (23514) or a move not allowed (55000). Nothing is written.';

GRANT EXECUTE ON FUNCTION claude.validate_status_transition(text, text, text) TO buildtracker_reader;

COMMIT;
