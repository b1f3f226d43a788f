-- Deploy buildtracker:activity_feed to pg
-- requires: schema
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.activity_feed (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    source_type   text        NOT NULL,
    source_id     uuid,
    actor         text,
    activity_type text        NOT NULL,
    title         text        NOT NULL,
    summary       text,
    project_name  text,
    severity      text        NOT NULL DEFAULT 'info',
    -- rows written in one transaction share now(); clock time keeps them ordered
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    changes       jsonb,
    checksum      text,
    CONSTRAINT activity_feed_pkey PRIMARY KEY (id),
    CONSTRAINT chk_activity_source_type CHECK (source_type IN
        ('feature', 'component', 'build_task', 'requirement', 'project', 'identity', 'system')),
    CONSTRAINT chk_activity_type CHECK (activity_type IN
        ('created', 'updated', 'status_changed', 'completed', 'started', 'assigned', 'blocked',
         'unblocked', 'verified', 'cancelled', 'deleted')),
    CONSTRAINT chk_activity_severity CHECK (severity IN ('info', 'warning', 'error', 'success')),
    CONSTRAINT chk_activity_title_length CHECK (char_length(title) <= 255),
    -- indexed columns: a bounded length keeps them within an index row
    CONSTRAINT chk_activity_actor_length CHECK (char_length(actor) <= 255),
    CONSTRAINT chk_activity_project_name_length CHECK (char_length(project_name) <= 255),
    CONSTRAINT chk_activity_job_finding_length CHECK (char_length(changes ->> 'job_finding') <= 255)
);

COMMENT ON TABLE claude.activity_feed IS 'Append-only history of everything that happened; rows outlive the entities they describe.';
COMMENT ON COLUMN claude.activity_feed.id IS 'Primary key.';
COMMENT ON COLUMN claude.activity_feed.source_type IS 'Kind of entity: feature, component, build_task, requirement, project, identity, system.';
COMMENT ON COLUMN claude.activity_feed.source_id IS 'Id of the entity (no foreign key: history outlives what it describes).';
COMMENT ON COLUMN claude.activity_feed.actor IS 'Who did it: the call''s actor, else SET buildtracker.actor, else session_user.';
COMMENT ON COLUMN claude.activity_feed.activity_type IS 'What happened: created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted.';
COMMENT ON COLUMN claude.activity_feed.title IS 'Short readable summary, at most 255 characters.';
COMMENT ON COLUMN claude.activity_feed.summary IS 'Details, including the reason or note given.';
COMMENT ON COLUMN claude.activity_feed.project_name IS 'Project of the entity, for filtering.';
COMMENT ON COLUMN claude.activity_feed.severity IS 'info, warning, error or success.';
COMMENT ON COLUMN claude.activity_feed.created_at IS 'When it happened.';
COMMENT ON COLUMN claude.activity_feed.checksum IS 'md5 of the row''s content, sealed when written (claude.activity_checksum); a mismatch means the row was altered.';
COMMENT ON COLUMN claude.activity_feed.changes IS 'Going beyond the seed, what changed: {"field": {"old": …, "new": …}} for updates, {"deleted": row} for deletes, {"job_finding": key} for job findings.';
COMMENT ON CONSTRAINT chk_activity_source_type ON claude.activity_feed IS 'source_type must be one of feature, component, build_task, requirement, project, identity, system';
COMMENT ON CONSTRAINT chk_activity_type ON claude.activity_feed IS 'activity_type must be one of created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted';
COMMENT ON CONSTRAINT chk_activity_severity ON claude.activity_feed IS 'severity must be one of info, warning, error, success';
COMMENT ON CONSTRAINT chk_activity_title_length ON claude.activity_feed IS 'title must be at most 255 characters';
COMMENT ON CONSTRAINT chk_activity_actor_length ON claude.activity_feed IS 'actor must be at most 255 characters';
COMMENT ON CONSTRAINT chk_activity_project_name_length ON claude.activity_feed IS 'project_name must be at most 255 characters';
COMMENT ON CONSTRAINT chk_activity_job_finding_length ON claude.activity_feed IS 'changes.job_finding must be at most 255 characters';

COMMIT;
