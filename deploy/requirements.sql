-- Deploy buildtracker:requirements to pg
-- requires: components
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.requirements (
    requirement_id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    feature_id                  uuid        NOT NULL,
    requirement_name            text        NOT NULL,
    requirement_type            text        NOT NULL,
    description                 text,
    acceptance_criteria         text[]      NOT NULL DEFAULT '{}',
    status                      text        NOT NULL DEFAULT 'draft',
    priority                    integer     NOT NULL DEFAULT 5,
    must_have                   boolean     NOT NULL DEFAULT false,
    implemented_by_component_id uuid,
    verified_at                 timestamptz,
    verified_by_test_run_id     uuid,
    created_by_identity_id      uuid,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT requirements_pkey PRIMARY KEY (requirement_id),
    CONSTRAINT fk_requirements_feature FOREIGN KEY (feature_id)
        REFERENCES claude.features (feature_id) ON DELETE CASCADE,
    CONSTRAINT fk_requirements_component FOREIGN KEY (implemented_by_component_id)
        REFERENCES claude.components (component_id) ON DELETE SET NULL,
    CONSTRAINT fk_requirements_created_by FOREIGN KEY (created_by_identity_id)
        REFERENCES claude.identities (identity_id) ON DELETE RESTRICT,
    CONSTRAINT chk_requirement_status CHECK (status IN
        ('draft', 'defined', 'approved', 'implemented', 'verified', 'rejected')),
    CONSTRAINT chk_requirement_type CHECK (requirement_type IN
        ('ui', 'api', 'data', 'integration', 'functional', 'performance', 'security', 'usability',
         'accessibility', 'compliance', 'config', 'deployment')),
    CONSTRAINT chk_requirement_priority CHECK (priority >= 1 AND priority <= 10),
    CONSTRAINT chk_requirement_name_length CHECK (char_length(requirement_name) <= 255),
    CONSTRAINT chk_requirements_verified_at CHECK ((status = 'verified') = (verified_at IS NOT NULL)),
    CONSTRAINT chk_requirements_must_have_not_rejected CHECK (NOT (must_have AND status = 'rejected'))
);

CREATE TRIGGER bt10_touch_timestamps
    BEFORE INSERT OR UPDATE ON claude.requirements
    FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();

COMMENT ON TABLE claude.requirements IS 'Something a feature must meet, with acceptance criteria; must-have ones gate the feature''s completion.';
COMMENT ON COLUMN claude.requirements.requirement_id IS 'Primary key.';
COMMENT ON COLUMN claude.requirements.feature_id IS 'The feature this requirement belongs to; deleting the feature deletes it.';
COMMENT ON COLUMN claude.requirements.requirement_name IS 'Name (at least 5 characters when written).';
COMMENT ON COLUMN claude.requirements.requirement_type IS 'Kind: ui, api, data, integration, functional, performance, security, usability, accessibility, compliance, config, deployment.';
COMMENT ON COLUMN claude.requirements.description IS 'What is required (at least 20 characters when written; more than 50 to approve).';
COMMENT ON COLUMN claude.requirements.acceptance_criteria IS 'Testable criteria: at least one, none empty (three to approve).';
COMMENT ON COLUMN claude.requirements.status IS 'Workflow status: draft, defined, approved, implemented, verified, rejected.';
COMMENT ON COLUMN claude.requirements.priority IS '1 (highest) to 10 (lowest); default 5.';
COMMENT ON COLUMN claude.requirements.must_have IS 'A must-have requirement gates feature completion and can never be rejected.';
COMMENT ON COLUMN claude.requirements.implemented_by_component_id IS 'The component that implements it; set to null when that component is deleted.';
COMMENT ON COLUMN claude.requirements.verified_at IS 'When it was verified (set by the database); set exactly when verified.';
COMMENT ON COLUMN claude.requirements.verified_by_test_run_id IS 'Identifier of the test run that verified it, when given.';
COMMENT ON COLUMN claude.requirements.created_by_identity_id IS 'Who wrote the requirement; required when written.';
COMMENT ON COLUMN claude.requirements.created_at IS 'When the row was inserted (set by the database).';
COMMENT ON COLUMN claude.requirements.updated_at IS 'When the row was last written (set by the database).';
COMMENT ON CONSTRAINT fk_requirements_feature ON claude.requirements IS 'feature_id does not name an existing feature';
COMMENT ON CONSTRAINT fk_requirements_component ON claude.requirements IS 'implemented_by_component_id does not name an existing component';
COMMENT ON CONSTRAINT fk_requirements_created_by ON claude.requirements IS 'created_by_identity_id does not name an existing identity';
COMMENT ON CONSTRAINT chk_requirement_status ON claude.requirements IS 'status must be one of draft, defined, approved, implemented, verified, rejected';
COMMENT ON CONSTRAINT chk_requirement_type ON claude.requirements IS 'requirement_type must be one of ui, api, data, integration, functional, performance, security, usability, accessibility, compliance, config, deployment';
COMMENT ON CONSTRAINT chk_requirement_priority ON claude.requirements IS 'priority must be between 1 and 10';
COMMENT ON CONSTRAINT chk_requirement_name_length ON claude.requirements IS 'requirement_name must be at most 255 characters';
COMMENT ON CONSTRAINT chk_requirements_verified_at ON claude.requirements IS 'verified_at must be set exactly when verified';
COMMENT ON CONSTRAINT chk_requirements_must_have_not_rejected ON claude.requirements IS 'a must-have requirement cannot be rejected';

COMMIT;
