-- Deploy buildtracker:completion_rollup to pg
-- requires: requirement_functions
-- SPEC section 5: features.completion_percentage follows the feature's
-- components (non-deprecated ones done), else its tasks (non-cancelled ones
-- completed), else stays as set by hand. Exact under concurrency: the feature
-- row is locked before counting, so parallel writers count one after another.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.refresh_feature_completion(feature_id uuid)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    current_value integer;
    components_total bigint;
    components_done bigint;
    tasks_total bigint;
    tasks_done bigint;
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
    SELECT count(*) FILTER (WHERE c.status <> 'deprecated'),
           count(*) FILTER (WHERE c.status IN ('completed', 'tested', 'documented'))
      INTO components_total, components_done
      FROM claude.components c WHERE c.feature_id = refresh_feature_completion.feature_id;
    IF components_total > 0 THEN
        new_value := round(100.0 * components_done / components_total);
    ELSE
        SELECT count(*) FILTER (WHERE t.status <> 'cancelled'),
               count(*) FILTER (WHERE t.status = 'completed')
          INTO tasks_total, tasks_done
          FROM claude.build_tasks t WHERE t.feature_id = refresh_feature_completion.feature_id;
        IF tasks_total = 0 THEN
            RETURN;  -- neither: the value stays as set by hand
        END IF;
        new_value := round(100.0 * tasks_done / tasks_total);
    END IF;
    IF new_value IS DISTINCT FROM current_value THEN
        UPDATE claude.features AS f SET completion_percentage = new_value
         WHERE f.feature_id = refresh_feature_completion.feature_id;
    END IF;
END
$$;
COMMENT ON FUNCTION claude.refresh_feature_completion(uuid) IS
    'Recomputes features.completion_percentage: rounded share of non-deprecated components that are completed/tested/documented; without such components, of non-cancelled tasks that are completed; without either, unchanged. Locks the feature row first.';

CREATE FUNCTION claude.rollup_feature_completion()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM claude.refresh_feature_completion(NEW.feature_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.feature_id IS DISTINCT FROM NEW.feature_id) THEN
        PERFORM claude.refresh_feature_completion(OLD.feature_id);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION claude.rollup_feature_completion() IS
    'Trigger: after a component or task is added, changes status, moves to another feature or is deleted, refreshes the completion of the feature(s) concerned.';

CREATE TRIGGER bt95_rollup_completion
    AFTER INSERT OR DELETE OR UPDATE OF status, feature_id ON claude.components
    FOR EACH ROW EXECUTE FUNCTION claude.rollup_feature_completion();
CREATE TRIGGER bt95_rollup_completion
    AFTER INSERT OR DELETE OR UPDATE OF status, feature_id ON claude.build_tasks
    FOR EACH ROW EXECUTE FUNCTION claude.rollup_feature_completion();

COMMIT;
