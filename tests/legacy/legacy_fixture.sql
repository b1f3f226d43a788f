-- The legacy shape of SPEC section 9: a claude schema that predates
-- buildtracker, with its build-tracking tables but no foreign keys, no check
-- constraints, no NOT NULLs (except primary keys), varchar/text columns,
-- timestamps without time zone, none of the columns the seed adds, and messy
-- data. Used by tests/python/test_upgrade.py; also a rehearsal aid for DBAs.
BEGIN;
SET TIME ZONE 'UTC';
CREATE SCHEMA claude;

CREATE TABLE claude.projects (project_id uuid PRIMARY KEY, project_name varchar(200));
CREATE TABLE claude.identities (identity_id uuid PRIMARY KEY, identity_name varchar(200));
CREATE TABLE claude.features (
    feature_id uuid PRIMARY KEY, project_id uuid, parent_feature_id uuid, feature_name varchar(255),
    feature_type varchar(50), description text, priority integer, status varchar(50), completion_percentage integer,
    planned_date timestamp, planned_by_identity_id uuid, started_date timestamp, completed_date timestamp,
    implemented_by_identity_id uuid, design_doc_path text, implementation_notes text,
    created_at timestamp DEFAULT now(), updated_at timestamp DEFAULT now());
CREATE TABLE claude.components (
    component_id uuid PRIMARY KEY, feature_id uuid, component_name varchar(255), component_type varchar(50),
    file_path text, planned_functions text[], planned_dependencies text[], actual_functions text[],
    status varchar(50), lines_of_code integer, has_tests boolean, test_coverage_percentage numeric,
    has_documentation boolean, doc_path text, implemented_at timestamp,
    created_at timestamp DEFAULT now(), updated_at timestamp DEFAULT now());
CREATE TABLE claude.build_tasks (
    task_id uuid PRIMARY KEY, feature_id uuid, component_id uuid, task_name varchar(255), task_description text,
    task_type varchar(50), status varchar(50), priority integer, assigned_to_identity_id uuid,
    estimated_hours numeric, actual_hours numeric, started_at timestamp, completed_at timestamp,
    blocked_reason text, blocked_by_task_id uuid,
    created_at timestamp DEFAULT now(), updated_at timestamp DEFAULT now());
CREATE TABLE claude.requirements (
    requirement_id uuid PRIMARY KEY, feature_id uuid, requirement_name varchar(255), requirement_type varchar(50),
    description text, acceptance_criteria text[], status varchar(50), priority integer, must_have boolean,
    implemented_by_component_id uuid, verified_at timestamp, created_by_identity_id uuid,
    created_at timestamp DEFAULT now(), updated_at timestamp DEFAULT now());
CREATE TABLE claude.activity_feed (
    id uuid PRIMARY KEY, source_type varchar(50), source_id uuid, actor varchar(100), activity_type varchar(50),
    title varchar(500), summary text, project_name varchar(200), severity varchar(20), created_at timestamp DEFAULT now());
-- the seed's two "already exists" indexes
CREATE INDEX idx_activity_feed_time ON claude.activity_feed (created_at DESC);
CREATE INDEX idx_activity_feed_project ON claude.activity_feed (project_name, created_at DESC);
-- something else that lives in claude and is not buildtracker's: must survive untouched
CREATE TABLE claude.sessions (session_id integer PRIMARY KEY, note text);
INSERT INTO claude.sessions VALUES (1, 'not ours');

INSERT INTO claude.projects VALUES
    ('10000000-0000-4000-8000-000000000001', 'legacy-app'),
    ('10000000-0000-4000-8000-000000000002', 'legacy-app'),        -- duplicate name: quarantined
    ('10000000-0000-4000-8000-000000000003', NULL);                -- no name: quarantined
INSERT INTO claude.identities VALUES
    ('20000000-0000-4000-8000-000000000001', 'alice'),
    ('20000000-0000-4000-8000-000000000002', 'bob');

