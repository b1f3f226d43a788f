-- Revert buildtracker:requirement_functions from pg
-- Back to @v1.0.0.
-- requires: task_functions
-- The requirement functions of SPEC section 6, and validate(), the dry run of
-- any add_*/update_* call; the rule trigger on claude.requirements decides
-- what is allowed.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.requirement_warnings(r claude.requirements)
RETURNS text[]
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
COMMENT ON FUNCTION claude.requirement_warnings(claude.requirements) IS
    'Warnings for a requirement that just moved: untestable criteria on approval, coverage under 80% on verification.';

CREATE OR REPLACE FUNCTION claude.add_requirement(
    feature_id uuid,
    requirement_name text,
    requirement_type text,
    description text,
    acceptance_criteria text[],
    priority integer DEFAULT 5,
    must_have boolean DEFAULT false,
    created_by_identity_id uuid DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.add_requirement(uuid, text, text, text, text[], integer, boolean, uuid, text) IS
    'Creates a draft requirement (creator required; description >= 20 characters; at least one non-empty criterion). Metadata: criteria_count. Errors: 23514, 23503, 55000.';

CREATE OR REPLACE FUNCTION claude.update_requirement(requirement_id uuid, changes jsonb, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.update_requirement(uuid, jsonb, text) IS
    'Edits non-status fields of a requirement; an unknown key or status is an error. Errors: 23514, P0002.';

CREATE OR REPLACE FUNCTION claude.update_requirement_status(
    requirement_id uuid,
    new_status text,
    reason text DEFAULT NULL,
    component_id uuid DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.update_requirement_status(uuid, text, text, uuid, text) IS
    'Moves a requirement along its state machine; component_id names the implementing component. Warns on untestable criteria (approval) and low coverage (verification). Errors: 23514, 23503, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.verify_requirement(
    requirement_id uuid,
    component_id uuid DEFAULT NULL,
    test_results jsonb DEFAULT NULL,
    test_run_id uuid DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.verify_requirement(uuid, uuid, jsonb, uuid, text) IS
    'Verifies an implemented requirement (component done with tests, feature started); records the test run. Metadata: all_must_haves_verified. Errors: 23514, 23503, P0002, 55000.';

CREATE OR REPLACE FUNCTION claude.validate(entity_type text, data jsonb, operation text DEFAULT 'create')
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.validate(text, jsonb, text) IS
    'Dry run of add_* (operation create) or update_* (operation update, data holding the id): {"errors": [...], "warnings": [...]} exactly as the call would report them; writes nothing.';

GRANT EXECUTE ON FUNCTION
    claude.add_requirement(uuid, text, text, text, text[], integer, boolean, uuid, text),
    claude.update_requirement(uuid, jsonb, text),
    claude.update_requirement_status(uuid, text, text, uuid, text),
    claude.verify_requirement(uuid, uuid, jsonb, uuid, text)
    TO buildtracker_writer;
GRANT EXECUTE ON FUNCTION claude.validate(text, jsonb, text) TO buildtracker_reader;

COMMIT;
