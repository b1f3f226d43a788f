-- Verify buildtracker:task_functions on pg
BEGIN;
SELECT 'claude.add_task(text, text, text, uuid, uuid, integer, numeric, uuid, uuid, text, text[])'::regprocedure,
       'claude.update_task(uuid, jsonb, text)'::regprocedure,
       'claude.start_task(uuid, uuid, boolean, text)'::regprocedure,
       'claude.release_task(uuid, text, text)'::regprocedure,
       'claude.block_task(uuid, text, uuid, text)'::regprocedure,
       'claude.unblock_task(uuid, text, text)'::regprocedure,
       'claude.submit_task_for_review(uuid, text)'::regprocedure,
       'claude.request_task_changes(uuid, text, text)'::regprocedure,
       'claude.complete_task(uuid, numeric, text, text)'::regprocedure,
       'claude.cancel_task(uuid, text, text)'::regprocedure,
       'claude.get_ready_tasks(uuid, uuid, uuid, integer, text[])'::regprocedure,
       'claude.claim_next_task(uuid, uuid, uuid, text[], interval, text)'::regprocedure;
ROLLBACK;
