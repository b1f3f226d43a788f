-- Revert buildtracker:parent_row_locks from pg
-- Back to the @v0.4.0 lock_task_parents.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.lock_task_parents()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.component_id IS DISTINCT FROM OLD.component_id
       OR NEW.feature_id IS DISTINCT FROM OLD.feature_id THEN
        PERFORM claude.lock_parent_rows(NEW.component_id, ARRAY[NEW.feature_id]
            || CASE WHEN TG_OP = 'UPDATE' THEN OLD.feature_id END
            -- the feature the rule trigger gives a task from its component
            || (SELECT c.feature_id FROM claude.components c WHERE c.component_id = NEW.component_id));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.lock_task_parents() IS
    'Trigger: before a task is added or linked to another component or feature, locks the component and the features concerned, so the component cannot move away (leaving the task in another feature) before commit.';

COMMIT;
