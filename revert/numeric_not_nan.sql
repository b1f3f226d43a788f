-- Revert buildtracker:numeric_not_nan from pg
-- Back to CHECK (x > 0); cleared NaN values stay null.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

ALTER TABLE claude.build_tasks
    DROP CONSTRAINT chk_task_estimated_hours,
    ADD CONSTRAINT chk_task_estimated_hours CHECK (estimated_hours > 0),
    DROP CONSTRAINT chk_task_actual_hours,
    ADD CONSTRAINT chk_task_actual_hours CHECK (actual_hours > 0);
COMMENT ON CONSTRAINT chk_task_estimated_hours ON claude.build_tasks IS 'estimated_hours must be greater than 0';
COMMENT ON CONSTRAINT chk_task_actual_hours ON claude.build_tasks IS 'actual_hours must be greater than 0';
DO $$ BEGIN PERFORM claude.rebuild_generated(); END $$;

COMMIT;
