-- Deploy buildtracker:status_transitions to pg
-- requires: constraint_checkers
-- The four state machines of SPEC section 4 as data: the rule triggers accept
-- a status change only when it is listed here, so the table is both the rule
-- and its documentation (SELECT * FROM claude.status_transitions).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.status_transitions (
    entity_type text NOT NULL,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    action      text NOT NULL,
    needs       text NOT NULL,
    CONSTRAINT status_transitions_pkey PRIMARY KEY (entity_type, from_status, to_status),
    -- an action taken from one status leads to one status
    CONSTRAINT uq_status_transitions_action UNIQUE (entity_type, action, from_status),
    CONSTRAINT chk_status_transitions_entity CHECK (entity_type IN ('feature', 'component', 'build_task', 'requirement')),
    CONSTRAINT chk_status_transitions_action CHECK (action ~ '^[a-z][a-z_]*$')
);

INSERT INTO claude.status_transitions (entity_type, from_status, to_status, action, needs) VALUES
    ('feature', 'not_started', 'planned',     'plan',      'description of at least 20 characters; planned_by_identity_id; sets planned_date'),
    ('feature', 'planned',     'in_progress', 'start',     'implemented_by_identity_id; sets started_date'),
    ('feature', 'in_progress', 'blocked',     'block',     'a reason (blocked_reason)'),
    ('feature', 'blocked',     'in_progress', 'unblock',   'a note; clears blocked_reason'),
    ('feature', 'in_progress', 'on_hold',     'hold',      'a reason (kept in blocked_reason)'),
    ('feature', 'on_hold',     'in_progress', 'resume',    'clears blocked_reason'),
    ('feature', 'in_progress', 'completed',   'complete',  'the completion gate (claude.can_complete_feature); sets completed_date'),
    ('feature', 'not_started', 'cancelled',   'cancel',    'a reason (cancellation_reason)'),
    ('feature', 'planned',     'cancelled',   'cancel',    'a reason (cancellation_reason)'),
    ('feature', 'in_progress', 'cancelled',   'cancel',    'a reason (cancellation_reason)'),
    ('feature', 'blocked',     'cancelled',   'cancel',    'a reason (cancellation_reason)'),
    ('feature', 'on_hold',     'cancelled',   'cancel',    'a reason (cancellation_reason)'),
    ('component', 'planned',     'in_progress', 'start',     'nothing'),
    ('component', 'in_progress', 'completed',   'complete',  'actual_functions; file_path; the feature started; sets implemented_at'),
    ('component', 'completed',   'tested',      'test',      'has_tests and test_coverage_percentage'),
    ('component', 'tested',      'documented',  'document',  'has_documentation and doc_path'),
    ('component', 'planned',     'deprecated',  'deprecate', 'nothing'),
    ('component', 'in_progress', 'deprecated',  'deprecate', 'nothing'),
    ('component', 'completed',   'deprecated',  'deprecate', 'nothing'),
    ('component', 'tested',      'deprecated',  'deprecate', 'nothing'),
    ('component', 'documented',  'deprecated',  'deprecate', 'nothing'),
    ('build_task', 'todo',        'in_progress', 'start',           'an assignee; the blocking task completed or cancelled; sets started_at'),
    ('build_task', 'in_progress', 'blocked',     'block',           'a reason (blocked_reason), optionally a blocking task'),
    ('build_task', 'blocked',     'in_progress', 'unblock',         'a resolution note; clears blocked_reason'),
    ('build_task', 'in_progress', 'review',      'submit',          'nothing'),
    ('build_task', 'review',      'in_progress', 'request_changes', 'a note (changes requested)'),
    ('build_task', 'in_progress', 'completed',   'complete',        'actual_hours > 0; the component not planned; sets completed_at'),
    ('build_task', 'review',      'completed',   'complete',        'actual_hours > 0; the component not planned; sets completed_at'),
    ('build_task', 'todo',        'cancelled',   'cancel',          'a reason (cancellation_reason)'),
    ('build_task', 'in_progress', 'cancelled',   'cancel',          'a reason (cancellation_reason)'),
    ('build_task', 'blocked',     'cancelled',   'cancel',          'a reason (cancellation_reason)'),
    ('build_task', 'review',      'cancelled',   'cancel',          'a reason (cancellation_reason)'),
    ('requirement', 'draft',       'defined',     'define',    'description of at least 20 characters; at least one criterion'),
    ('requirement', 'defined',     'approved',    'approve',   'description over 50 characters; at least three criteria'),
    ('requirement', 'approved',    'implemented', 'implement', 'the implementing component, completed, tested or documented'),
    ('requirement', 'implemented', 'verified',    'verify',    'the component done and has_tests; the feature started; sets verified_at'),
    ('requirement', 'draft',       'rejected',    'reject',    'not must_have'),
    ('requirement', 'defined',     'rejected',    'reject',    'not must_have');

