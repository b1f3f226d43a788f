-- Deploy buildtracker:task_release to pg
-- requires: status_transitions
-- requires: task_dependencies
-- SPEC section 10: an agent gives a task back (release_task). The state
-- machine is data, so the transition is a row; the rules and the function
-- read it like every other.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL ROLE buildtracker_owner;

INSERT INTO claude.status_transitions (entity_type, from_status, to_status, action, needs)
VALUES ('build_task', 'in_progress', 'todo', 'release', 'a reason; clears the assignee and started_at');

COMMIT;
