-- Deploy buildtracker:task_functions to pg
-- requires: task_functions@v0.4.1
-- Reworked for speed: active_task_count (called by start_task and
-- claim_next_task) was a SQL function with a subquery, which PostgreSQL
-- cannot inline and so parsed and planned again in every transaction. In
-- PL/pgSQL its plan is kept for the session; the count is the same.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE OR REPLACE FUNCTION claude.active_task_count(identity_id uuid)
RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    -- PL/pgSQL keeps this plan for the session; as a SQL function with a
    -- subquery it was parsed and planned again in every transaction
    RETURN (SELECT count(*) FROM claude.build_tasks t
             WHERE t.assigned_to_identity_id = active_task_count.identity_id
               AND t.status IN ('in_progress', 'blocked', 'review'));
END
$$;
COMMENT ON FUNCTION claude.active_task_count(uuid) IS
    'Number of active (in_progress, blocked or review) tasks assigned to an identity.';

COMMIT;
