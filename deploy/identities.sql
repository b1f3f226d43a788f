-- Deploy buildtracker:identities to pg
-- requires: touch_timestamps
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.identities (
    identity_id   uuid        NOT NULL DEFAULT gen_random_uuid(),
    identity_name text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT identities_pkey PRIMARY KEY (identity_id),
    CONSTRAINT uq_identities_name UNIQUE (identity_name),
    CONSTRAINT chk_identities_name_not_blank CHECK (btrim(identity_name, E' \t\r\n\f\v') <> ''),
    CONSTRAINT chk_identities_name_length CHECK (char_length(identity_name) <= 255)
);

CREATE TRIGGER bt10_touch_timestamps
    BEFORE INSERT OR UPDATE ON claude.identities
    FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();

COMMENT ON TABLE claude.identities IS 'Who does the work: a person or an AI agent.';
COMMENT ON COLUMN claude.identities.identity_id IS 'Primary key.';
COMMENT ON COLUMN claude.identities.identity_name IS 'Unique, non-blank name of the person or agent.';
COMMENT ON COLUMN claude.identities.created_at IS 'When the row was inserted (set by the database).';
COMMENT ON COLUMN claude.identities.updated_at IS 'When the row was last written (set by the database).';
COMMENT ON CONSTRAINT uq_identities_name ON claude.identities IS 'identity_name is already used by another identity';
COMMENT ON CONSTRAINT chk_identities_name_not_blank ON claude.identities IS 'identity_name must not be blank';
COMMENT ON CONSTRAINT chk_identities_name_length ON claude.identities IS 'identity_name must be at most 255 characters';

COMMIT;
