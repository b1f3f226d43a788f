-- Verify buildtracker:activity_logging on pg
BEGIN;
SELECT 'claude.log_activity(text, uuid, text, text, text, text, text, text, jsonb)'::regprocedure,
       'claude.get_activity(text, text, uuid, text, text, text[], timestamptz, timestamptz, integer, uuid)'::regprocedure,
       'claude.prune_activity(interval, text)'::regprocedure,
       'claude.log_entity_activity()'::regprocedure;
SELECT 1 / (count(*) = 4)::int FROM pg_trigger WHERE tgname = 'bt90_log_activity'
   AND tgrelid IN ('claude.features'::regclass, 'claude.components'::regclass, 'claude.build_tasks'::regclass,
                   'claude.requirements'::regclass);
SELECT 'claude.build_row_changes()'::regprocedure;
ROLLBACK;
