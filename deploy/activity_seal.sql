-- Deploy buildtracker:activity_seal to pg
-- requires: activity_feed
-- Each activity row is sealed with a checksum when written, so a row altered
-- behind the append-only guard's back is detectable (claude.check_invariants).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.activity_checksum(a claude.activity_feed)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
-- created_at in UTC: the text of a timestamptz depends on the session's TimeZone
RETURN md5(jsonb_build_array(a.id, a.source_type, a.source_id, a.actor, a.activity_type, a.title, a.summary,
                             a.project_name, a.severity, a.created_at AT TIME ZONE 'UTC', a.changes)::text);
COMMENT ON FUNCTION claude.activity_checksum(claude.activity_feed) IS
    'The seal of an activity row: md5 over every column but the checksum itself. STABLE like its body, so it is inlined where it is called.';

CREATE FUNCTION claude.seal_activity()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.checksum := claude.activity_checksum(NEW);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.seal_activity() IS 'Trigger: seals each new activity row with its checksum.';

CREATE TRIGGER bt01_seal
    BEFORE INSERT ON claude.activity_feed
    FOR EACH ROW EXECUTE FUNCTION claude.seal_activity();

COMMIT;
