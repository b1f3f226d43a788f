-- Deploy buildtracker:component_functions to pg
-- requires: feature_functions
-- The component functions of SPEC section 6; the rule trigger on
-- claude.components decides what is allowed.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.add_component(
    feature_id uuid,
    component_name text,
    component_type text,
    planned_functions text[] DEFAULT '{}',
    planned_dependencies text[] DEFAULT '{}',
    file_path text DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.add_component(uuid, text, text, text[], text[], text, text) IS
    'Adds a planned component to a feature that is not completed or cancelled; file_path defaults to src/<type>/<name>. Errors: 23514, 23503, 55000.';

CREATE FUNCTION claude.update_component(component_id uuid, changes jsonb, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.update_component(uuid, jsonb, text) IS
    'Edits non-status fields of a component (feature_id moves it); an unknown key or status is an error. Errors: 23514, 23503, P0002, 55000.';

CREATE FUNCTION claude.update_component_status(
    component_id uuid,
    new_status text,
    reason text DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.update_component_status(uuid, text, text, text) IS
    'Moves a component along its state machine (reason goes to the activity feed). Metadata: old_status, new_status. Errors: 23514, P0002, 55000.';

CREATE FUNCTION claude.complete_component(
    component_id uuid,
    actual_functions text[] DEFAULT NULL,
    file_path text DEFAULT NULL,
    lines_of_code integer DEFAULT NULL,
    has_tests boolean DEFAULT NULL,
    test_coverage_percentage numeric DEFAULT NULL,
    actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
        'feature_ready_to_complete', cardinality(claude.feature_completion_failures(after.feature_id)) = 0));
END
$$;
COMMENT ON FUNCTION claude.complete_component(uuid, text[], text, integer, boolean, numeric, text) IS
    'Completes an in_progress component, recording what was built; warns on missing/extra functions, no tests, coverage under 80%. Metadata: feature_completion_percentage, feature_ready_to_complete. Errors: 23514, P0002, 55000.';

GRANT EXECUTE ON FUNCTION
    claude.add_component(uuid, text, text, text[], text[], text, text),
    claude.update_component(uuid, jsonb, text),
    claude.update_component_status(uuid, text, text, text),
    claude.complete_component(uuid, text[], text, integer, boolean, numeric, text)
    TO buildtracker_writer;

COMMIT;
