-- Deploy buildtracker:projects to pg
-- requires: touch_timestamps
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.projects (
    project_id   uuid        NOT NULL DEFAULT gen_random_uuid(),
    project_name text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projects_pkey PRIMARY KEY (project_id),
    CONSTRAINT uq_projects_name UNIQUE (project_name),
    CONSTRAINT chk_projects_name_not_blank CHECK (btrim(project_name, E' \t\r\n\f\v') <> ''),
    CONSTRAINT chk_projects_name_length CHECK (char_length(project_name) <= 255)
);

CREATE TRIGGER bt10_touch_timestamps
    BEFORE INSERT OR UPDATE ON claude.projects
    FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();

COMMENT ON TABLE claude.projects IS 'A project: the top-level container of features; its name labels the activity feed.';
COMMENT ON COLUMN claude.projects.project_id IS 'Primary key.';
COMMENT ON COLUMN claude.projects.project_name IS 'Unique, non-blank project name.';
COMMENT ON COLUMN claude.projects.created_at IS 'When the row was inserted (set by the database).';
COMMENT ON COLUMN claude.projects.updated_at IS 'When the row was last written (set by the database).';
COMMENT ON CONSTRAINT uq_projects_name ON claude.projects IS 'project_name is already used by another project';
COMMENT ON CONSTRAINT chk_projects_name_not_blank ON claude.projects IS 'project_name must not be blank';
COMMENT ON CONSTRAINT chk_projects_name_length ON claude.projects IS 'project_name must be at most 255 characters';

COMMIT;
