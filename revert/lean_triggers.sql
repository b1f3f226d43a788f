-- Revert buildtracker:lean_triggers from pg
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

CREATE TRIGGER bt10_touch_timestamps
    BEFORE INSERT OR UPDATE ON claude.build_tasks
    FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();

-- as activity_seal created them
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
