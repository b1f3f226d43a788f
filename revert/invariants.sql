-- Revert buildtracker:invariants from pg
-- Back to the @v0.4.1 activity_checksum, declared IMMUTABLE (not inlined).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.activity_checksum(a claude.activity_feed)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- created_at in UTC: the text of a timestamptz depends on the session's TimeZone
RETURN md5(jsonb_build_array(a.id, a.source_type, a.source_id, a.actor, a.activity_type, a.title, a.summary,
                             a.project_name, a.severity, a.created_at AT TIME ZONE 'UTC', a.changes)::text);
COMMENT ON FUNCTION claude.activity_checksum(claude.activity_feed) IS
    'The seal of an activity row: md5 over every column but the checksum itself.';

COMMIT;
