-- Deploy buildtracker:parent_row_locks to pg
-- requires: invariants
-- The rules that read another row (a task's component belongs to its
-- feature, nothing is added to a completed or cancelled feature, a
-- requirement's implementing component) are only true under concurrency if
-- that other row cannot change between the check and the commit. Under READ
-- COMMITTED two transactions would each pass their check against the other's
-- old row (a component moved while a task is attached to it). So before the
-- rule trigger (bt20) runs, this trigger locks the rows it is about to read;
-- a writer of those rows waits, and the check then sees the committed state.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.lock_parent_rows(component_id uuid, feature_ids uuid[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.lock_parent_rows(uuid, uuid[]) IS
    'Locks a component FOR SHARE, then features FOR NO KEY UPDATE in id order: the rows a rule is about to read, held until commit.';

CREATE FUNCTION claude.lock_component_parents()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.lock_component_parents() IS
    'Trigger: before a component is added or moved, locks the feature(s) (and, for a move, the tasks it carries), so a concurrent completion or cancellation of the feature cannot slip past the rule check.';

CREATE FUNCTION claude.lock_task_parents()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.lock_task_parents() IS
    'Trigger: before a task is added or linked to another component or feature, locks the component and the features concerned, so the component cannot move away (leaving the task in another feature) before commit.';

CREATE FUNCTION claude.lock_requirement_parents()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION claude.lock_requirement_parents() IS
    'Trigger: before a requirement is added, moved, linked to a component or changes status, locks its implementing component (whose feature and status the rules read) and, when it joins a feature, that feature.';

-- bt15: before the rule trigger (bt20) reads these rows
CREATE TRIGGER bt15_lock_parent_rows
    BEFORE INSERT OR UPDATE OF feature_id ON claude.components
    FOR EACH ROW EXECUTE FUNCTION claude.lock_component_parents();
CREATE TRIGGER bt15_lock_parent_rows
    BEFORE INSERT OR UPDATE OF feature_id, component_id ON claude.build_tasks
    FOR EACH ROW EXECUTE FUNCTION claude.lock_task_parents();
CREATE TRIGGER bt15_lock_parent_rows
    BEFORE INSERT OR UPDATE OF feature_id, implemented_by_component_id, status ON claude.requirements
    FOR EACH ROW EXECUTE FUNCTION claude.lock_requirement_parents();

COMMIT;
