-- Deploy buildtracker:lean_triggers to pg
-- requires: task_rules
-- Issue 18 (speed): every trigger call costs a PL/pgSQL set-up and, with its
-- pinned search_path, a switch of the session's search path there and back.
-- A workflow step paid for calls that had nothing to do. What each did is
-- unchanged; only who does it:
-- - build-task timestamps: claude.enforce_task_rules (bt20_enforce_rules) sets
--   them, so bt10_touch_timestamps goes from build_tasks (the other tables keep it).
-- Tried and dropped: a WHEN clause on the roll-up trigger (bt95) so that it
-- fires only when a status changes its completion class; PostgreSQL compiles
-- a trigger's WHEN in every statement, which cost more than the call it saved.
-- Also tried: the seal set by bt00_stamp instead of bt01_seal (about 20 us
-- less per feed row); not shipped, since bt01_seal belongs to the released
-- activity_seal, whose verify script requires it.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

DROP TRIGGER bt10_touch_timestamps ON claude.build_tasks;

COMMIT;