INSERT INTO claude.features (feature_id, project_id, parent_feature_id, feature_name, feature_type, description,
                             priority, status, completion_percentage, started_date, completed_date,
                             implemented_by_identity_id, created_at, updated_at) VALUES
    -- ordinary, with type 'system' (now infrastructure), completed without a start date
    ('30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', NULL, 'Legacy platform',
     'system', 'The platform everything runs on', 3, 'completed', 100, NULL, '2025-06-01 12:00',
     '20000000-0000-4000-8000-000000000001', '2025-01-01 09:00', '2025-06-01 12:00'),
    -- in progress, NULL priority and completion, short name (an old row: kept as it is)
    ('30000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001',
     'Auth', 'feature', 'Login', NULL, 'in_progress', NULL, '2025-02-01 10:00', NULL,
     '20000000-0000-4000-8000-000000000002', '2025-01-15 09:00', '2025-02-01 10:00'),
    -- parent no longer exists: parent cleared
    ('30000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', '39999999-0000-4000-8000-000000000099',
     'Reporting module', 'enhancement', NULL, 5, 'not_started', 0, NULL, NULL, NULL, '2025-03-01 09:00', '2025-03-01 09:00'),
    -- project no longer exists: quarantined (with everything under it)
    ('30000000-0000-4000-8000-000000000004', '19999999-0000-4000-8000-000000000099', NULL,
     'Orphan feature', 'feature', NULL, 5, 'not_started', 0, NULL, NULL, NULL, '2025-03-02 09:00', '2025-03-02 09:00'),
    -- unknown type: quarantined
    ('30000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000001', NULL,
     'Weird feature', 'moonshot', NULL, 5, 'not_started', 0, NULL, NULL, NULL, '2025-03-03 09:00', '2025-03-03 09:00'),
    -- NULL status (defaults to not_started) and a started_date that a not_started feature cannot have
    ('30000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000001', NULL,
     'Search page', 'ui', NULL, 7, NULL, 0, '2025-03-04 09:00', NULL, NULL, '2025-03-04 09:00', '2025-03-04 09:00'),
    -- no name: quarantined
    ('30000000-0000-4000-8000-000000000007', '10000000-0000-4000-8000-000000000001', NULL,
     NULL, 'feature', NULL, 5, 'planned', 0, NULL, NULL, NULL, '2025-03-05 09:00', '2025-03-05 09:00');

INSERT INTO claude.components (component_id, feature_id, component_name, component_type, file_path, actual_functions,
                               status, has_tests, test_coverage_percentage, implemented_at, created_at, updated_at) VALUES
    ('40000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', 'Gateway', 'api',
     'src/gateway.ts', '{handle}', 'complete', true, 85, NULL, '2025-01-02 09:00', '2025-05-01 09:00'),
    ('40000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000001', 'Dashboard', 'ui',
     NULL, NULL, 'completed', NULL, NULL, '2025-05-02 09:00', '2025-01-02 09:00', '2025-05-02 09:00'),
    ('40000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000002', 'LoginForm', 'component',
     NULL, NULL, 'in_progress', false, NULL, NULL, '2025-01-16 09:00', '2025-01-16 09:00'),
    ('40000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000002', 'UserStore', 'crud',
     NULL, NULL, 'planned', false, NULL, NULL, '2025-01-16 09:00', '2025-01-16 09:00'),
    -- orphan: its feature does not exist
    ('40000000-0000-4000-8000-000000000005', '39999999-0000-4000-8000-000000000098', 'Lost widget', 'ui',
     NULL, NULL, 'planned', false, NULL, NULL, '2025-01-16 09:00', '2025-01-16 09:00'),
    -- duplicate name within a feature: the later one is quarantined
    ('40000000-0000-4000-8000-000000000006', '30000000-0000-4000-8000-000000000002', 'LoginForm', 'page',
     NULL, NULL, 'planned', false, NULL, NULL, '2025-01-17 09:00', '2025-01-17 09:00'),
    -- impossible coverage: quarantined
    ('40000000-0000-4000-8000-000000000007', '30000000-0000-4000-8000-000000000002', 'Session cache', 'service',
     NULL, NULL, 'planned', true, 180, NULL, '2025-01-18 09:00', '2025-01-18 09:00'),
    -- under the quarantined feature: quarantined too
    ('40000000-0000-4000-8000-000000000008', '30000000-0000-4000-8000-000000000004', 'Orphan part', 'module',
     NULL, NULL, 'planned', false, NULL, NULL, '2025-03-02 09:00', '2025-03-02 09:00');

