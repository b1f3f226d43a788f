-- Deploy buildtracker:build_tasks to pg
-- requires: components
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.build_tasks (
    task_id                 uuid          NOT NULL DEFAULT gen_random_uuid(),
    feature_id              uuid          NOT NULL,
    component_id            uuid,
    task_name               text          NOT NULL,
    task_description        text          NOT NULL,
    task_type               text          NOT NULL,
    status                  text          NOT NULL DEFAULT 'todo',
    priority                integer       NOT NULL DEFAULT 5,
    assigned_to_identity_id uuid,
    estimated_hours         numeric(8,2),
    actual_hours            numeric(8,2),
    started_at              timestamptz,
    completed_at            timestamptz,
    blocked_reason          text,
    blocked_by_task_id      uuid,
    completion_notes        text,
    cancellation_reason     text,
    created_at              timestamptz   NOT NULL DEFAULT now(),
    updated_at              timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT build_tasks_pkey PRIMARY KEY (task_id),
    CONSTRAINT fk_tasks_feature FOREIGN KEY (feature_id)
        REFERENCES claude.features (feature_id) ON DELETE CASCADE,
    CONSTRAINT fk_tasks_component FOREIGN KEY (component_id)
        REFERENCES claude.components (component_id) ON DELETE SET NULL,
    CONSTRAINT fk_tasks_assignee FOREIGN KEY (assigned_to_identity_id)
        REFERENCES claude.identities (identity_id) ON DELETE RESTRICT,
    CONSTRAINT fk_tasks_blocked_by FOREIGN KEY (blocked_by_task_id)
        REFERENCES claude.build_tasks (task_id) ON DELETE SET NULL,
    CONSTRAINT chk_task_status CHECK (status IN
        ('todo', 'in_progress', 'blocked', 'review', 'completed', 'cancelled')),
    CONSTRAINT chk_task_type CHECK (task_type IN
        ('code', 'test', 'review', 'design', 'documentation', 'research', 'bug_fix', 'refactor', 'deployment', 'meeting')),
    CONSTRAINT chk_task_priority CHECK (priority >= 1 AND priority <= 10),
    CONSTRAINT chk_task_estimated_hours CHECK (estimated_hours > 0),
    CONSTRAINT chk_task_actual_hours CHECK (actual_hours > 0),
    CONSTRAINT chk_tasks_not_blocked_by_self CHECK (blocked_by_task_id <> task_id),
    CONSTRAINT chk_task_name_length CHECK (char_length(task_name) <= 255),
    CONSTRAINT chk_tasks_started_at CHECK (CASE
        WHEN status = 'todo' THEN started_at IS NULL
        WHEN status IN ('in_progress', 'blocked', 'review', 'completed') THEN started_at IS NOT NULL
        ELSE true END),
    CONSTRAINT chk_tasks_completed_at CHECK (
        (status = 'completed') = (completed_at IS NOT NULL)
        AND (completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at))
);

CREATE TRIGGER bt10_touch_timestamps
    BEFORE INSERT OR UPDATE ON claude.build_tasks
    FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();

COMMENT ON TABLE claude.build_tasks IS 'A unit of work on a feature (optionally on one of its components), assigned to an identity.';
COMMENT ON COLUMN claude.build_tasks.task_id IS 'Primary key.';
COMMENT ON COLUMN claude.build_tasks.feature_id IS 'The feature of the task; filled from the component when only component_id is given; deleting the feature deletes its tasks.';
COMMENT ON COLUMN claude.build_tasks.component_id IS 'Optional component of that feature; set to null when the component is deleted.';
COMMENT ON COLUMN claude.build_tasks.task_name IS 'Name of the task (at least 5 characters when written).';
COMMENT ON COLUMN claude.build_tasks.task_description IS 'What to do (at least 10 characters when written).';
COMMENT ON COLUMN claude.build_tasks.task_type IS 'Kind of task: code, test, review, design, documentation, research, bug_fix, refactor, deployment, meeting.';
COMMENT ON COLUMN claude.build_tasks.status IS 'Workflow status: todo, in_progress, blocked, review, completed, cancelled.';
COMMENT ON COLUMN claude.build_tasks.priority IS '1 (highest) to 10 (lowest); default 5.';
COMMENT ON COLUMN claude.build_tasks.assigned_to_identity_id IS 'Assignee; required in in_progress, review and completed; changeable only in todo or blocked.';
COMMENT ON COLUMN claude.build_tasks.estimated_hours IS 'Estimate in hours (> 0).';
COMMENT ON COLUMN claude.build_tasks.actual_hours IS 'Hours spent (> 0); set only on completed tasks.';
COMMENT ON COLUMN claude.build_tasks.started_at IS 'When work started (set by the database).';
COMMENT ON COLUMN claude.build_tasks.completed_at IS 'When the task was completed (set by the database); set exactly when completed.';
COMMENT ON COLUMN claude.build_tasks.blocked_reason IS 'Why the task is blocked; cleared on unblock.';
COMMENT ON COLUMN claude.build_tasks.blocked_by_task_id IS 'Task that must be completed or cancelled before this one can start; never a cycle; set to null when that task is deleted.';
COMMENT ON COLUMN claude.build_tasks.completion_notes IS 'Notes given on completion.';
COMMENT ON COLUMN claude.build_tasks.cancellation_reason IS 'Why the task was cancelled.';
COMMENT ON COLUMN claude.build_tasks.created_at IS 'When the row was inserted (set by the database).';
COMMENT ON COLUMN claude.build_tasks.updated_at IS 'When the row was last written (set by the database).';
COMMENT ON CONSTRAINT fk_tasks_feature ON claude.build_tasks IS 'feature_id does not name an existing feature';
COMMENT ON CONSTRAINT fk_tasks_component ON claude.build_tasks IS 'component_id does not name an existing component';
COMMENT ON CONSTRAINT fk_tasks_assignee ON claude.build_tasks IS 'assigned_to_identity_id does not name an existing identity';
COMMENT ON CONSTRAINT fk_tasks_blocked_by ON claude.build_tasks IS 'blocked_by_task_id does not name an existing task';
COMMENT ON CONSTRAINT chk_task_status ON claude.build_tasks IS 'status must be one of todo, in_progress, blocked, review, completed, cancelled';
COMMENT ON CONSTRAINT chk_task_type ON claude.build_tasks IS 'task_type must be one of code, test, review, design, documentation, research, bug_fix, refactor, deployment, meeting';
COMMENT ON CONSTRAINT chk_task_priority ON claude.build_tasks IS 'priority must be between 1 and 10';
COMMENT ON CONSTRAINT chk_task_estimated_hours ON claude.build_tasks IS 'estimated_hours must be greater than 0';
COMMENT ON CONSTRAINT chk_task_actual_hours ON claude.build_tasks IS 'actual_hours must be greater than 0';
COMMENT ON CONSTRAINT chk_tasks_not_blocked_by_self ON claude.build_tasks IS 'a task cannot block itself';
COMMENT ON CONSTRAINT chk_task_name_length ON claude.build_tasks IS 'task_name must be at most 255 characters';
COMMENT ON CONSTRAINT chk_tasks_started_at ON claude.build_tasks IS 'started_at must be empty while todo, and set while in_progress, blocked, review or completed';
COMMENT ON CONSTRAINT chk_tasks_completed_at ON claude.build_tasks IS 'completed_at must be set exactly when completed, and not before started_at';

COMMIT;
