-- Deploy buildtracker:activity_types to pg
-- requires: task_leases
-- SPEC section 10: what the database itself reports gets its own activity
-- types: commented (add_comment), reclaimed (a claim took over an expired
-- lease) and the job findings stale, blocker_resolved, ready_to_complete and
-- lease_expired (logged at warning: good news is never an error). Callers of
-- log_activity keep the seed's eleven types; these six are written only by
-- the database, so a feed row of one of them is always the database's.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

-- Replaced by a wider list in this transaction: no guarantee is lost, and
-- every existing row already holds one of the old values. DROP CONSTRAINT
-- already holds the feed's lock, so validating here blocks nothing more; the
-- feed is append-only, so the scan is the only cost.
-- squawk-ignore ban-drop-constraint
ALTER TABLE claude.activity_feed DROP CONSTRAINT chk_activity_type;
ALTER TABLE claude.activity_feed ADD CONSTRAINT chk_activity_type CHECK (activity_type IN
    ('created', 'updated', 'status_changed', 'completed', 'started', 'assigned', 'blocked',
     'unblocked', 'verified', 'cancelled', 'deleted',
     'commented', 'reclaimed', 'stale', 'blocker_resolved', 'ready_to_complete', 'lease_expired')) NOT VALID;
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE claude.activity_feed VALIDATE CONSTRAINT chk_activity_type;
COMMENT ON CONSTRAINT chk_activity_type ON claude.activity_feed IS 'activity_type must be one of created, updated, status_changed, completed, started, assigned, blocked, unblocked, verified, cancelled, deleted, commented, reclaimed, stale, blocker_resolved, ready_to_complete, lease_expired';

COMMIT;
