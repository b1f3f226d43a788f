-- Revert buildtracker:task_functions from pg
BEGIN;
DROP FUNCTION claude.claim_next_task(uuid, uuid, uuid, text);
DROP FUNCTION claude.get_ready_tasks(uuid, uuid, uuid, integer);
DROP FUNCTION claude.ready_tasks_query(uuid, uuid, uuid);
DROP FUNCTION claude.cancel_task(uuid, text, text);
DROP FUNCTION claude.complete_task(uuid, numeric, text, text);
DROP FUNCTION claude.request_task_changes(uuid, text, text);
DROP FUNCTION claude.submit_task_for_review(uuid, text);
DROP FUNCTION claude.unblock_task(uuid, text, text);
DROP FUNCTION claude.block_task(uuid, text, uuid, text);
DROP FUNCTION claude.start_task(uuid, uuid, text);
DROP FUNCTION claude.update_task(uuid, jsonb, text);
DROP FUNCTION claude.add_task(text, text, text, uuid, uuid, integer, numeric, uuid, uuid, text);
DROP FUNCTION claude.start_locked_task(claude.build_tasks, uuid, text);
DROP FUNCTION claude.active_task_count(uuid);
DROP FUNCTION claude.refuse_task_action(uuid, text[], text);
DROP FUNCTION claude.lock_task(uuid, text[], text);
COMMIT;
