-- Revert buildtracker:activity_types from pg
-- Rows of the six new types cannot stay under the old list: the revert
-- refuses while any exists (the feed is append-only; nothing is rewritten).
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

ALTER TABLE claude.activity_feed DROP CONSTRAINT chk_activity_type;
ALTER TABLE claude.activity_feed ADD CONSTRAINT chk_activity_type CHECK (activity_type IN
    ('created', 'updated', 'status_changed', 'completed', 'started', 'assigned', 'blocked',
     'unblocked', 'verified', 'cancelled', 'deleted'));
COMMENT ON CONSTRAINT chk_activity_type ON claude.activity_feed IS 'activity_type must be one of created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted';

COMMIT;
