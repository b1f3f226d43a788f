-- Deploy buildtracker:components to pg
-- requires: features
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.components (
    component_id             uuid         NOT NULL DEFAULT gen_random_uuid(),
    feature_id               uuid         NOT NULL,
    component_name           text         NOT NULL,
    component_type           text         NOT NULL,
    file_path                text,
    planned_functions        text[]       NOT NULL DEFAULT '{}',
    planned_dependencies     text[]       NOT NULL DEFAULT '{}',
    actual_functions         text[]       NOT NULL DEFAULT '{}',
    status                   text         NOT NULL DEFAULT 'planned',
    lines_of_code            integer,
    has_tests                boolean      NOT NULL DEFAULT false,
    test_coverage_percentage numeric(5,2),
    has_documentation        boolean      NOT NULL DEFAULT false,
    doc_path                 text,
    implemented_at           timestamptz,
    created_at               timestamptz  NOT NULL DEFAULT now(),
    updated_at               timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT components_pkey PRIMARY KEY (component_id),
    CONSTRAINT fk_components_feature FOREIGN KEY (feature_id)
        REFERENCES claude.features (feature_id) ON DELETE CASCADE,
    CONSTRAINT uq_components_feature_name UNIQUE (feature_id, component_name),
    CONSTRAINT chk_component_status CHECK (status IN
        ('planned', 'in_progress', 'completed', 'tested', 'documented', 'deprecated')),
    CONSTRAINT chk_component_type CHECK (component_type IN
        ('ui_component', 'page', 'layout', 'dialog', 'hook', 'store', 'api_endpoint', 'service',
         'repository', 'middleware', 'worker', 'database', 'module', 'utility', 'config', 'types', 'test')),
    CONSTRAINT chk_component_lines_of_code CHECK (lines_of_code >= 0),
    CONSTRAINT chk_component_name_length CHECK (char_length(component_name) <= 255),
    CONSTRAINT chk_component_coverage CHECK (test_coverage_percentage >= 0 AND test_coverage_percentage <= 100),
    CONSTRAINT chk_components_implemented_at CHECK (CASE
        WHEN status IN ('planned', 'in_progress') THEN implemented_at IS NULL
        WHEN status IN ('completed', 'tested', 'documented') THEN implemented_at IS NOT NULL
        ELSE true END)
);

CREATE TRIGGER bt10_touch_timestamps
    BEFORE INSERT OR UPDATE ON claude.components
    FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();

COMMENT ON TABLE claude.components IS 'A piece of code that makes up a feature (page, service, hook, ...).';
COMMENT ON COLUMN claude.components.component_id IS 'Primary key.';
COMMENT ON COLUMN claude.components.feature_id IS 'The feature this component belongs to; deleting the feature deletes its components.';
COMMENT ON COLUMN claude.components.component_name IS 'Name, unique within the feature (at least 3 characters when written).';
COMMENT ON COLUMN claude.components.component_type IS 'Kind of component: ui_component, page, layout, dialog, hook, store, api_endpoint, service, repository, middleware, worker, database, module, utility, config, types, test.';
COMMENT ON COLUMN claude.components.file_path IS 'Source file; generated from type and name when not given.';
COMMENT ON COLUMN claude.components.planned_functions IS 'Functions the component is planned to provide.';
COMMENT ON COLUMN claude.components.planned_dependencies IS 'What the component is planned to depend on.';
COMMENT ON COLUMN claude.components.actual_functions IS 'Functions it actually provides; at least one to complete.';
COMMENT ON COLUMN claude.components.status IS 'Workflow status: planned, in_progress, completed, tested, documented, deprecated.';
COMMENT ON COLUMN claude.components.lines_of_code IS 'Size of the implementation, when known (>= 0).';
COMMENT ON COLUMN claude.components.has_tests IS 'Whether the component has tests; required to become tested.';
COMMENT ON COLUMN claude.components.test_coverage_percentage IS 'Test coverage 0-100; required to become tested.';
COMMENT ON COLUMN claude.components.has_documentation IS 'Whether the component is documented; required to become documented.';
COMMENT ON COLUMN claude.components.doc_path IS 'Where the documentation lives; required to become documented.';
COMMENT ON COLUMN claude.components.implemented_at IS 'When the component was completed (set by the database).';
COMMENT ON COLUMN claude.components.created_at IS 'When the row was inserted (set by the database).';
COMMENT ON COLUMN claude.components.updated_at IS 'When the row was last written (set by the database).';
COMMENT ON CONSTRAINT fk_components_feature ON claude.components IS 'feature_id does not name an existing feature';
COMMENT ON CONSTRAINT uq_components_feature_name ON claude.components IS 'component_name is already used by another component of this feature';
COMMENT ON CONSTRAINT chk_component_status ON claude.components IS 'status must be one of planned, in_progress, completed, tested, documented, deprecated';
COMMENT ON CONSTRAINT chk_component_type ON claude.components IS 'component_type must be one of ui_component, page, layout, dialog, hook, store, api_endpoint, service, repository, middleware, worker, database, module, utility, config, types, test';
COMMENT ON CONSTRAINT chk_component_lines_of_code ON claude.components IS 'lines_of_code must not be negative';
COMMENT ON CONSTRAINT chk_component_name_length ON claude.components IS 'component_name must be at most 255 characters';
COMMENT ON CONSTRAINT chk_component_coverage ON claude.components IS 'test_coverage_percentage must be between 0 and 100';
COMMENT ON CONSTRAINT chk_components_implemented_at ON claude.components IS 'implemented_at must be empty while planned or in_progress, and set once completed, tested or documented';

COMMIT;