COMMENT ON TABLE claude.status_transitions IS 'Every allowed status change of the four state machines (SPEC section 4); a change not listed is refused with 55000.';
COMMENT ON COLUMN claude.status_transitions.entity_type IS 'feature, component, build_task or requirement.';
COMMENT ON COLUMN claude.status_transitions.from_status IS 'Current status.';
COMMENT ON COLUMN claude.status_transitions.to_status IS 'Status the row may move to.';
COMMENT ON COLUMN claude.status_transitions.action IS 'The workflow action (a verb: start, block, complete, ...) that makes this move; the functions read the statuses an action applies to from here (claude.action_from_statuses).';
COMMENT ON COLUMN claude.status_transitions.needs IS 'What the transition requires and sets, in words.';
COMMENT ON CONSTRAINT chk_status_transitions_entity ON claude.status_transitions IS 'entity_type must be one of feature, component, build_task, requirement';
COMMENT ON CONSTRAINT chk_status_transitions_action ON claude.status_transitions IS 'action must be a lower-case word (letters and underscores)';
COMMENT ON CONSTRAINT uq_status_transitions_action ON claude.status_transitions IS 'an action leads from one status to one status only';

-- PL/pgSQL rather than SQL: a SQL function with a query is planned again in
-- every transaction, PL/pgSQL keeps its plan for the session.
CREATE FUNCTION claude.action_from_statuses(entity_type text, action text)
RETURNS text[]
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    RETURN (SELECT COALESCE(array_agg(s.from_status ORDER BY s.from_status), '{}')
              FROM claude.status_transitions s
             WHERE s.entity_type = action_from_statuses.entity_type
               AND s.action = action_from_statuses.action);
END
$$;
COMMENT ON FUNCTION claude.action_from_statuses(text, text) IS
    'The statuses a workflow action (start, block, complete, ...) applies to, read from claude.status_transitions: the one place they are written down.';

-- PL/pgSQL rather than SQL: it runs on every status change, and PL/pgSQL keeps
-- its plans for the session where a SQL function with subqueries re-plans.
CREATE FUNCTION claude.transition_error(entity_type text, from_status text, to_status text)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF from_status IS NOT DISTINCT FROM to_status THEN
        RETURN '[]'::jsonb;
    END IF;
    IF EXISTS (SELECT 1 FROM claude.status_transitions s
                WHERE s.entity_type = transition_error.entity_type
                  AND s.from_status = transition_error.from_status
                  AND s.to_status = transition_error.to_status) THEN
        RETURN '[]'::jsonb;
    END IF;
    -- not a status of this entity at all: an invalid value (23514), not a wrong move
    IF NOT EXISTS (SELECT 1 FROM claude.status_transitions s
                    WHERE s.entity_type = transition_error.entity_type
                      AND transition_error.to_status IN (s.from_status, s.to_status)) THEN
        RETURN claude.err('status', format('status must be one of %s',
            (SELECT string_agg(DISTINCT x.status, ', ')
               FROM claude.status_transitions s, LATERAL (VALUES (s.from_status), (s.to_status)) AS x(status)
              WHERE s.entity_type = transition_error.entity_type)));
    END IF;
    RETURN claude.err('status', format('a %s cannot go from %s to %s (allowed from %s: %s)',
            replace(entity_type, '_', ' '), from_status, to_status, from_status,
            COALESCE((SELECT string_agg(s.to_status, ', ' ORDER BY s.to_status) FROM claude.status_transitions s
                       WHERE s.entity_type = transition_error.entity_type
                         AND s.from_status = transition_error.from_status), 'none, it is final')), '55000');
END
$$;

COMMENT ON FUNCTION claude.transition_error(text, text, text) IS
    'Empty list when the status change is allowed (or no change); one 23514 error for a status the entity does not have; else one 55000 error naming the allowed targets.';

COMMIT;
