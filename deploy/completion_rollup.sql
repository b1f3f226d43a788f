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

CREATE FUNCTION claude.computed_completion(feature_id uuid)
RETURNS integer
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
COMMENT ON FUNCTION claude.computed_completion(uuid) IS
    'The roll-up rule: rounded share of non-deprecated components that are completed/tested/documented; without such components, of non-cancelled tasks that are completed; null without either (the value is then set by hand).';

CREATE FUNCTION claude.completion_class(table_name text, status text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN table_name = 'components' AND status IN ('completed', 'tested', 'documented') THEN 'done'
    WHEN table_name = 'components' AND status = 'deprecated' THEN 'excluded'
    WHEN table_name = 'build_tasks' AND status = 'completed' THEN 'done'
    WHEN table_name = 'build_tasks' AND status = 'cancelled' THEN 'excluded'
    ELSE 'open' END;
COMMENT ON FUNCTION claude.completion_class(text, text) IS
    'How a component or task status counts in the roll-up: done, excluded (deprecated, cancelled) or open; the same classes as claude.computed_completion.';

CREATE FUNCTION claude.refresh_feature_completion(feature_id uuid)
RETURNS void
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
COMMENT ON FUNCTION claude.refresh_feature_completion(uuid) IS
    'Sets features.completion_percentage to claude.computed_completion (unchanged when that is null). Locks the feature row first.';

CREATE FUNCTION claude.rollup_feature_completion()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.rollup_feature_completion() IS
    'Trigger: after a component or task is added, changes status, moves to another feature or is deleted, refreshes the completion of the feature(s) concerned.';

CREATE FUNCTION claude.guard_computed_completion()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.guard_computed_completion() IS
    'Trigger: a feature with components or tasks has its completion_percentage computed; only a feature with neither takes a value set by hand.';

CREATE TRIGGER bt25_computed_completion
    BEFORE UPDATE OF completion_percentage ON claude.features
    FOR EACH ROW WHEN (NEW.completion_percentage IS DISTINCT FROM OLD.completion_percentage)
    EXECUTE FUNCTION claude.guard_computed_completion();

CREATE TRIGGER bt95_rollup_completion
    AFTER INSERT OR DELETE OR UPDATE OF status, feature_id ON claude.components
    FOR EACH ROW EXECUTE FUNCTION claude.rollup_feature_completion();
CREATE TRIGGER bt95_rollup_completion
    AFTER INSERT OR DELETE OR UPDATE OF status, feature_id ON claude.build_tasks
    FOR EACH ROW EXECUTE FUNCTION claude.rollup_feature_completion();

COMMIT;
