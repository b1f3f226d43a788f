-- Deploy buildtracker:features to pg
-- requires: projects identities
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.features (
    feature_id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
    project_id                 uuid        NOT NULL,
    parent_feature_id          uuid,
    feature_name               text        NOT NULL,
    feature_type               text        NOT NULL,
    description                text,
    priority                   integer     NOT NULL DEFAULT 5,
    status                     text        NOT NULL DEFAULT 'not_started',
    completion_percentage      integer     NOT NULL DEFAULT 0,
    planned_date               timestamptz,
    planned_by_identity_id     uuid,
    started_date               timestamptz,
    completed_date             timestamptz,
    implemented_by_identity_id uuid,
    design_doc_path            text,
    implementation_notes       text,
    blocked_reason             text,
    cancellation_reason        text,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT features_pkey PRIMARY KEY (feature_id),
    CONSTRAINT fk_features_project FOREIGN KEY (project_id)
        REFERENCES claude.projects (project_id) ON DELETE RESTRICT,
    CONSTRAINT fk_features_parent FOREIGN KEY (parent_feature_id)
        REFERENCES claude.features (feature_id) ON DELETE SET NULL,
    CONSTRAINT fk_features_planned_by FOREIGN KEY (planned_by_identity_id)
        REFERENCES claude.identities (identity_id) ON DELETE RESTRICT,
    CONSTRAINT fk_features_implemented_by FOREIGN KEY (implemented_by_identity_id)
        REFERENCES claude.identities (identity_id) ON DELETE RESTRICT,
    CONSTRAINT chk_feature_status CHECK (status IN
        ('not_started', 'planned', 'in_progress', 'blocked', 'on_hold', 'completed', 'cancelled')),
    CONSTRAINT chk_feature_type CHECK (feature_type IN
        ('feature', 'enhancement', 'bug_fix', 'refactoring', 'integration', 'infrastructure', 'ui', 'api', 'data')),
    CONSTRAINT chk_feature_priority CHECK (priority >= 1 AND priority <= 10),
    CONSTRAINT chk_completion_percentage CHECK (completion_percentage >= 0 AND completion_percentage <= 100),
    CONSTRAINT chk_features_not_own_parent CHECK (parent_feature_id <> feature_id),
    CONSTRAINT chk_feature_name_length CHECK (char_length(feature_name) <= 255),
    CONSTRAINT chk_features_started_date CHECK (CASE
        WHEN status IN ('not_started', 'planned') THEN started_date IS NULL
        WHEN status IN ('in_progress', 'blocked', 'on_hold', 'completed') THEN started_date IS NOT NULL
        ELSE true END),
    CONSTRAINT chk_features_completed_date CHECK (
        (status = 'completed') = (completed_date IS NOT NULL)
        AND (completed_date IS NULL OR started_date IS NULL OR completed_date >= started_date))
);

CREATE TRIGGER bt10_touch_timestamps
    BEFORE INSERT OR UPDATE ON claude.features
    FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();

COMMENT ON TABLE claude.features IS 'A unit of work delivered to a project; may have a parent feature, and is made of components, tasks and requirements.';
COMMENT ON COLUMN claude.features.feature_id IS 'Primary key.';
COMMENT ON COLUMN claude.features.project_id IS 'The project the feature belongs to (a project with features cannot be deleted).';
COMMENT ON COLUMN claude.features.parent_feature_id IS 'Optional parent feature; set to null when the parent is deleted; never a cycle.';
COMMENT ON COLUMN claude.features.feature_name IS 'Name of the feature (at least 5 characters when written).';
COMMENT ON COLUMN claude.features.feature_type IS 'Kind of feature: feature, enhancement, bug_fix, refactoring, integration, infrastructure, ui, api, data.';
COMMENT ON COLUMN claude.features.description IS 'What the feature does (at least 20 characters once planned).';
COMMENT ON COLUMN claude.features.priority IS '1 (highest) to 10 (lowest); default 5.';
COMMENT ON COLUMN claude.features.status IS 'Workflow status: not_started, planned, in_progress, blocked, on_hold, completed, cancelled.';
COMMENT ON COLUMN claude.features.completion_percentage IS '0-100; rolled up from components (or tasks) by triggers, manual when the feature has neither.';
COMMENT ON COLUMN claude.features.planned_date IS 'When the feature became planned (set by the database).';
COMMENT ON COLUMN claude.features.planned_by_identity_id IS 'Who planned the feature; required to become planned.';
COMMENT ON COLUMN claude.features.started_date IS 'When work started (set by the database on planned -> in_progress).';
COMMENT ON COLUMN claude.features.completed_date IS 'When the feature was completed (set by the database); set exactly when completed.';
COMMENT ON COLUMN claude.features.implemented_by_identity_id IS 'Who implements the feature; required to start it.';
COMMENT ON COLUMN claude.features.design_doc_path IS 'Path or URL of the design document.';
COMMENT ON COLUMN claude.features.implementation_notes IS 'Free-form implementation notes.';
COMMENT ON COLUMN claude.features.blocked_reason IS 'Why the feature is blocked or on hold; cleared when work resumes.';
COMMENT ON COLUMN claude.features.cancellation_reason IS 'Why the feature was cancelled.';
COMMENT ON COLUMN claude.features.created_at IS 'When the row was inserted (set by the database).';
COMMENT ON COLUMN claude.features.updated_at IS 'When the row was last written (set by the database).';
COMMENT ON CONSTRAINT fk_features_project ON claude.features IS 'project_id does not name an existing project';
COMMENT ON CONSTRAINT fk_features_parent ON claude.features IS 'parent_feature_id does not name an existing feature';
COMMENT ON CONSTRAINT fk_features_planned_by ON claude.features IS 'planned_by_identity_id does not name an existing identity';
COMMENT ON CONSTRAINT fk_features_implemented_by ON claude.features IS 'implemented_by_identity_id does not name an existing identity';
COMMENT ON CONSTRAINT chk_feature_status ON claude.features IS 'status must be one of not_started, planned, in_progress, blocked, on_hold, completed, cancelled';
COMMENT ON CONSTRAINT chk_feature_type ON claude.features IS 'feature_type must be one of feature, enhancement, bug_fix, refactoring, integration, infrastructure, ui, api, data';
COMMENT ON CONSTRAINT chk_feature_priority ON claude.features IS 'priority must be between 1 and 10';
COMMENT ON CONSTRAINT chk_completion_percentage ON claude.features IS 'completion_percentage must be between 0 and 100';
COMMENT ON CONSTRAINT chk_features_not_own_parent ON claude.features IS 'a feature cannot be its own parent';
COMMENT ON CONSTRAINT chk_feature_name_length ON claude.features IS 'feature_name must be at most 255 characters';
COMMENT ON CONSTRAINT chk_features_started_date ON claude.features IS 'started_date must be empty while not_started or planned, and set while in_progress, blocked, on_hold or completed';
COMMENT ON CONSTRAINT chk_features_completed_date ON claude.features IS 'completed_date must be set exactly when completed, and not before started_date';

COMMIT;