INSERT INTO claude.build_tasks (task_id, feature_id, component_id, task_name, task_description, task_type, status,
                                priority, assigned_to_identity_id, estimated_hours, actual_hours, started_at,
                                completed_at, blocked_by_task_id, created_at, updated_at) VALUES
    -- completed without dates or hours
    ('50000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001',
     'Build gateway', 'Implement the API gateway', 'code', 'completed', 2, '20000000-0000-4000-8000-000000000001',
     8, NULL, NULL, NULL, NULL, '2025-01-03 09:00', '2025-04-01 09:00'),
    -- no feature, only a component: feature filled from the component
    ('50000000-0000-4000-8000-000000000002', NULL, '40000000-0000-4000-8000-000000000003',
     'Build login form', 'Form with email and password', 'code', 'in_progress', NULL, '20000000-0000-4000-8000-000000000002',
     4, NULL, '2025-02-02 09:00', NULL, NULL, '2025-01-20 09:00', '2025-02-02 09:00'),
    -- neither feature nor component: quarantined
    ('50000000-0000-4000-8000-000000000003', NULL, NULL,
     'Floating task', 'Nobody knows what this belongs to', 'research', 'todo', 5, NULL,
     NULL, NULL, NULL, NULL, NULL, '2025-01-21 09:00', '2025-01-21 09:00'),
    -- component no longer exists but the feature does: component cleared
    ('50000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000002', '49999999-0000-4000-8000-000000000097',
     'Wire session', 'Connect the session store', 'code', 'todo', 5, NULL,
     NULL, NULL, NULL, NULL, '50000000-0000-4000-8000-000000000002', '2025-01-22 09:00', '2025-01-22 09:00'),
    -- blocked by a task that does not exist: link cleared; NULL status -> todo; in_progress without start -> derived
    ('50000000-0000-4000-8000-000000000005', '30000000-0000-4000-8000-000000000002', NULL,
     'Write tests', 'Tests for the login flow', 'test', NULL, 5, NULL,
     NULL, NULL, NULL, NULL, '59999999-0000-4000-8000-000000000096', '2025-01-23 09:00', '2025-01-23 09:00'),
    ('50000000-0000-4000-8000-000000000006', '30000000-0000-4000-8000-000000000002', NULL,
     'Review login', 'Review the login change', 'review', 'in_progress', 5, '20000000-0000-4000-8000-000000000001',
     NULL, NULL, NULL, NULL, NULL, '2025-01-24 09:00', '2025-01-25 09:00'),
    -- unknown task type: quarantined
    ('50000000-0000-4000-8000-000000000007', '30000000-0000-4000-8000-000000000002', NULL,
     'Party planning', 'Plan the launch party', 'party', 'todo', 5, NULL,
     NULL, NULL, NULL, NULL, NULL, '2025-01-26 09:00', '2025-01-26 09:00'),
    -- NULL description (required): quarantined
    ('50000000-0000-4000-8000-000000000008', '30000000-0000-4000-8000-000000000002', NULL,
     'Mystery task', NULL, 'code', 'todo', 5, NULL,
     NULL, NULL, NULL, NULL, NULL, '2025-01-27 09:00', '2025-01-27 09:00');

INSERT INTO claude.requirements (requirement_id, feature_id, requirement_name, requirement_type, description,
                                 acceptance_criteria, status, priority, must_have, implemented_by_component_id,
                                 verified_at, created_by_identity_id, created_at, updated_at) VALUES
    -- verified without verified_at; NULL must_have
    ('60000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', 'Gateway uptime', 'performance',
     'The gateway answers 99.9% of requests', '{"Given load when measured then 99.9%"}', 'verified', 3, NULL,
     '40000000-0000-4000-8000-000000000001', NULL, '20000000-0000-4000-8000-000000000001', '2025-01-04 09:00', '2025-05-05 09:00'),
    -- NULL criteria (defaults to none) and no creator: an old row, kept as it is
    ('60000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000002', 'Login works', 'functional',
     'Users can log in', NULL, 'draft', NULL, true, NULL, NULL, NULL, '2025-01-17 09:00', '2025-01-17 09:00'),
    -- must-have yet rejected: impossible, quarantined
    ('60000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000002', 'Login with SSO', 'security',
     'Single sign-on with the company directory', '{"SSO must work"}', 'rejected', 5, true, NULL, NULL,
     '20000000-0000-4000-8000-000000000002', '2025-01-18 09:00', '2025-01-18 09:00'),
    -- orphan
    ('60000000-0000-4000-8000-000000000004', '39999999-0000-4000-8000-000000000095', 'Lost requirement', 'ui',
     'Belongs to nothing anymore at all', '{"should exist"}', 'draft', 5, false, NULL, NULL, NULL,
     '2025-01-19 09:00', '2025-01-19 09:00');

INSERT INTO claude.activity_feed (id, source_type, source_id, actor, activity_type, title, summary, project_name,
                                  severity, created_at) VALUES
    ('70000000-0000-4000-8000-000000000001', 'feature', '30000000-0000-4000-8000-000000000001', 'alice', 'created',
     'Feature created: Legacy platform', NULL, 'legacy-app', 'info', '2025-01-01 09:00'),
    ('70000000-0000-4000-8000-000000000002', 'component', '40000000-0000-4000-8000-000000000001', 'alice', 'completed',
     repeat('Very long legacy title ', 20), 'done', 'legacy-app', NULL, '2025-05-01 09:00'),
    ('70000000-0000-4000-8000-000000000003', 'session', NULL, 'bot', 'pinged',
     'Unknown kinds of activity', NULL, NULL, 'debug', '2025-05-02 09:00');
COMMIT;
