-- Revert buildtracker:task_functions from pg
-- Back to the @v0.4.1 active_task_count, a SQL function.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.active_task_count(identity_id uuid)
RETURNS bigint
LANGUAGE sql STABLE
RETURN (SELECT count(*) FROM claude.build_tasks t
         WHERE t.assigned_to_identity_id = active_task_count.identity_id
           AND t.status IN ('in_progress', 'blocked', 'review'));
COMMENT ON FUNCTION claude.active_task_count(uuid) IS
    'Number of active (in_progress, blocked or review) tasks assigned to an identity.';

COMMIT;
