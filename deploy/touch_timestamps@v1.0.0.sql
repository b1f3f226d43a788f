-- Deploy buildtracker:touch_timestamps to pg
-- requires: schema
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.touch_timestamps()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    -- The database, not the caller, owns both timestamps.
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
    ELSE
        NEW.created_at := OLD.created_at;
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION claude.touch_timestamps() IS
    'Trigger: sets created_at on insert, keeps it on update, and sets updated_at to now() on every write; callers cannot forge either.';

COMMIT;
